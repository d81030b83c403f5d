"""Chat pages (MSG-1, MSG-2, MSG-4, DISC-6): the conversation list, the thread with its
composer, and the actions on a conversation. Views are thin: parse, call one service or
selector, render. Refusals come back onto the thread with the typed text kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required, staff_required
from pinqiao.messaging import selectors, services
from pinqiao.messaging.forms import AppealForm, ExchangeForm, ImageForm, MessageForm, ReportForm
from pinqiao.messaging.models import Message, Side
from pinqiao.messaging.screening import tip_for

CHAT_ROLES = (Role.SEEKER, Role.RECRUITER)


@role_required(*CHAT_ROLES)
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    conversations = selectors.conversations_for(viewer=request.user)[:200]
    return render(request, "messaging/list.html", {"conversations": conversations})


def _thread_context(request: HttpRequest, conversation_id: int, **extra: Any) -> dict[str, Any]:
    conversation, side = selectors.conversation_for_participant(
        viewer=request.user, conversation_id=conversation_id)
    items = selectors.messages_after(conversation=conversation,
                                     after=max(0, conversation.last_seq - selectors.PAGE))
    rows = [{"m": m, "mine": m.side == side,
             "tip": tip_for(m.risk_categories) if side == Side.SEEKER and m.side == Side.ORG
             else ""} for m in items]
    interviews = []
    if side == Side.ORG:
        from pinqiao.interviews.models import OPEN_STATUSES, Interview

        interviews = list(Interview.objects.filter(
            application__seeker_id=conversation.seeker_id,
            application__organisation_id=conversation.organisation_id,
            status__in=OPEN_STATUSES).order_by("-created_at")[:10])
    context = {
        "conversation": conversation, "side": side, "rows": rows,
        "read_by_other": conversation.org_read_seq if side == Side.SEEKER
        else conversation.seeker_read_seq,
        "blocked": selectors.is_blocked(conversation),
        "exchanges": selectors.open_exchanges(conversation),
        "bindings": selectors.bindings_for(conversation=conversation),
        "im_handle": selectors.released_im_handle(viewer=request.user, conversation=conversation),
        "interviews": interviews, "form": MessageForm(), "image_form": ImageForm(),
        "last_seq": conversation.last_seq,
    }
    context.update(extra)
    return context


@role_required(*CHAT_ROLES)
@require_GET
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "messaging/thread.html", _thread_context(request, pk))


@role_required(*CHAT_ROLES)
@require_POST
def send_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = MessageForm(request.POST)
    form.is_valid()
    try:
        services.message_send(actor=request.user, conversation_id=pk,
                              text=request.POST.get("text", ""),
                              client_id=request.POST.get("client_id", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        add_service_error(form, exc)
        status = 200 if request.headers.get("HX-Request") else exc.status
        appeal_link = exc.code == "chat_banned"
        if request.headers.get("HX-Request"):
            return render(request, "messaging/_composer.html",
                          {"form": form, "conversation_id": pk, "appeal_link": appeal_link},
                          status=status)
        return render(request, "messaging/thread.html",
                      _thread_context(request, pk, form=form, appeal_link=appeal_link),
                      status=status)
    if request.headers.get("HX-Request"):
        return render(request, "messaging/_composer.html",
                      {"form": MessageForm(), "conversation_id": pk})
    return redirect("messaging:thread", pk)


def _action(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    """Run one service for the thread's action buttons; a refusal is shown on the thread."""
    try:
        call()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("messaging:thread", pk)


def _back(request: HttpRequest) -> str:
    back = str(request.POST.get("back", ""))
    return back if back.startswith("/") and not back.startswith("//") else reverse("messaging:list")


@role_required(*CHAT_ROLES)
@require_POST
def start_view(request: HttpRequest, posting_pk: int) -> HttpResponse:
    """「立即沟通」 on a posting (seeker) or on an application (recruiter, with ``seeker``)."""
    seeker_id = request.POST.get("seeker")
    try:
        conversation, _created = services.conversation_open(
            actor=request.user, posting_id=posting_pk,
            seeker_id=int(seeker_id) if seeker_id and seeker_id.isdigit() else None)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect(_back(request))
    return redirect("messaging:thread", conversation.pk)


