from django.urls import path

from pinqiao.applications import views

app_name = "applications"

urlpatterns = [
    path("jobs/<int:posting_id>/apply/", views.apply_view, name="apply"),
    path("me/applications/", views.mine, name="mine"),
    path("me/applications/<int:pk>/", views.detail_view, name="detail"),
    path("me/applications/<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("me/applications/<int:pk>/offer/<slug:answer>/", views.offer_answer_view,
         name="offer_answer"),
    path("recruiter/applications/", views.recruiter_list_view, name="recruiter_list"),
    path("recruiter/applications/bulk/", views.recruiter_bulk_view, name="recruiter_bulk"),
    path("recruiter/applications/<int:pk>/", views.recruiter_detail_view,
         name="recruiter_detail"),
    path("recruiter/applications/<int:pk>/<slug:action>/", views.recruiter_action_view,
         name="recruiter_action"),
    path("recruiter/applications/questions/<int:posting_id>/", views.questions_view,
         name="questions"),
    path("recruiter/applications/questions/<int:posting_id>/<int:question_id>/delete/",
         views.question_delete_view, name="question_delete"),
    path("recruiter/applications/settings/<int:org_id>/", views.settings_view, name="settings"),
    path("recruiter/applications/settings/<int:org_id>/templates/", views.template_add_view,
         name="template_add"),
    path("recruiter/applications/settings/<int:org_id>/templates/<int:template_id>/delete/",
         views.template_delete_view, name="template_delete"),
]
