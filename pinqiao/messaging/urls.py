from django.urls import path

from pinqiao.messaging import views

app_name = "messaging"

urlpatterns = [
    path("chat/", views.list_view, name="list"),
    path("chat/start/<int:posting_pk>/", views.start_view, name="start"),
    path("chat/start/talent/", views.start_talent_view, name="start_talent"),
    path("chat/<int:pk>/", views.thread_view, name="thread"),
    path("chat/<int:pk>/send/", views.send_view, name="send"),
    path("chat/<int:pk>/read/", views.read_view, name="read"),
    path("chat/<int:pk>/block/", views.block_view, name="block"),
    path("chat/<int:pk>/mute/", views.mute_view, name="mute"),
    path("chat/<int:pk>/report/", views.report_view, name="report"),
    path("chat/<int:pk>/resume/", views.resume_view, name="resume"),
    path("chat/<int:pk>/interview/", views.interview_view, name="interview"),
    path("chat/<int:pk>/image/", views.image_view_post, name="image_send"),
    path("chat/<int:pk>/exchange/", views.exchange_view, name="exchange"),
    path("chat/<int:pk>/exchange/<int:exchange_pk>/", views.exchange_decide_view,
         name="exchange_decide"),
    path("chat/<int:pk>/unbind/", views.unbind_view, name="unbind"),
    path("chat/image/<int:message_pk>/", views.image_view, name="image"),
    path("chat/restrictions/", views.restrictions_view, name="restrictions"),
    path("staff/chat/reports/<int:report_pk>/", views.staff_report_view, name="staff_report"),
]
