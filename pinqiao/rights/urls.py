from django.urls import path

from pinqiao.rights import views

app_name = "rights"

urlpatterns = [
    path("me/privacy/rights/", views.rights_view, name="rights"),
    path("me/privacy/rights/requests/", views.request_create_view, name="request_create"),
    path("me/privacy/rights/export/", views.export_request_view, name="export_request"),
    path("me/privacy/rights/export/<int:pk>/progress/", views.export_progress_view,
         name="export_progress"),
    path("me/privacy/exports/<str:token>/", views.export_download_view, name="export_download"),
    path("me/privacy/erasure/done/", views.erasure_done_view, name="erasure_done"),
    path("staff/privacy/rights/", views.staff_requests_view, name="staff_requests"),
    path("staff/privacy/rights/<int:pk>/take/", views.staff_take_view, name="staff_take"),
    path("staff/privacy/rights/<int:pk>/answer/", views.staff_answer_view, name="staff_answer"),
    path("staff/privacy/retention/", views.staff_retention_view, name="staff_retention"),
    path("staff/security/alerts/", views.staff_alerts_view, name="staff_alerts"),
    path("staff/privacy/breaches/", views.staff_breaches_view, name="staff_breaches"),
    path("staff/privacy/breaches/<int:pk>/notify/", views.staff_breach_notify_view,
         name="staff_breach_notify"),
    path("staff/privacy/breaches/<int:pk>/report/", views.staff_breach_report_view,
         name="staff_breach_report"),
    path("staff/privacy/assessments/", views.staff_assessments_view,
         name="staff_assessments"),
    path("staff/privacy/destinations/", views.staff_destinations_view,
         name="staff_destinations"),
    path("staff/privacy/destinations/<int:pk>/enabled/", views.staff_destination_toggle_view,
         name="staff_destination_toggle"),
]
