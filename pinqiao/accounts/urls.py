from django.urls import path

from pinqiao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/signup/", views.signup_view, name="signup"),
    path("accounts/signup/recruiter/", views.signup_recruiter_view, name="signup_recruiter"),
    path("accounts/sms-code/", views.sms_code_view, name="sms_code"),
    path("accounts/me/", views.me_view, name="me"),
    path("accounts/real-name/", views.real_name_view, name="real_name"),
    path("accounts/close/", views.close_view, name="close"),
    path("staff/otp/", views.otp_view, name="otp"),
    path("staff/login-log/", views.login_log_view, name="login_log"),
]
