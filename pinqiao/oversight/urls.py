from django.urls import path

from pinqiao.oversight import views

app_name = "oversight"
urlpatterns = [
    path("oversight/", views.home_view, name="home"),
    path("oversight/organisations/", views.organisations_view, name="organisations"),
    path("oversight/organisations/<int:pk>/", views.organisation_view, name="organisation"),
    path("oversight/postings/", views.postings_view, name="postings"),
    path("oversight/postings/<int:pk>/", views.posting_view, name="posting"),
    path("oversight/violations/", views.violations_view, name="violations"),
    path("oversight/complaints/", views.complaints_view, name="complaints"),
    path("oversight/annual/", views.annual_view, name="annual"),
    path("oversight/export/", views.export_view, name="export"),
    path("oversight/samples/", views.samples_view, name="samples"),
    path("oversight/samples/<int:pk>/", views.sample_view, name="sample"),
    path("oversight/samples/<int:pk>/inspectors/", views.sample_inspectors_view,
         name="sample_inspectors"),
    path("oversight/samples/<int:pk>/items/<int:item_pk>/finding/", views.sample_finding_view,
         name="sample_finding"),
    path("oversight/samples/<int:pk>/publish/", views.sample_publish_view,
         name="sample_publish"),
    path("inspections/", views.inspections_view, name="inspections"),
]
