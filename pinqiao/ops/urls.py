from django.urls import path

from pinqiao.ops import views

app_name = "ops"
urlpatterns = [
    path("staff/tasks/", views.task_health_view, name="task_health"),
    path("staff/maintenance-log/", views.maintenance_log_view, name="maintenance_log"),
    path("staff/audit-checkpoints.jsonl", views.audit_checkpoints_view,
         name="audit_checkpoints"),
]
