from django.urls import path

from pinqiao.insights import views

app_name = "insights"
urlpatterns = [
    path("insights/salary/", views.salary_view, name="salary"),
    path("insights/trends/", views.trends_view, name="trends"),
    path("insights/guides/", views.guides_view, name="guides"),
    path("insights/guides/<slug:slug>/", views.guide_view, name="guide"),
    path("staff/insights/guides/", views.staff_guides_view, name="staff_guides"),
    path("staff/insights/guides/new/", views.staff_guide_edit_view, name="staff_guide_new"),
    path("staff/insights/guides/<int:pk>/", views.staff_guide_edit_view, name="staff_guide"),
]
