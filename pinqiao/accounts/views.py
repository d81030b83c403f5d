"""Account pages: log-in (password or SMS), sign-up, account, real-name, closing, staff OTP and
the staff login-log search (ACC-1..5)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from pinqiao.accounts.forms import (
    CloseAccountForm,
    LoginLogSearchForm,
    OtpForm,
    PasswordLoginForm,
    RealNameForm,
    RecruiterSignupForm,
    SignupForm,
    SmsLoginForm,
)
from pinqiao.accounts.selectors import (
    login_log_search,
    login_record_phone_masked,
    login_records_for_user,
    user_summary,
)
from pinqiao.accounts.services import (
    SignupInput,
    account_close,
    account_signup,
    client_ip,
    login_with_password,
    login_with_sms,
    real_name_verify,
    session_end,
    session_start,
    sms_code_request,
)
from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import STAFF_ROLES, Role, staff_required
from pinqiao.disclosure.selectors import legal_documents_required
from pinqiao.rights.selectors import ERASURE_SESSION_KEY, latest_erasure


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _after_login(request: HttpRequest, user: object) -> HttpResponse:
    if getattr(user, "role", "") in STAFF_ROLES:
        return redirect(f"/staff/otp/?{urlencode({'next': _next_url(request, '/staff/')})}")
    return redirect(_next_url(request))


def login_view(request: HttpRequest) -> HttpResponse:
    mode = request.GET.get("mode", "password")
    password_form = PasswordLoginForm(prefix="pw")
    sms_form = SmsLoginForm(prefix="sms")
    if request.method == "POST":
        mode = request.POST.get("mode", "password")
        if mode == "sms":
            sms_form = SmsLoginForm(request.POST, prefix="sms")
            if sms_form.is_valid():
                try:
                    user = login_with_sms(request=request, **sms_form.cleaned_data)
                    return _after_login(request, user)
                except ServiceError as exc:
                    add_service_error(sms_form, exc)
        else:
            password_form = PasswordLoginForm(request.POST, prefix="pw")
            if password_form.is_valid():
                try:
                    user = login_with_password(request=request, **password_form.cleaned_data)
                    return _after_login(request, user)
                except ServiceError as exc:
                    add_service_error(password_form, exc)
    return render(request, "accounts/login.html", {
        "mode": mode, "password_form": password_form, "sms_form": sms_form,
        "next": _next_url(request, ""),
    })


def locked_out(request: HttpRequest, credentials: dict | None = None,
               *args: object, **kwargs: object) -> HttpResponse:
    """What axes answers when a locked account tries again: JSON for the API, else the page."""
    message = _("登录失败次数过多，账号已锁定15分钟，请稍后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "locked_out", "message": message, "fields": {}}},
                            status=429)
    form = PasswordLoginForm(request.POST or None, prefix="pw")
    form.is_valid()
    form.add_error(None, message)
    return render(request, "accounts/login.html", {
        "mode": "password", "password_form": form, "sms_form": SmsLoginForm(prefix="sms"),
        "next": ""}, status=429)


@require_POST
def sms_code_view(request: HttpRequest) -> HttpResponse:
    """htmx: send a code and answer with a status line for the form."""
    phone = request.POST.get("phone") or request.POST.get("sms-phone", "")
    try:
        sms_code_request(phone=phone,
                         purpose=request.POST.get("purpose", "signup"), ip=client_ip(request))
    except ServiceError as exc:
        return render(request, "accounts/_sms_status.html", {"error": exc.message},
                      status=200)
    return render(request, "accounts/_sms_status.html",
                  {"sent": True, "purpose": request.POST.get("purpose", "signup")})


def _signup(request: HttpRequest, form_class: type[SignupForm], role: str) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_signup(data=SignupInput(
                phone=data["phone"], code=data["code"], password=data["password"],
                accept_terms=data["accept_terms"], role=role,
                display_name=data["display_name"], email=data.get("email") or "",
            ), ip=client_ip(request))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            session_start(request, user, "sms", data["phone"])
            messages.success(request, _("注册成功，欢迎来到聘桥！"))
            return redirect("accounts:me")
    return render(request, "accounts/signup.html", {
        "form": form, "role": role, "documents": legal_documents_required(role),
    })


def signup_view(request: HttpRequest) -> HttpResponse:
    return _signup(request, SignupForm, Role.SEEKER)


def signup_recruiter_view(request: HttpRequest) -> HttpResponse:
    return _signup(request, RecruiterSignupForm, Role.RECRUITER)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    session_end(request=request)
    messages.info(request, _("您已安全退出。"))
    return redirect("core:home")


@login_required
def me_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/me.html", {
        "summary": user_summary(viewer=request.user, user=request.user),
        "logins": login_records_for_user(user=request.user),
    })


@login_required
def real_name_view(request: HttpRequest) -> HttpResponse:
    form = RealNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matched = real_name_verify(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            if matched:
                messages.success(request, _("实名认证成功。"))
                return redirect("accounts:me")
            form.add_error(None, _("姓名与身份证号码不一致，或该证件无法核验。请核对后重试。"))
    return render(request, "accounts/real_name.html", {"form": form})


@login_required
def close_view(request: HttpRequest) -> HttpResponse:
    """ACC-5: closing runs the deletion workflow (PRIV-5); the confirmation page then says
    what was erased and what is restricted until when."""
    form = CloseAccountForm(request.POST or None)
    request_user = request.user
    if request.method == "POST" and form.is_valid():
        try:
            account_close(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            session_end(request=request, reason="account_closed")
            messages.info(request, _(
                "您的账号已注销。按照法律规定需要保存的记录将限制处理，不再对外展示。"))
            erasure = latest_erasure(user=request_user)
            if erasure is not None:
                request.session[ERASURE_SESSION_KEY] = erasure.pk
                return redirect("rights:erasure_done")
            return redirect("core:home")
    return render(request, "accounts/close.html", {"form": form})


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """The staff second factor: a TOTP code from the authenticator app (ACC-3)."""
    if request.user.role not in STAFF_ROLES:
        return redirect("core:home")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"].strip())
        if device is not None:
            otp_login(request, device)
            log_action(request.user, "accounts.second_factor_passed", request.user,
                       {"device": device.persistent_id})
            return redirect(_next_url(request, "/staff/"))
        log_action(request.user, "accounts.second_factor_failed", request.user, {})
        form.add_error("otp_token", _("动态验证码错误或已过期。"))
    return render(request, "accounts/otp.html", {"form": form, "next": _next_url(request, "")})


@staff_required("view.login_log")
def login_log_view(request: HttpRequest) -> HttpResponse:
    """The search is a POST form (paging included), so a phone number never lands in a URL,
    the access log or the browser history (ACC-4, SEC-3)."""
    form = LoginLogSearchForm(request.POST if request.method == "POST" else None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        since = datetime.combine(data["since"], time.min, tz) if data["since"] else None
        until = (datetime.combine(data["until"], time.min, tz) + timedelta(days=1)
                 if data["until"] else None)
        try:
            page = login_log_search(viewer=request.user, phone=data["phone"],
                                    username=data["username"], ip=data["ip"] or "",
                                    since=since, until=until,
                                    page=request.POST.get("page", "1"))
        except ServiceError as exc:
            add_service_error(form, exc)
    rows = [(r, login_record_phone_masked(r)) for r in page] if page is not None else []
    return render(request, "accounts/login_log.html", {"form": form, "page": page, "rows": rows})
