from django.urls import path

from pinqiao.notifications import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/read/", views.inbox_read_view, name="inbox_read"),
    path("inbox/preferences/", views.preferences_view, name="preferences"),
    path("staff/templates/", views.template_list_view, name="template_list"),
    path("staff/templates/<int:pk>/", views.template_edit_view, name="template_edit"),
    path("staff/templates/<int:pk>/preview/", views.template_preview_view,
         name="template_preview"),
]
