"""Help-centre pages (TKT-8): the public FAQ with its search, 「我的工单」 for users, the
customer-service queue with canned answers, the FAQ editor with its history and the canned
answers. Views are thin; refusals come back onto the form with the input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import has_perm, staff_required
from pinqiao.tickets import forms, services, targets
from pinqiao.tickets import help_selectors as selectors
from pinqiao.tickets.models import TicketStatus


def _refused(form: Any, exc: ServiceError) -> None:
    if exc.status == 404 and "target_id" in form.fields:
        form.add_error("target_id", exc.message)
    else:
        add_service_error(form, exc)


# --- the public help centre -------------------------------------------------------------------

@require_GET
def help_home_view(request: HttpRequest) -> HttpResponse:
    """The FAQ by category, searchable (TKT-8)."""
    q = request.GET.get("q", "")[:100]
    try:
        category_id = int(request.GET.get("category") or 0) or None
    except ValueError:
        category_id = None
    entries = selectors.faq_search(q=q, category_id=category_id)[:100]
    return render(request, "tickets/help/home.html", {
        "q": q, "category_id": category_id, "categories": selectors.faq_categories(),
        "entries": entries, "searching": bool(q or category_id)})


@require_GET
def faq_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "tickets/help/faq.html",
                  {"entry": selectors.faq_public_get(entry_id=pk)})


# --- 我的工单 ----------------------------------------------------------------------------------

@login_required
def tickets_mine_view(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/help/mine.html",
                  {"tickets": selectors.tickets_for_user(viewer=request.user)[:200]})


@login_required
def ticket_new_view(request: HttpRequest) -> HttpResponse:
    form = forms.TicketForm(request.POST or None, request.FILES or None,
                            initial={"category": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_open(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("工单已提交，编号 %(r)s。客服回复后会通知您。") % {
                "r": ticket.reference})
            return redirect("help:ticket", pk=ticket.pk)
    return render(request, "tickets/help/new.html", {"form": form})


@login_required
def ticket_view(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_for_user(viewer=request.user, ticket_id=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reply = forms.TicketReplyForm(request.POST if action == "reply" else None,
                                  request.FILES if action == "reply" else None)
    reopen = forms.TicketReopenForm(request.POST if action == "reopen" else None)
    rating = forms.RatingForm(request.POST if action == "rate" else None)
    if action:
        try:
            if action == "reply" and reply.is_valid():
                services.ticket_user_reply(actor=request.user, ticket=ticket,
                                           **reply.cleaned_data)
                messages.success(request, _("已发送，客服会尽快回复。"))
            elif action == "reopen" and reopen.is_valid():
                services.ticket_reopen(actor=request.user, ticket=ticket, **reopen.cleaned_data)
                messages.success(request, _("工单已重新打开。"))
            elif action == "close":
                services.ticket_close(actor=request.user, ticket=ticket)
                messages.success(request, _("工单已关闭，感谢您的反馈。"))
            elif action == "rate" and rating.is_valid():
                services.ticket_rate(actor=request.user, ticket=ticket, **rating.cleaned_data)
                messages.success(request, _("感谢您的评价。"))
            else:
                raise ServiceError("invalid_form", _("请检查填写的内容。"))
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error({"reopen": reopen, "rate": rating}.get(action, reply), exc)
        else:
            return redirect("help:ticket", pk=pk)
    return render(request, "tickets/help/ticket.html", {
        "ticket": ticket, "reply": reply, "reopen": reopen, "rating_form": rating,
        "rating": getattr(ticket, "rating", None), "statuses": TicketStatus})


@login_required
def ticket_attachment_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A ticket's files go only to its user (and to customer service through the staff view)."""
    ticket = selectors.ticket_for_user(viewer=request.user, ticket_id=pk)
    item = selectors.attachment_for(viewer=request.user, ticket=ticket,
                                    attachment_id=attachment_id)
    return FileResponse(item.file.open("rb"), content_type=item.content_type,
                        as_attachment=True, filename=item.original_name)


# --- customer service -------------------------------------------------------------------------

@staff_required("tickets.handle")
def queue_view(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "waiting")
    scope = scope if scope in ("waiting", "answered", "closed") else "waiting"
    mine = request.GET.get("mine") == "1"
    return render(request, "tickets/help/queue.html", {
        "tickets": selectors.ticket_queue(viewer=request.user, scope=scope, mine=mine)[:200],
        "scope": scope, "mine": mine, "can_manage": has_perm(request.user, "help.manage")})


def _reply_form(request: HttpRequest, ticket: Any, data: Any) -> forms.StaffReplyForm:
    canned = selectors.canned_answers(viewer=request.user, active_only=True,
                                      category=ticket.category)
    return forms.StaffReplyForm(data, canned_choices=[(c.pk, c.title) for c in canned])


