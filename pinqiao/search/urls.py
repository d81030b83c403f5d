from django.urls import path

from pinqiao.search import saved_views
from pinqiao.search.talent.views import talent_search_view

app_name = "search"

urlpatterns: list = [
    path("talent/", talent_search_view, name="talent"),
    path("me/saved-searches/", saved_views.saved_list_view, name="saved_list"),
    path("me/saved-searches/new/", saved_views.saved_create_view, name="saved_create"),
    path("me/saved-searches/<int:pk>/", saved_views.saved_update_view, name="saved_update"),
    path("me/saved-searches/<int:pk>/delete/", saved_views.saved_delete_view,
         name="saved_delete"),
    path("me/saved-searches/<int:pk>/results/", saved_views.saved_results_view,
         name="saved_results"),
    path("saved-searches/unsubscribe/<str:token>/", saved_views.unsubscribe_view,
         name="unsubscribe"),
]
