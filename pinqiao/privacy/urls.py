from django.urls import path

from pinqiao.privacy import views

app_name = "privacy"

urlpatterns = [
    path("recruiter/resumes/<uuid:public_id>/", views.recruiter_resume_view,
         name="recruiter_resume"),
    path("recruiter/resumes/<uuid:public_id>/pdf/", views.recruiter_resume_pdf_view,
         name="recruiter_resume_pdf"),
    path("recruiter/resumes/<uuid:public_id>/attachment/", views.recruiter_attachment_view,
         name="recruiter_resume_attachment"),
    path("recruiter/resumes/<uuid:public_id>/contact-request/", views.contact_request_view,
         name="contact_request"),
    path("me/privacy/consents/", views.consents_view, name="consents"),
    path("me/privacy/consents/grant/", views.consent_grant_view, name="consent_grant"),
    path("me/privacy/consents/<int:pk>/withdraw/", views.consent_withdraw_view,
         name="consent_withdraw"),
    path("me/privacy/contact-requests/<int:pk>/accept/", views.contact_request_answer_view,
         {"answer": "accept"}, name="contact_request_accept"),
    path("me/privacy/contact-requests/<int:pk>/decline/", views.contact_request_answer_view,
         {"answer": "decline"}, name="contact_request_decline"),
    path("me/resume/viewers/", views.viewers_view, name="viewers"),
    path("staff/privacy/flags/", views.flags_view, name="flags"),
    path("staff/privacy/flags/<int:pk>/resolve/", views.flag_resolve_view, name="flag_resolve"),
    path("staff/privacy/inventory/", views.inventory_view, name="inventory"),
]