@staff_required("tickets.handle")
def staff_ticket_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One ticket for customer service: reply (a canned answer is inserted into the text and
    edited before sending), close, or convert into a complaint case."""
    ticket = selectors.ticket_for_staff(viewer=request.user, ticket_id=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reply = _reply_form(request, ticket, request.POST if action in ("insert", "reply") else None)
    convert = forms.ConvertForm(request.POST if action == "convert" else None)
    if action == "insert" and reply.is_valid():
        # Insert the canned answer into the draft: nothing is saved or sent.
        data = reply.cleaned_data
        body = data["body"]
        if data["canned"]:
            canned = selectors.canned_get(viewer=request.user, canned_id=data["canned"])
            body = f"{body}\n{canned.body}".strip() if body else canned.body
        reply = _reply_form(request, ticket, None)
        reply.initial = {"body": body, "canned": data["canned"], "close": data["close"]}
    elif action in ("reply", "close", "convert"):
        try:
            if action == "reply" and reply.is_valid():
                data = reply.cleaned_data
                canned = selectors.canned_get(viewer=request.user, canned_id=data["canned"]) \
                    if data["canned"] else None
                services.ticket_staff_reply(actor=request.user, ticket=ticket, body=data["body"],
                                            canned=canned, close=data["close"])
                messages.success(request, _("回复已发送，已通知用户。"))
            elif action == "close":
                services.ticket_close(actor=request.user, ticket=ticket)
                messages.success(request, _("工单已关闭。"))
            elif action == "convert" and convert.is_valid():
                data = convert.cleaned_data
                case = services.ticket_convert(
                    actor=request.user, ticket=ticket, reason_code=data["reason_code"],
                    desired_outcome=data["desired_outcome"],
                    target=targets.target_get(data["target_type"], data["target_id"]))
                messages.success(request, _("已转为投诉案件 %(r)s，办结时限 %(d)s。") % {
                    "r": case.reference, "d": case.deadline.isoformat()})
            else:
                raise ServiceError("invalid_form", _("请检查填写的内容。"))
        except ServiceError as exc:
            form = convert if action == "convert" else reply
            if exc.status == 403:
                messages.error(request, exc.message)
            else:
                _refused(form, exc)
        else:
            return redirect("help:staff_ticket", pk=pk)
    return render(request, "tickets/help/staff_ticket.html", {
        "ticket": ticket, "reply": reply, "convert": convert})


@staff_required("tickets.handle")
def staff_attachment_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    ticket = selectors.ticket_for_staff(viewer=request.user, ticket_id=pk)
    item = selectors.attachment_for(viewer=request.user, ticket=ticket,
                                    attachment_id=attachment_id)
    return FileResponse(item.file.open("rb"), content_type=item.content_type,
                        as_attachment=True, filename=item.original_name)


# --- FAQ and canned answers (staff) -------------------------------------------------------------

@staff_required("help.manage")
def faq_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.FaqCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.faq_category_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("分类已保存。"))
            return redirect("help:faq_list")
    return render(request, "tickets/help/faq_list.html", {
        "entries": selectors.faq_for_staff(viewer=request.user),
        "categories": selectors.faq_category_list(viewer=request.user), "form": form})


@staff_required("help.manage")
def faq_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit an FAQ entry; the texts are screened and every save is kept in the
    history shown below the form."""
    entry = selectors.faq_get_for_staff(viewer=request.user, entry_id=pk) if pk else None
    initial = {"category": entry.category_id, "question": entry.question,
               "answer": entry.answer, "published": entry.published,
               "position": entry.position} if entry else {"published": True, "position": 0}
    form = forms.FaqForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.faq_save(actor=request.user, entry=entry, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已保存为第 %(v)s 版。") % {"v": entry.version})
            return redirect("help:faq_edit", pk=entry.pk)
    return render(request, "tickets/help/faq_edit.html", {
        "form": form, "entry": entry,
        "history": selectors.faq_history(viewer=request.user, entry=entry) if entry else []})


@staff_required("help.manage")
def canned_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/help/canned_list.html",
                  {"answers": selectors.canned_answers(viewer=request.user)})


@staff_required("help.manage")
def canned_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    canned = selectors.canned_get(viewer=request.user, canned_id=pk) if pk else None
    initial = {"title": canned.title, "body": canned.body, "category": canned.category,
               "active": canned.active} if canned else {"active": True}
    form = forms.CannedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.canned_save(actor=request.user, canned=canned, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("常用回复已保存。"))
            return redirect("help:canned_list")
    return render(request, "tickets/help/canned_edit.html", {"form": form, "canned": canned})
