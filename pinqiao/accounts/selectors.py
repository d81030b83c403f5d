"""Reads of account data. Personal data leaves here masked unless a check says otherwise."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from pinqiao.accounts.identity import phone_index
from pinqiao.accounts.models import LoginRecord, User
from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import ServiceError
from pinqiao.core.masking import mask_email, mask_id_number, mask_name, mask_phone
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_phone


def _plain(ciphertext: str, context: str) -> str:
    return decrypt(ciphertext, context=context) if ciphertext else ""


def user_summary(*, viewer: User, user: User) -> dict[str, Any]:
    """The account as its owner sees it in the API and on the account page: always masked."""
    if viewer.pk != user.pk:
        require_perm(viewer, "view.login_log")
    return {
        "id": user.pk,
        "username": user.username,
        "role": user.role,
        "display_name": user.display_name,
        "phone_masked": mask_phone(_plain(user.phone_ciphertext, "phone")),
        "email_masked": mask_email(user.email or ""),
        "real_name_verified": user.is_real_name_verified,
        "real_name_masked": mask_name(_plain(user.real_name_ciphertext, "real_name")),
        "id_number_masked": mask_id_number(_plain(user.id_number_ciphertext, "id_number")),
    }


def login_records_for_user(*, user: User, limit: int = 20) -> QuerySet[LoginRecord]:
    return LoginRecord.objects.filter(user=user).order_by("-login_at")[:limit]


def login_log_search(*, viewer: User, phone: str = "", username: str = "", ip: str = "",
                     since: datetime | None = None, until: datetime | None = None,
                     succeeded: bool | None = None, page: int | str = 1) -> Page:
    """Staff search of the login log (ACC-4) by phone (through its blind index), account, IP
    and time. Phones stay masked; the search itself is audited."""
    require_perm(viewer, "view.login_log")
    rows = LoginRecord.objects.select_related("user").order_by("-login_at")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            raise ServiceError("invalid_phone", exc.messages[0],
                               fields={"phone": exc.messages}) from exc
        rows = rows.filter(phone_index=phone_index(phone))
    if username:
        rows = rows.filter(user__username=username.strip())
    if ip:
        rows = rows.filter(ip=ip.strip())
    if since:
        rows = rows.filter(login_at__gte=since)
    if until:
        rows = rows.filter(login_at__lt=until)
    if succeeded is not None:
        rows = rows.filter(succeeded=succeeded)
    log_action(viewer, "accounts.login_log_searched", None,
               {"phone": mask_phone(phone) if phone else "", "username": username, "ip": ip})
    return Paginator(rows, 50).get_page(page)


def login_record_phone_masked(record: LoginRecord) -> str:
    return mask_phone(_plain(record.phone_ciphertext, "phone"))
