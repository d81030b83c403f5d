from django.urls import path

from pinqiao.search.talent.views import talent_search_view

app_name = "search"

urlpatterns: list = [
    path("talent/", talent_search_view, name="talent"),
]
