"""Deletion (PRIV-5, ACC-5) and legal holds (RET-1).

``erasure_run`` runs every registered eraser in one transaction: what may be erased is erased or
anonymised, what the law requires to keep is restricted until the date the retention schedule
gives. A person under a legal hold is not erased: the account is closed (processing blocked),
everything is kept and restricted, and the request is refused with the hold's reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import DecryptionError, decrypt
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.rights.models import (
    Erasure,
    HoldScope,
    LegalHold,
    RefusalReason,
    RequestKind,
    RequestStatus,
    RightsRequest,
)
from pinqiao.rights.registry import ERASERS, RESTRICTED, ErasureContext, ErasureItem
from pinqiao.rights.requests import rights_request_open


def active_hold(user: Any) -> LegalHold | None:
    return LegalHold.objects.filter(user=user, released_at=None).order_by("placed_at").first()


def _phone_index(user: Any) -> str:
    from pinqiao.accounts.identity import phone_index

    if user.phone_index:
        return user.phone_index
    try:
        return phone_index(decrypt(user.phone_ciphertext, context="phone")) \
            if user.phone_ciphertext else ""
    except DecryptionError:
        return ""


def erasure_run(*, user: Any, actor: Any, request: RightsRequest) -> Erasure:
    """PRIV-5: erase, anonymise or restrict everything held about ``user``."""
    now = timezone.now()
    with transaction.atomic():
        hold = active_hold(user)
        if hold is not None:
            user.is_active = False
            user.closed_at = user.closed_at or now
            user.save(update_fields=["is_active", "closed_at"])
            user.api_tokens.filter(revoked_at=None).update(revoked_at=now)
            items = [ErasureItem(_("全部个人信息（账号已停用，信息限制处理，不对外展示）"),
                                 RESTRICTED, 1, None, _("依法保全：%(reason)s") %
                                 {"reason": hold.reason})]
            request.status, request.refusal_reason = RequestStatus.REFUSED, RefusalReason.LEGAL_HOLD
            request.answer = _("您的个人信息因依法保全暂不能删除（%(reason)s）。保全解除后我们将"
                               "按您的申请删除，届时另行通知。") % {"reason": hold.reason}
        else:
            ctx = ErasureContext(user=user, now=now, actor=actor, phone_index=_phone_index(user))
            items = [item for eraser in ERASERS.values() for item in eraser.erase(ctx)]
            request.status = RequestStatus.COMPLETED
            request.answer = _("已按您的申请删除个人信息；依法需要保存的记录已限制处理，"
                               "到期后删除或匿名化。")
        request.answered_at = now
        request.save(update_fields=["status", "refusal_reason", "answer", "answered_at"])
        erasure = Erasure.objects.create(
            request=request, user=user, held=hold is not None,
            hold_reason=hold.reason if hold else "", items=[i.as_dict() for i in items],
            completed_at=now)
        log_action(actor, "rights.erasure", erasure,
                   {"held": erasure.held, "items": [[i.action, i.count] for i in items]})
    return erasure


def account_erase(*, user: Any, reason: str = "") -> Erasure:
    """ACC-5: closing an account files a deletion request and runs the erasure at once."""
    with transaction.atomic():
        request = rights_request_open(user=user, kind=RequestKind.DELETE,
                                      details=normalize_text(reason)[:500],
                                      status=RequestStatus.IN_PROGRESS)
        return erasure_run(user=user, actor=user, request=request)


def erasure_for_owner(*, user: Any, erasure_id: int) -> Erasure:
    erasure = Erasure.objects.filter(pk=erasure_id, user=user).first()
    if erasure is None:
        raise NotFound(_("没有找到该删除记录。"))
    return erasure


# --- legal holds ------------------------------------------------------------------------------

def legal_hold_place(*, actor: Any, scope: str, reason: str, user: Any = None,
                     organisation: Any = None, case_ref: str = "") -> LegalHold:
    """RET-1, PRIV-5: stop erasure and retention for a person, an organisation or a case."""
    require_perm(actor, "retention.manage")
    reason = normalize_text(reason or "").strip()[:300]
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("请写明保全原因（如投诉编号、执法机关的协查函）。")]
    if scope not in HoldScope.values:
        errors["scope"] = [_("请选择保全范围。")]
    elif scope == HoldScope.PERSON and user is None:
        errors["user"] = [_("请指定被保全的个人。")]
    elif scope == HoldScope.ORGANISATION and organisation is None:
        errors["organisation"] = [_("请指定被保全的单位。")]
    elif scope == HoldScope.CASE and not (case_ref and (user or organisation)):
        errors["case_ref"] = [_("案件保全需要案件编号，并指定涉及的个人或单位。")]
    if errors:
        raise ServiceError("invalid_hold", next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        hold = LegalHold.objects.create(scope=scope, user=user, organisation=organisation,
                                        case_ref=normalize_text(case_ref)[:60], reason=reason,
                                        placed_by=actor)
        log_action(actor, "retention.hold_placed", hold,
                   {"scope": scope, "user": getattr(user, "pk", None),
                    "organisation": getattr(organisation, "pk", None)})
    return hold


def legal_hold_release(*, actor: Any, hold_id: int) -> LegalHold:
    require_perm(actor, "retention.manage")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id, released_at=None).first()
        if hold is None:
            raise NotFound(_("没有找到生效中的保全。"))
        hold.released_at = timezone.now()
        hold.save(update_fields=["released_at"])
        log_action(actor, "retention.hold_released", hold, {})
    return hold