@role_required(Role.RECRUITER)
@require_POST
def start_talent_view(request: HttpRequest) -> HttpResponse:
    """「立即沟通」 on a talent-search card: the recruiter picks one of the organisation's
    published postings; the card names the résumé, the service decides whether its owner may be
    contacted (public and open to recruiters, or applied; not blocked; the daily limit)."""
    raw = str(request.POST.get("posting", ""))
    seeker_id = selectors.seeker_for_resume(request.POST.get("resume", ""))
    if not raw.isdigit():
        messages.error(request, _("请选择要沟通的职位。"))
        return redirect(_back(request))
    try:
        if seeker_id is None:
            raise NotFound(_("没有找到该求职者。"))
        conversation, _created = services.conversation_open(
            actor=request.user, posting_id=int(raw), seeker_id=seeker_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    return redirect("messaging:thread", conversation.pk)


@role_required(Role.SEEKER)
@require_POST
def block_view(request: HttpRequest, pk: int) -> HttpResponse:
    blocked = request.POST.get("blocked", "1") == "1"
    return _action(request, pk, lambda: services.organisation_block(
        actor=request.user, conversation_id=pk, blocked=blocked),
        _("已屏蔽该单位，其所有招聘者都不能再给您发消息。") if blocked else _("已解除屏蔽。"))


@role_required(Role.SEEKER)
@require_POST
def mute_view(request: HttpRequest, pk: int) -> HttpResponse:
    muted = request.POST.get("muted", "1") == "1"
    return _action(request, pk, lambda: services.conversation_mute(
        actor=request.user, conversation_id=pk, muted=muted),
        _("已开启免打扰。") if muted else _("已关闭免打扰。"))


@role_required(*CHAT_ROLES)
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    conversation, _side = selectors.conversation_for_participant(viewer=request.user,
                                                                 conversation_id=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_report(actor=request.user, conversation_id=pk,
                                         reason=form.cleaned_data["reason"],
                                         detail=form.cleaned_data["detail"])
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("举报已提交，平台将尽快核查处理。"))
            return redirect("messaging:thread", pk)
    return render(request, "messaging/report.html", {"form": form, "conversation": conversation})


@role_required(Role.SEEKER)
@require_POST
def resume_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk,
                   lambda: services.resume_send(actor=request.user, conversation_id=pk),
                   _("简历已发送，该单位可以查看您的在线简历（联系方式除外）。"))


@role_required(Role.RECRUITER)
@require_POST
def interview_view(request: HttpRequest, pk: int) -> HttpResponse:
    raw = request.POST.get("interview", "")
    return _action(request, pk, lambda: services.interview_card_send(
        actor=request.user, conversation_id=pk,
        interview_id=int(raw) if raw.isdigit() else 0), _("面试邀请已发送。"))


@role_required(*CHAT_ROLES)
@require_POST
def image_view_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda: services.image_send(
        actor=request.user, conversation_id=pk, upload=request.FILES.get("image")),
        _("图片已发送。"))


@role_required(*CHAT_ROLES)
@require_POST
def exchange_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExchangeForm(request.POST)
    kind = form.data.get("kind", "")
    return _action(request, pk, lambda: services.exchange_request(
        actor=request.user, conversation_id=pk, kind=kind), _("请求已发送，等待对方回应。"))


@role_required(*CHAT_ROLES)
@require_POST
def exchange_decide_view(request: HttpRequest, pk: int, exchange_pk: int) -> HttpResponse:
    accept = request.POST.get("accept") == "1"
    return _action(request, pk, lambda: services.exchange_decide(
        actor=request.user, exchange_id=exchange_pk, accept=accept),
        _("已同意。") if accept else _("已拒绝。"))


@role_required(*CHAT_ROLES)
@require_POST
def unbind_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda: services.binding_unbind(
        actor=request.user, conversation_id=pk), _("虚拟号码已解绑。"))


@login_required
@require_GET
def image_view(request: HttpRequest, message_pk: int) -> HttpResponse:
    """A chat image, only for the conversation's parties (or staff through a report)."""
    message = Message.objects.filter(pk=message_pk).exclude(image="").first()
    if message is None:
        raise NotFound(_("图片不存在。"))
    selectors.conversation_for_participant(viewer=request.user,
                                           conversation_id=message.conversation_id)
    response = FileResponse(message.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*CHAT_ROLES)
@require_POST
def read_view(request: HttpRequest, pk: int) -> HttpResponse:
    raw = request.POST.get("seq", "")
    try:
        services.conversation_read(actor=request.user, conversation_id=pk,
                                   seq=int(raw) if raw.lstrip("-").isdigit() else -1)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return HttpResponse(exc.message, status=exc.status)
    return HttpResponse(status=204)


@login_required
def restrictions_view(request: HttpRequest) -> HttpResponse:
    """The user's chat restrictions (MSG-2) with an appeal form for each; an appeal becomes a
    case on the complaints desk, linked from here."""
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        raw = request.POST.get("restriction", "")
        try:
            restriction = services.restriction_appeal(
                actor=request.user, restriction_id=int(raw) if raw.isdigit() else 0,
                text=form.cleaned_data["text"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            case = restriction.appeal_case
            messages.success(request, _("申诉已提交至投诉举报受理，编号 %(r)s，"
                                        "办结时限 %(d)s。") % {
                "r": case.reference, "d": case.deadline.isoformat()})
            return redirect("messaging:restrictions")
    return render(request, "messaging/restrictions.html",
                  {"restrictions": selectors.restrictions_for(viewer=request.user),
                   "form": form})


@staff_required()
@require_GET
def staff_report_view(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Staff read a conversation only through a report that names it; audited (MSG-1)."""
    conversation, report = selectors.conversation_for_staff(viewer=request.user,
                                                            report_id=report_pk)
    items = selectors.messages_after(conversation=conversation, after=0, limit=1000)
    return render(request, "messaging/staff_report.html",
                  {"conversation": conversation, "report": report, "items": items})
