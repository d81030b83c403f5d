"""「交换电话」 and 「交换微信」 (RES-5, MSG-4).

One side asks, the other accepts or declines. Accepting is the seeker's permission for that
organisation, kept with its wording and audited: a phone exchange binds the seeker and the
requesting recruiter to a virtual middle number (AXB) until it expires — neither side ever sees
the other's real number, and calls are listed in the conversation; a WeChat exchange releases
the seeker's instant-messaging handle to the organisation's chat members (shown to them by a
permission-checking selector, every read audited).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.messaging.models import (
    ExchangeKind,
    ExchangeRequest,
    ExchangeStatus,
    Kind,
    Side,
    VirtualBinding,
)
from pinqiao.messaging.selectors import side_of
from pinqiao.messaging.services.messages import _writable, system_message
from pinqiao.messaging.virtual_numbers import NoNumberAvailable, provider


def _wording(request: ExchangeRequest) -> str:
    org = request.conversation.organisation
    if request.kind == ExchangeKind.PHONE:
        return _("我同意与 %(name)s 通过平台虚拟号码通话：双方只看到虚拟号码，"
                 "真实手机号不向对方展示；"
                 "虚拟号码 %(days)s 天后失效，通话记录保存在会话中。") % {
            "name": org.name, "days": settings.CHAT_VIRTUAL_NUMBER_DAYS}
    return _("我同意向 %(name)s（统一社会信用代码 %(code)s）提供我简历中的即时通讯账号（微信），"
             "仅用于该单位就招聘事宜与我联系。") % {"name": org.name, "code": org.credit_code}


def exchange_request(*, actor: Any, conversation_id: int, kind: str) -> ExchangeRequest:
    """Ask the other side to exchange phone (virtual number) or WeChat; one open request per
    kind and conversation (database constraint)."""
    if kind not in ExchangeKind.values:
        raise ServiceError("invalid_kind", _("请选择交换电话或交换微信。"),
                           fields={"kind": [_("请选择交换电话或交换微信。")]})
    conversation, side = _writable(actor, conversation_id)
    if ExchangeRequest.objects.filter(conversation=conversation, kind=kind,
                                      status=ExchangeStatus.ACCEPTED).exists() and (
            kind == ExchangeKind.WECHAT or VirtualBinding.objects.filter(
                conversation=conversation, unbound_at=None,
                expires_at__gt=timezone.now()).exists()):
        raise ServiceError("already_exchanged", _("双方已交换过，无需再次请求。"))
    try:
        with transaction.atomic():
            request = ExchangeRequest.objects.create(conversation=conversation, kind=kind,
                                                     requested_by=actor, requested_side=side)
            system_message(actor=actor, conversation=conversation, side=side,
                           kind=Kind.EXCHANGE, body=_("请求%(what)s") % {
                               "what": ExchangeKind(kind).label}, exchange=request)
            log_action(actor, "chat.exchange_requested", request, {"kind": kind})
    except IntegrityError:
        raise ServiceError("exchange_open", _("已有一个待对方回应的请求。")) from None
    return request


def _phone_of(user: Any) -> str:
    if not user.phone_ciphertext:
        raise ServiceError("no_phone", _("账号未绑定手机号，无法使用虚拟号码通话。"))
    return decrypt(user.phone_ciphertext, context="phone")


def exchange_decide(*, actor: Any, exchange_id: int, accept: bool) -> ExchangeRequest:
    """The other side accepts or declines. Only a party of the conversation on the side that
    did not ask may decide; others get not found (audited)."""
    with transaction.atomic():
        request = (ExchangeRequest.objects.select_for_update()
                   .select_related("conversation__organisation", "conversation__seeker",
                                   "requested_by").filter(pk=exchange_id).first())
        side = side_of(actor, request.conversation) if request is not None else None
        if request is None or side is None or side == request.requested_side:
            log_action(actor, "chat.exchange_denied", ("messaging.exchangerequest", exchange_id),
                       {})
            denied = True
        else:
            denied = False
    if denied:
        raise NotFound(_("没有找到该请求。"))
    conversation, side = _writable(actor, request.conversation_id)
    with transaction.atomic():
        request = ExchangeRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ExchangeStatus.OPEN:
            raise ServiceError("exchange_decided", _("该请求已处理。"))
        request.status = ExchangeStatus.ACCEPTED if accept else ExchangeStatus.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.wording = _wording(request) if accept else ""
        request.save(update_fields=["status", "decided_by", "decided_at", "wording"])
        log_action(actor, "chat.exchange_accepted" if accept else "chat.exchange_declined",
                   request, {"kind": request.kind, "organisation": conversation.organisation_id})
        body = _("已同意%(what)s") if accept else _("已拒绝%(what)s")
        body = body % {"what": ExchangeKind(request.kind).label}
        if accept and request.kind == ExchangeKind.PHONE:
            binding = _bind(request)
            body += _("，虚拟号码 %(number)s，有效至 %(until)s") % {
                "number": binding.middle_number,
                "until": timezone.localtime(binding.expires_at).strftime("%Y-%m-%d")}
        system_message(actor=actor, conversation=conversation, side=side, kind=Kind.EXCHANGE,
                       body=body, exchange=request)
    return request


def _bind(request: ExchangeRequest) -> VirtualBinding:
    conversation = request.conversation
    recruiter = request.requested_by if request.requested_side == Side.ORG else request.decided_by
    seeker = conversation.seeker
    expires_at = timezone.now() + timedelta(days=settings.CHAT_VIRTUAL_NUMBER_DAYS)
    vn = provider()
    try:
        made = vn.bind(a_phone=_phone_of(seeker), b_phone=_phone_of(recruiter),
                       expires_at=expires_at)
    except NoNumberAvailable:
        raise ServiceError("no_virtual_number", _("暂无可用的虚拟号码，请稍后再试。")) from None
    binding = VirtualBinding.objects.create(
        conversation=conversation, exchange=request, provider=settings.VIRTUAL_NUMBER_PROVIDER,
        provider_ref=made.ref, middle_number=made.middle_number, seeker=seeker,
        recruiter=recruiter, expires_at=made.expires_at)
    log_action(request.decided_by, "chat.virtual_number_bound", binding,
               {"middle_number": made.middle_number, "expires_at": made.expires_at})
    return binding


@transaction.atomic
def binding_unbind(*, actor: Any, conversation_id: int) -> int:
    """Either party ends the virtual numbers of the conversation at once."""
    from pinqiao.messaging.selectors import conversation_for_participant

    conversation, side = conversation_for_participant(viewer=actor,
                                                      conversation_id=conversation_id)
    count = 0
    for binding in VirtualBinding.objects.select_for_update().filter(
            conversation=conversation, unbound_at=None):
        provider().unbind(ref=binding.provider_ref)
        binding.unbound_at = timezone.now()
        binding.save(update_fields=["unbound_at"])
        log_action(actor, "chat.virtual_number_unbound", binding, {})
        count += 1
    if not count:
        raise NotFound(_("没有生效中的虚拟号码。"))
    return count
