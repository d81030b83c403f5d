from django.urls import path

from pinqiao.tickets import views

app_name = "tickets"
urlpatterns = [
    path("cases/", views.mine_view, name="mine"),
    path("cases/new/", views.new_view, name="new"),
    path("cases/<int:pk>/", views.detail_view, name="detail"),
    path("staff/cases/", views.desk_view, name="desk"),
    path("staff/cases/new/", views.intake_view, name="intake"),
    path("staff/cases/overdue/", views.overdue_view, name="overdue"),
    path("staff/cases/report/", views.report_view, name="report"),
    path("staff/cases/<int:pk>/", views.staff_detail_view, name="staff_detail"),
    path("staff/cases/<int:pk>/referral.pdf", views.referral_view, name="referral"),
    path("staff/cases/<int:pk>/evidence/<int:evidence_id>/", views.evidence_view,
         name="evidence"),
]
