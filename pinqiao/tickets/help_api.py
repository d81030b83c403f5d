"""The help-centre API under ``/api/v1/help/`` (TKT-8): the public FAQ and its search, a
user's support tickets, and for customer service the queue, replies from canned answers,
closing and converting a ticket into a complaint case; FAQ and canned-answer editing for
``help.manage``. Errors follow ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile

from pinqiao.api.auth import user_auth
from pinqiao.tickets import help_selectors as selectors
from pinqiao.tickets import services, targets
from pinqiao.tickets.models import FaqCategory, SupportTicket

router = Router(tags=["帮助中心与客服工单"])
NO_FILES = File(None)


class HelpFaqCategoryOut(Schema):
    id: int
    name: str
    position: int


class HelpFaqOut(Schema):
    id: int
    category_id: int
    question: str
    answer: str
    version: int
    updated_at: datetime


class HelpFaqStaffOut(HelpFaqOut):
    published: bool
    position: int


class HelpFaqIn(Schema):
    category_id: int
    question: str
    answer: str
    published: bool = True
    position: int = 0
    note: str = ""


class HelpFaqRevisionOut(Schema):
    version: int
    category_name: str
    question: str
    answer: str
    published: bool
    note: str
    edited_by_id: int | None
    edited_at: datetime


class HelpAttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class HelpMessageOut(Schema):
    id: int
    from_staff: bool
    body: str
    created_at: datetime
    attachments: list[HelpAttachmentOut]


class HelpTicketOut(Schema):
    id: int
    reference: str
    category: str
    subject: str
    status: str
    case_reference: str
    created_at: datetime
    updated_at: datetime


class HelpTicketDetailOut(HelpTicketOut):
    messages: list[HelpMessageOut]


class HelpStaffTicketOut(HelpTicketDetailOut):
    user_id: int
    assigned_to_id: int | None


class HelpTicketIn(Schema):
    category: str
    subject: str
    body: str


class HelpReplyIn(Schema):
    body: str


class HelpStaffReplyIn(Schema):
    body: str
    canned_answer_id: int | None = None
    close: bool = False


class HelpConvertIn(Schema):
    target_type: str
    target_id: str
    reason_code: str
    desired_outcome: str = ""


class HelpConvertOut(Schema):
    ticket: HelpTicketOut
    case_id: int
    case_reference: str
    received_at: datetime
    deadline: str


class HelpCannedIn(Schema):
    title: str
    body: str
    category: str = ""
    active: bool = True


class HelpCannedOut(Schema):
    id: int
    title: str
    body: str
    category: str
    active: bool
    updated_at: datetime


def _ticket(ticket: SupportTicket, *, detail: bool = False, staff: bool = False) -> dict:
    out = {"id": ticket.pk, "reference": ticket.reference, "category": ticket.category,
           "subject": ticket.subject, "status": ticket.status,
           "case_reference": ticket.case.reference if ticket.case_id else "",
           "created_at": ticket.created_at, "updated_at": ticket.updated_at}
    if detail or staff:
        out["messages"] = [
            {"id": m.pk, "from_staff": m.from_staff, "body": m.body, "created_at": m.created_at,
             "attachments": [{"id": a.pk, "original_name": a.original_name,
                              "content_type": a.content_type, "size": a.size}
                             for a in m.attachments.all()]}
            for m in ticket.messages.all()]
    if staff:
        out.update(user_id=ticket.user_id, assigned_to_id=ticket.assigned_to_id)
    return out


# --- public FAQ ------------------------------------------------------------------------------

@router.get("/help/faq-categories", response=list[HelpFaqCategoryOut], summary="常见问题分类")
def faq_categories(request: HttpRequest) -> object:
    return list(selectors.faq_categories())


@router.get("/help/faq", response=list[HelpFaqOut], summary="搜索常见问题（TKT-8）")
def faq_list(request: HttpRequest, q: str = "", category_id: int | None = None) -> object:
    return list(selectors.faq_search(q=q[:100], category_id=category_id)[:100])


@router.get("/help/faq/{entry_id}", response=HelpFaqOut, summary="常见问题详情")
def faq_detail(request: HttpRequest, entry_id: int) -> object:
    return selectors.faq_public_get(entry_id=entry_id)


# --- a user's tickets -------------------------------------------------------------------------

@router.post("/help/tickets", auth=user_auth, response={201: HelpTicketDetailOut},
             summary="提交客服工单")
def ticket_create(request: HttpRequest, payload: Form[HelpTicketIn],
                  files: list[UploadedFile] | None = NO_FILES) -> object:
    """Multipart: the fields and up to five attachments (PDF, PNG, JPEG, checked by content).
    The same question sent twice the same day returns the same ticket."""
    ticket = services.ticket_open(actor=request.auth, files=files or [], **payload.dict())
    ticket = selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket.pk)
    return Status(201, _ticket(ticket, detail=True))


@router.get("/help/tickets", auth=user_auth, response=list[HelpTicketOut], summary="我的工单")
def tickets_mine(request: HttpRequest) -> object:
    return [_ticket(t) for t in selectors.tickets_for_user(viewer=request.auth)[:200]]


@router.get("/help/tickets/{ticket_id}", auth=user_auth, response=HelpTicketDetailOut,
            summary="我的工单详情")
def ticket_mine(request: HttpRequest, ticket_id: int) -> object:
    return _ticket(selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket_id),
                   detail=True)


@router.post("/help/tickets/{ticket_id}/messages", auth=user_auth,
             response={201: HelpTicketDetailOut}, summary="补充说明")
def ticket_reply(request: HttpRequest, ticket_id: int, payload: Form[HelpReplyIn],
                 files: list[UploadedFile] | None = NO_FILES) -> object:
    ticket = selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket_id)
    services.ticket_user_reply(actor=request.auth, ticket=ticket, body=payload.body,
                               files=files or [])
    return Status(201, _ticket(selectors.ticket_for_user(viewer=request.auth,
                                                         ticket_id=ticket_id), detail=True))


@router.post("/help/tickets/{ticket_id}/close", auth=user_auth, response=HelpTicketOut,
             summary="关闭工单")
def ticket_close(request: HttpRequest, ticket_id: int) -> object:
    ticket = selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket_id)
    return _ticket(services.ticket_close(actor=request.auth, ticket=ticket))


class HelpRatingIn(Schema):
    satisfaction: int
    process: int
    efficiency: int
    result: int
    attitude: int
    comment: str = ""


@router.post("/help/tickets/{ticket_id}/rating", auth=user_auth, response={201: dict},
             summary="评价已关闭的工单（TKT-7）")
def ticket_rating(request: HttpRequest, ticket_id: int, payload: HelpRatingIn) -> object:
    ticket = selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket_id)
    rating = services.ticket_rate(actor=request.auth, ticket=ticket, **payload.dict())
    return Status(201, {"id": rating.pk})


@router.post("/help/tickets/{ticket_id}/reopen", auth=user_auth, response=HelpTicketOut,
             summary="重新打开工单（关闭后 30 天内）")
def ticket_reopen(request: HttpRequest, ticket_id: int, payload: HelpReplyIn) -> object:
    ticket = selectors.ticket_for_user(viewer=request.auth, ticket_id=ticket_id)
    return _ticket(services.ticket_reopen(actor=request.auth, ticket=ticket, body=payload.body))


# --- customer service -------------------------------------------------------------------------

@router.get("/help/desk/tickets", auth=user_auth, response=list[HelpTicketOut],
            summary="客服工单队列（待回复按先后）")
def desk_tickets(request: HttpRequest, scope: str = "waiting", mine: bool = False) -> object:
    return [_ticket(t) for t in selectors.ticket_queue(viewer=request.auth, scope=scope,
                                                       mine=mine)[:200]]


@router.get("/help/desk/tickets/{ticket_id}", auth=user_auth, response=HelpStaffTicketOut,
            summary="客服工单详情")
def desk_ticket(request: HttpRequest, ticket_id: int) -> object:
    return _ticket(selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id),
                   staff=True)


@router.post("/help/desk/tickets/{ticket_id}/reply", auth=user_auth,
             response=HelpStaffTicketOut, summary="回复用户（可基于常用回复修改）")
def desk_reply(request: HttpRequest, ticket_id: int, payload: HelpStaffReplyIn) -> object:
    ticket = selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id)
    canned = selectors.canned_get(viewer=request.auth, canned_id=payload.canned_answer_id) \
        if payload.canned_answer_id else None
    services.ticket_staff_reply(actor=request.auth, ticket=ticket, body=payload.body,
                                canned=canned, close=payload.close)
    return _ticket(selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id),
                   staff=True)


@router.post("/help/desk/tickets/{ticket_id}/close", auth=user_auth,
             response=HelpStaffTicketOut, summary="关闭工单（客服）")
def desk_close(request: HttpRequest, ticket_id: int) -> object:
    ticket = selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id)
    services.ticket_close(actor=request.auth, ticket=ticket)
    return _ticket(selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id),
                   staff=True)


@router.post("/help/desk/tickets/{ticket_id}/convert", auth=user_auth,
             response={201: HelpConvertOut}, summary="转为投诉案件（时限从工单提交时起算）")
def desk_convert(request: HttpRequest, ticket_id: int, payload: HelpConvertIn) -> object:
    ticket = selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id)
    case = services.ticket_convert(
        actor=request.auth, ticket=ticket, reason_code=payload.reason_code,
        desired_outcome=payload.desired_outcome,
        target=targets.target_get(payload.target_type, payload.target_id))
    ticket = selectors.ticket_for_staff(viewer=request.auth, ticket_id=ticket_id)
    return Status(201, {"ticket": _ticket(ticket), "case_id": case.pk,
                        "case_reference": case.reference, "received_at": case.received_at,
                        "deadline": case.deadline.isoformat()})


@router.get("/help/desk/canned", auth=user_auth, response=list[HelpCannedOut],
            summary="常用回复")
def canned_list(request: HttpRequest, category: str = "") -> object:
    return list(selectors.canned_answers(viewer=request.auth, category=category))


@router.post("/help/desk/canned", auth=user_auth, response={201: HelpCannedOut},
             summary="新增常用回复")
def canned_create(request: HttpRequest, payload: HelpCannedIn) -> object:
    return Status(201, services.canned_save(actor=request.auth, **payload.dict()))


@router.put("/help/desk/canned/{canned_id}", auth=user_auth, response=HelpCannedOut,
            summary="修改常用回复")
def canned_update(request: HttpRequest, canned_id: int, payload: HelpCannedIn) -> object:
    canned = selectors.canned_get(viewer=request.auth, canned_id=canned_id)
    return services.canned_save(actor=request.auth, canned=canned, **payload.dict())


def _category(category_id: int) -> FaqCategory | None:
    return FaqCategory.objects.filter(pk=category_id).first()


@router.post("/help/desk/faq", auth=user_auth, response={201: HelpFaqStaffOut},
             summary="新增常见问题（保存时审核）")
def faq_create(request: HttpRequest, payload: HelpFaqIn) -> object:
    data = payload.dict()
    category = _category(data.pop("category_id"))
    return Status(201, services.faq_save(actor=request.auth, category=category, **data))


@router.put("/help/desk/faq/{entry_id}", auth=user_auth, response=HelpFaqStaffOut,
            summary="修改常见问题（新版本，保存时审核）")
def faq_update(request: HttpRequest, entry_id: int, payload: HelpFaqIn) -> object:
    entry = selectors.faq_get_for_staff(viewer=request.auth, entry_id=entry_id)
    data = payload.dict()
    category = _category(data.pop("category_id"))
    return services.faq_save(actor=request.auth, entry=entry, category=category, **data)


@router.get("/help/desk/faq/{entry_id}/history", auth=user_auth,
            response=list[HelpFaqRevisionOut], summary="常见问题修改历史")
def faq_history(request: HttpRequest, entry_id: int) -> object:
    entry = selectors.faq_get_for_staff(viewer=request.auth, entry_id=entry_id)
    return list(selectors.faq_history(viewer=request.auth, entry=entry))
