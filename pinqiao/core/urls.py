from django.urls import path

from pinqiao.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("guide/", views.guide, name="guide"),
    path("staff/", views.staff_home, name="staff_home"),
]
