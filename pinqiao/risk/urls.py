from django.urls import path

from pinqiao.risk import views

app_name = "risk"
urlpatterns = [
    path("sanctions/", views.notices_view, name="notices"),
    path("sanctions/<int:pk>/", views.notice_view, name="notice"),
    path("sanctions/<int:pk>/acknowledge/", views.acknowledge_view, name="acknowledge"),
    path("staff/risk/", views.scores_view, name="scores"),
    path("staff/risk/credit-export.json", views.credit_export_json_view,
         name="credit_export_json"),
]
