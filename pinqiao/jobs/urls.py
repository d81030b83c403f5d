from django.urls import path

from pinqiao.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.posting_list_view, name="list"),
    path("jobs/divisions/", views.divisions_view, name="divisions"),
    path("jobs/<int:pk>/", views.posting_detail_view, name="detail"),
    path("jobs/<int:pk>/report/", views.posting_report_view, name="report"),
    path("recruiter/jobs/", views.my_list_view, name="my_list"),
    path("recruiter/jobs/new/", views.my_new_view, name="my_new"),
    path("recruiter/jobs/<int:pk>/", views.my_detail_view, name="my_detail"),
    path("recruiter/jobs/<int:pk>/edit/", views.my_edit_view, name="my_edit"),
    path("recruiter/jobs/<int:pk>/<slug:action>/", views.my_action_view, name="my_action"),
    path("staff/jobs/", views.staff_list_view, name="staff_list"),
    path("staff/jobs/<int:pk>/", views.staff_posting_view, name="staff_posting"),
    path("staff/jobs/<int:pk>/remove/", views.staff_remove_view, name="staff_remove"),
]
