from django.urls import path

from pinqiao.analytics import views

app_name = "analytics"
urlpatterns = [
    path("staff/analytics/", views.dashboard_view, name="dashboard"),
    path("staff/analytics/export/", views.export_view, name="export"),
    path("staff/analytics/drilldown/", views.drilldown_view, name="drilldown"),
    path("staff/analytics/live/", views.live_view, name="live"),
    path("staff/analytics/live/feed.json", views.live_feed_view, name="live_feed"),
]
