from django.urls import path

from pinqiao.interviews import views

app_name = "interviews"

urlpatterns = [
    path("recruiter/applications/<int:application_pk>/interviews/propose/", views.propose_view,
         name="propose"),
    path("recruiter/interviews/", views.recruiter_list_view, name="recruiter_list"),
    path("recruiter/interviews/<int:pk>/", views.recruiter_detail_view, name="recruiter_detail"),
    path("recruiter/interviews/<int:pk>/<slug:action>/", views.recruiter_action_view,
         name="recruiter_action"),
    path("me/interviews/", views.mine_view, name="mine"),
    path("me/interviews/<int:pk>/", views.seeker_detail_view, name="seeker_detail"),
    path("me/interviews/<int:pk>/<slug:action>/", views.seeker_action_view,
         name="seeker_action"),
    path("interviews/day-info/", views.day_info_view, name="day_info"),
    path("interviews/<int:pk>/calendar.ics", views.ics_view, name="ics"),
    path("interviews/<int:pk>/room/", views.room_view, name="room"),
    path("interviews/<int:pk>/room/enter/", views.room_enter_view, name="room_enter"),
    path("interviews/<int:pk>/room/leave/", views.room_leave_view, name="room_leave"),
    path("interviews/rooms/<str:ref>/join/<str:token>/", views.local_room_join_view,
         name="local_room_join"),
]
