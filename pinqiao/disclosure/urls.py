from django.urls import path

from pinqiao.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("disclosure/licences/", views.licences_view, name="licences"),
    path("services/", views.services_view, name="services"),
    path("safety/", views.safety_view, name="safety"),
    path("legal/accept/", views.legal_accept_view, name="legal_accept"),
    path("legal/<slug:kind>/", views.legal_view, name="legal"),
    path("staff/operator/", views.operator_edit_view, name="operator_edit"),
    path("staff/legal/", views.legal_publish_view, name="legal_publish"),
]
