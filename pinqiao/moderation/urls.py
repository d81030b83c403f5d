from django.urls import path

from pinqiao.moderation import views

app_name = "moderation"
urlpatterns = [
    path("staff/review/", views.queue_view, name="queue"),
    path("staff/review/<int:pk>/", views.item_view, name="item"),
    path("staff/rules/", views.rules_view, name="rules"),
    path("staff/rules/new/", views.rule_new_view, name="rule_new"),
    path("staff/rules/<int:pk>/", views.rule_view, name="rule"),
    path("staff/rules/<int:pk>/<slug:action>/", views.rule_action_view, name="rule_action"),
    path("staff/orgs/<int:org_id>/sanctions/", views.sanction_new_view, name="sanction_new"),
    path("staff/case-files/", views.case_files_view, name="case_files"),
    path("staff/case-files/<int:pk>/", views.case_file_view, name="case_file"),
]
