"""Account services (ACC-1, ACC-3, ACC-4, ACC-5): sign-up, SMS codes, log-in, log-out,
real-name verification, API tokens and account closing.

Every write is atomic and audited; phone and ID numbers are encrypted before they are stored.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token

from pinqiao.accounts.backends import find_user_by_identifier
from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import (
    ApiToken,
    ClosureRequest,
    LoginMethod,
    LoginRecord,
    RealNameCheck,
    SmsCode,
    SmsPurpose,
    User,
)
from pinqiao.accounts.realname import id_number_index, verifier
from pinqiao.core.audit import log_action
from pinqiao.core.crypto import encrypt, keyed_digest
from pinqiao.core.errors import ServiceError
from pinqiao.core.masking import mask_id_number, mask_phone
from pinqiao.core.permissions import STAFF_ROLES, Role
from pinqiao.core.validators import normalize_phone, normalize_text, parse_id_number
from pinqiao.disclosure.services import legal_accept_current
from pinqiao.notifications.providers import ProviderError, sms_provider
from pinqiao.notifications.services import notify, notify_before_erasure

logger = logging.getLogger(__name__)

SELF_SERVICE_ROLES = (Role.SEEKER, Role.RECRUITER)


def client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ServiceError("invalid_phone", exc.messages[0],
                           fields={"phone": exc.messages}) from exc


# --- SMS codes ------------------------------------------------------------------------------

def sms_code_request(*, phone: str, purpose: str, ip: str | None = None) -> None:
    """Send a 6-digit code: hashed at rest, valid 5 minutes, at most 5 per phone per hour."""
    phone = _phone(phone)
    if purpose not in SmsPurpose.values:
        raise ServiceError("invalid_purpose", _("验证码用途无效。"))
    index = phone_index(phone)
    registered = User.objects.filter(phone_index=index).exists()
    if purpose == SmsPurpose.SIGNUP and registered:
        raise ServiceError("phone_taken", _("该手机号已注册，请直接登录。"),
                           fields={"phone": [_("该手机号已注册，请直接登录。")]})
    now = timezone.now()
    with transaction.atomic():
        sent = SmsCode.objects.filter(phone_index=index, created_at__gte=now - timedelta(hours=1))
        if sent.count() >= settings.SMS_CODES_PER_PHONE_PER_HOUR:
            raise ServiceError("sms_rate_limited", _("验证码发送过于频繁，请一小时后再试。"),
                               status=429)
        code = f"{secrets.randbelow(10**6):06d}"
        SmsCode.objects.create(
            phone_index=index, purpose=purpose, ip=ip,
            code_digest=keyed_digest(code, purpose=f"sms:{purpose}:{index}"),
            expires_at=now + settings.SMS_CODE_TTL,
        )
        if purpose == SmsPurpose.LOGIN and not registered:
            return  # do not reveal which numbers are registered; no message is sent
        minutes = int(settings.SMS_CODE_TTL.total_seconds() // 60)
        text = _("【聘桥】您的验证码是%(code)s，%(minutes)s分钟内有效。请勿告诉他人。") % {
            "code": code, "minutes": minutes}
        try:
            sms_provider().send(phone=phone, text=text)
        except ProviderError as exc:
            raise ServiceError("sms_failed", _("短信发送失败，请稍后再试。"), status=503) from exc


def sms_code_consume(*, phone: str, purpose: str, code: str) -> None:
    """Check and use up the newest code; wrong, expired and reused codes are refused.

    Runs in its own transaction so that a failed attempt is counted even when the caller fails.
    """
    index = phone_index(phone)
    code = normalize_text(code)
    now = timezone.now()
    with transaction.atomic():
        latest = (SmsCode.objects.select_for_update()
                  .filter(phone_index=index, purpose=purpose).order_by("-created_at").first())
        if latest is None:
            problem = ("sms_code_invalid", _("验证码错误，请重新获取。"))
        elif latest.used_at is not None:
            problem = ("sms_code_used", _("验证码已使用，请重新获取。"))
        elif latest.expires_at <= now:
            problem = ("sms_code_expired", _("验证码已过期，请重新获取。"))
        elif latest.failed_attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            problem = ("sms_code_locked", _("验证码错误次数过多，请重新获取。"))
        elif latest.code_digest != keyed_digest(code, purpose=f"sms:{purpose}:{index}"):
            latest.failed_attempts += 1
            latest.save(update_fields=["failed_attempts"])
            problem = ("sms_code_invalid", _("验证码错误，请核对后重试。"))
        else:
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            return
    raise ServiceError(problem[0], problem[1], fields={"code": [problem[1]]})


# --- Sign-up ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignupInput:
    phone: str
    code: str
    password: str
    accept_terms: bool
    role: str = Role.SEEKER
    display_name: str = ""
    email: str = ""


def _validate_signup(data: SignupInput) -> tuple[str, str | None]:
    fields: dict[str, list[str]] = {}
    phone = ""
    try:
        phone = normalize_phone(data.phone)
    except ValidationError as exc:
        fields["phone"] = exc.messages
    if data.role not in SELF_SERVICE_ROLES:
        fields["role"] = [_("只能注册求职者或招聘者账号。")]
    email = normalize_text(data.email).lower() or None
    if email and ("@" not in email or len(email) > 254):
        fields["email"] = [_("请输入有效的电子邮箱。")]
    # Seekers may sign up with the SMS code alone and log in by code; recruiters need a password.
    if data.password or data.role != Role.SEEKER:
        try:
            validate_password(data.password)
        except ValidationError as exc:
            fields["password"] = exc.messages
    if len(normalize_text(data.display_name)) > 50:
        fields["display_name"] = [_("昵称不能超过50个字。")]
    if not data.accept_terms:
        fields["accept_terms"] = [_("请阅读并同意用户协议和隐私政策。")]
    if fields:
        raise ServiceError("invalid_signup", next(iter(fields.values()))[0], fields=fields)
    from pinqiao.orgs.services import phone_banned

    if phone_banned(phone_index(phone)):
        msg = _("该手机号因所属单位严重违规已被列入平台黑名单，不能再次注册。"
                "如有异议，请拨打投诉电话申诉。")
        raise ServiceError("phone_blacklisted", msg, fields={"phone": [msg]})
    if User.objects.filter(phone_index=phone_index(phone)).exists():
        msg = _("该手机号已注册，请直接登录。")
        raise ServiceError("phone_taken", msg, fields={"phone": [msg]})
    if email and User.objects.filter(email=email).exists():
        msg = _("该电子邮箱已被其他账号使用。")
        raise ServiceError("email_taken", msg, fields={"email": [msg]})
    return phone, email


def account_signup(*, data: SignupInput, ip: str | None = None) -> User:
    """Create a seeker or recruiter account after the SMS code proves the phone (ACC-1) and the
    current legal documents are accepted (DISC-5). Nothing is written if any check fails."""
    phone, email = _validate_signup(data)
    sms_code_consume(phone=phone, purpose=SmsPurpose.SIGNUP, code=data.code)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                password=data.password or None,
                role=data.role,
                display_name=normalize_text(data.display_name),
                phone_ciphertext=encrypt_phone(phone),
                phone_index=phone_index(phone),
                email=email,
            )
            legal_accept_current(user=user, ip=ip)
            log_action(user, "accounts.signup", user, {"role": data.role,
                                                       "phone": mask_phone(phone)}, ip=ip)
            notify(user, "welcome")
    except IntegrityError as exc:
        msg = _("该手机号或电子邮箱已注册，请直接登录。")
        raise ServiceError("phone_taken", msg, fields={"phone": [msg]}) from exc
    return user


# --- Log-in and log-out ----------------------------------------------------------------------

def _session_digest(request: HttpRequest) -> str:
    key = request.session.session_key or ""
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def _record_login(request: HttpRequest, *, user: User | None, method: str, succeeded: bool,
                  phone: str | None) -> None:
    LoginRecord.objects.create(
        user=user, succeeded=succeeded, method=method, ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        phone_ciphertext=encrypt_phone(phone) if phone else "",
        phone_index=phone_index(phone) if phone else "",
        session_digest=_session_digest(request) if succeeded else "",
    )


def session_start(request: HttpRequest, user: User, method: str, phone: str | None) -> None:
    """Log the user in on this request (session key rotated) and write the login record."""
    login(request, user, backend="pinqiao.accounts.backends.IdentifierBackend")
    request.session["last_seen"] = timezone.now().timestamp()
    _record_login(request, user=user, method=method, succeeded=True, phone=phone)
    log_action(user, "accounts.login", user, {"method": method}, ip=client_ip(request))


def _phone_or_none(identifier: str) -> str | None:
    try:
        return normalize_phone(identifier)
    except ValidationError:
        return None


def login_with_password(*, request: HttpRequest, identifier: str, password: str,
                        otp_token: str | None = None) -> User:
    """Log in by phone or e-mail and password; the 6th failure in 15 minutes locks the account
    for 15 minutes from any IP (ACC-3). The session key is rotated (``login`` cycles it).

    ``otp_token`` is the API's second factor (ACC-3): a staff account is signed in only with a
    current TOTP code of one of its devices, and its session is then marked verified; without
    one nothing is started and the failure is recorded. Pages pass ``None`` and ask for the
    code on the next page, where staff rights stay closed until it is given."""
    if not identifier or not password:
        raise ServiceError("invalid_credentials", _("请输入账号和密码。"))
    user = authenticate(request, identifier=identifier, password=password)
    phone = _phone_or_none(identifier)
    if getattr(request, "axes_locked_out", False):
        _record_login(request, user=None, method=LoginMethod.PASSWORD, succeeded=False,
                      phone=phone)
        raise ServiceError("locked_out", _("登录失败次数过多，账号已锁定15分钟，请稍后再试。"),
                           status=429)
    if user is None:
        _record_login(request, user=find_user_by_identifier(identifier),
                      method=LoginMethod.PASSWORD, succeeded=False, phone=phone)
        raise ServiceError("invalid_credentials", _("账号或密码错误。"), status=400)
    device = None
    if otp_token is not None and user.role in STAFF_ROLES:
        device = match_token(user, otp_token.strip()) if otp_token.strip() else None
        if device is None:
            _record_login(request, user=user, method=LoginMethod.PASSWORD, succeeded=False,
                          phone=phone)
            log_action(user, "accounts.second_factor_failed", user, {"channel": "api"},
                       ip=client_ip(request))
            message = _("工作人员账号须同时提交身份验证器上的动态验证码（otp_token），"
                        "验证码错误或已过期。")
            raise ServiceError("second_factor_required", message,
                               fields={"otp_token": [message]}, status=401)
    session_start(request, user, LoginMethod.PASSWORD, phone)
    if device is not None:
        otp_login(request, device)
        log_action(user, "accounts.second_factor_passed", user,
                   {"device": device.persistent_id, "channel": "api"}, ip=client_ip(request))
    return user


def login_with_sms(*, request: HttpRequest, phone: str, code: str) -> User:
    """Log in by phone and a one-time SMS code (ACC-1)."""
    phone = _phone(phone)
    # A number without an account (never registered, or its account closed) is sent no code, so
    # its login fails like a wrong code, with one message that says both (issue 15): truthful,
    # and it does not tell a stranger which numbers have accounts.
    neutral = _("验证码不正确，或该手机号没有可登录的账号（未注册或已注销）。")
    try:
        sms_code_consume(phone=phone, purpose=SmsPurpose.LOGIN, code=code)
    except ServiceError as exc:
        if exc.code != "sms_code_invalid":
            raise
        raise ServiceError(exc.code, neutral, fields={"code": [neutral]}) from exc
    user = User.objects.filter(phone_index=phone_index(phone), is_active=True).first()
    if user is None or user.role not in SELF_SERVICE_ROLES:
        raise ServiceError("invalid_credentials", neutral, fields={"code": [neutral]})
    session_start(request, user, LoginMethod.SMS, phone)
    return user


def session_end(*, request: HttpRequest, reason: str = "logout") -> None:
    """Log out: the login record gets its log-out time and the session is flushed (ACC-3/4)."""
    user = request.user if request.user.is_authenticated else None
    digest = _session_digest(request)
    if digest:
        LoginRecord.objects.filter(session_digest=digest, logout_at=None).update(
            logout_at=timezone.now(), logout_reason=reason)
    if user is not None:
        log_action(user, "accounts.logout", user, {"reason": reason}, ip=client_ip(request))
    logout(request)


# --- Real-name verification ------------------------------------------------------------------

REAL_NAME_CHECKS_PER_DAY = 5


def real_name_verify(*, user: User, name: str, id_number: str) -> bool:
    """Check the ID number's GB 11643 checksum and birth date, then name + number through the
    ``RealNameVerifier`` (ACC-1). On a match both are stored encrypted. Returns the match."""
    name = normalize_text(name)
    if not 2 <= len(name) <= 30:
        msg = _("请输入与身份证一致的姓名。")
        raise ServiceError("invalid_name", msg, fields={"name": [msg]})
    try:
        info = parse_id_number(id_number)
    except ValidationError as exc:
        raise ServiceError("invalid_id_number", exc.messages[0],
                           fields={"id_number": exc.messages}) from exc
    index = id_number_index(info.number)
    if User.objects.filter(id_number_index=index).exclude(pk=user.pk).exists():
        msg = _("该身份证号已被其他账号认证。如有疑问请联系客服。")
        raise ServiceError("id_number_taken", msg, fields={"id_number": [msg]})
    since = timezone.now() - timedelta(days=1)
    if user.real_name_checks.filter(checked_at__gte=since).count() >= REAL_NAME_CHECKS_PER_DAY:
        raise ServiceError("realname_rate_limited", _("今日实名认证次数已用完，请明天再试。"),
                           status=429)
    provider = verifier()
    result = provider.verify(name=name, id_number=info.number)
    with transaction.atomic():
        RealNameCheck.objects.create(user=user, provider=provider.name, matched=result.matched,
                                     reason=result.reason)
        if result.matched:
            user.real_name_ciphertext = encrypt(name, context="real_name")
            user.id_number_ciphertext = encrypt(info.number, context="id_number")
            user.id_number_index = index
            user.real_name_verified_at = timezone.now()
            try:
                with transaction.atomic():
                    user.save(update_fields=["real_name_ciphertext", "id_number_ciphertext",
                                             "id_number_index", "real_name_verified_at"])
            except IntegrityError as exc:
                raise ServiceError("id_number_taken",
                                   _("该身份证号已被其他账号认证。如有疑问请联系客服。")) from exc
        log_action(user, "accounts.real_name_check", user,
                   {"id_number": mask_id_number(info.number), "result": result.reason})
    return result.matched


# --- API tokens ------------------------------------------------------------------------------

TOKEN_LIFETIME = timedelta(days=30)


def api_token_issue(*, user: User, name: str) -> str:
    """Create a bearer token; the raw value is returned once and only its hash is kept."""
    raw = "pq_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=normalize_text(name)[:50] or "api",
            digest=hashlib.sha256(raw.encode()).hexdigest(),
            expires_at=timezone.now() + TOKEN_LIFETIME,
        )
        log_action(user, "accounts.token_issued", token, {"name": token.name})
    return raw


def api_token_user_for_request(request: HttpRequest, raw: str) -> User | None:
    """``api_token_user`` resolved once per request: the legal-acceptance middleware and the API
    authentication both ask."""
    cached = getattr(request, "_api_token", None)
    if cached is None or cached[0] != raw:
        cached = (raw, api_token_user(raw))
        request._api_token = cached
    return cached[1]


#: ``last_used_at`` is a coarse "seen lately" mark: stamped at most this often, so that reading
#: with a token is not a database write (SEC-3: many concurrent clients must not queue on it).
TOKEN_STAMP_INTERVAL = timedelta(minutes=1)


def api_token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Stamps ``last_used_at`` only when the
    last stamp is older than ``TOKEN_STAMP_INTERVAL``, and never fails the request for it."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(digest=digest, revoked_at=None, expires_at__gt=now).first())
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_STAMP_INTERVAL:
        _token_stamp(token, now)
    return token.user


def _token_stamp(token: ApiToken, now: datetime) -> None:
    """Best effort: when the database is busy with writers, the stamp waits for the next minute
    instead of making a read wait. The condition keeps concurrent requests from all writing."""
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_STAMP_INTERVAL)
    try:
        with transaction.atomic():
            ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    except OperationalError:
        logger.info("api token %s: last-use stamp skipped, database busy", token.pk)


# --- Closing an account (ACC-5) ---------------------------------------------------------------

CLOSE_CONFIRMATION = "确认注销"


def account_close(*, user: User, confirmation: str, reason: str = "") -> ClosureRequest:
    """ACC-5: record the request and run the deletion workflow (PRIV-5) at once: the account is
    deactivated, its phone, e-mail and ID number released and erased, and what the law requires
    to keep is restricted (``pinqiao.rights.services.account_erase``)."""
    from pinqiao.rights.services import account_erase

    if user.role not in SELF_SERVICE_ROLES:
        raise ServiceError("not_allowed", _("工作人员账号请联系管理员注销。"), status=403)
    if normalize_text(confirmation) != CLOSE_CONFIRMATION:
        msg = _("请输入“%(text)s”以确认。") % {"text": CLOSE_CONFIRMATION}
        raise ServiceError("confirmation_required", msg, fields={"confirmation": [msg]})
    with transaction.atomic():
        request = ClosureRequest.objects.create(user=user, reason=normalize_text(reason)[:500])
        # The notice goes out before the erasure releases the phone and e-mail it is sent to.
        notify_before_erasure(user, "account_closed")
        erasure = account_erase(user=user, reason=reason)
        request.status = (ClosureRequest.Status.RECEIVED if erasure.held
                          else ClosureRequest.Status.COMPLETED)
        request.save(update_fields=["status"])
        log_action(user, "accounts.closed", user, {"closure_request": request.pk,
                                                   "erasure": erasure.pk})
    return request
