from django.urls import path

from pinqiao.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("me/recommendations/", views.recommendations_view, name="list"),
    path("me/recommendations/personalisation/", views.personalisation_view,
         name="personalisation"),
    path("me/recommendations/feedback/", views.feedback_view, name="feedback"),
    path("me/recommendations/feedback/<int:pk>/remove/", views.feedback_remove_view,
         name="feedback_remove"),
    path("me/recommendations/tags/", views.tags_view, name="tags"),
    path("me/recommendations/tags/delete/", views.tag_change_view, {"action": "delete"},
         name="tag_delete"),
    path("me/recommendations/tags/restore/", views.tag_change_view, {"action": "restore"},
         name="tag_restore"),
    path("recruiter/candidates/<int:pk>/", views.candidates_view, name="candidates"),
    path("recruiter/candidates/<int:pk>/personalisation/", views.recruiter_personalisation_view,
         name="recruiter_personalisation"),
    path("algorithms/", views.algorithms_public_view, name="algorithms"),
    path("staff/algorithms/", views.staff_algorithms_view, name="staff_algorithms"),
    path("staff/algorithms/<slug:slug>/", views.staff_algorithm_view, name="staff_algorithm"),
    path("staff/bias/", views.staff_bias_view, name="staff_bias"),
    path("staff/bias/<int:pk>/", views.staff_bias_report_view, name="staff_bias_report"),
]
