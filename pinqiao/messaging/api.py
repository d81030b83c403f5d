"""Chat API under /api/v1/chat/ (MSG-1, MSG-2, MSG-4, RES-5, TKT-1): list, thread, send, read,
block, mute, report, exchange, résumé. The same services as the pages and the WebSocket
(``/ws/chat/``); errors follow ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotPermitted
from pinqiao.core.permissions import Role
from pinqiao.messaging import realtime, selectors, services

router = Router(tags=["即时沟通"])


class ConversationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    organisation_name: str
    seeker_name: str
    side: str
    last_seq: int
    unread: int
    read_by_other: int
    last_preview: str
    last_message_at: datetime | None


class MessageOut(Schema):
    conversation: int
    seq: int
    kind: str
    side: str
    sender: str
    body: str
    masked: bool
    tip: str
    at: str
    client_id: str


class ThreadOut(Schema):
    conversation: ConversationOut
    messages: list[MessageOut]


class OpenIn(Schema):
    posting_id: int
    seeker_id: int | None = None


class SendIn(Schema):
    text: str
    client_id: str = ""


class ReadIn(Schema):
    seq: int


class FlagIn(Schema):
    on: bool = True


class ChatReportIn(Schema):
    reason: str
    detail: str = ""


class ChatReportOut(Schema):
    report_id: int


class ExchangeIn(Schema):
    kind: str


class DecisionIn(Schema):
    accept: bool


class ExchangeOut(Schema):
    id: int
    kind: str
    status: str


class UnreadOut(Schema):
    unread: int


def _user(request: HttpRequest) -> Any:
    user = request.auth
    if user.role not in (Role.SEEKER, Role.RECRUITER):
        raise NotPermitted("只有求职者和招聘者可以使用沟通。")
    return user


def _conversation_out(conversation: Any, side: str) -> dict[str, Any]:
    mine, other = (("seeker_read_seq", "org_read_seq") if side == "seeker"
                   else ("org_read_seq", "seeker_read_seq"))
    return {"id": conversation.pk, "posting_id": conversation.posting_id,
            "posting_title": conversation.posting.title,
            "organisation_name": conversation.organisation.name,
            "seeker_name": conversation.seeker.display_name, "side": side,
            "last_seq": conversation.last_seq,
            "unread": conversation.last_seq - getattr(conversation, mine),
            "read_by_other": getattr(conversation, other),
            "last_preview": conversation.last_preview,
            "last_message_at": conversation.last_message_at}


def _message_out(message: Any, side: str) -> dict[str, Any]:
    payload = realtime.message_payload(message)
    if side != "seeker":
        payload["tip"] = ""
    return payload


@router.get("/chat/conversations", response=list[ConversationOut], auth=user_auth,
            summary="我的会话列表")
def conversation_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    side = "seeker" if user.role == Role.SEEKER else "org"
    return [_conversation_out(c, side) for c in selectors.conversations_for(viewer=user)[:200]]


@router.post("/chat/conversations", response={200: ConversationOut, 201: ConversationOut},
             auth=user_auth, summary="立即沟通：打开或继续会话")
def conversation_open(request: HttpRequest, payload: OpenIn) -> Status:
    user = _user(request)
    conversation, created = services.conversation_open(
        actor=user, posting_id=payload.posting_id, seeker_id=payload.seeker_id)
    conversation, side = selectors.conversation_for_participant(viewer=user,
                                                                conversation_id=conversation.pk)
    return Status(201 if created else 200, _conversation_out(conversation, side))


@router.get("/chat/unread", response=UnreadOut, auth=user_auth, summary="未读消息总数")
def unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_total(viewer=_user(request))}


@router.get("/chat/conversations/{conversation_id}", response=ThreadOut, auth=user_auth,
            summary="会话消息（after 之后的消息，最多 200 条）")
def thread(request: HttpRequest, conversation_id: int, after: int = 0) -> dict[str, Any]:
    user = _user(request)
    conversation, side = selectors.conversation_for_participant(
        viewer=user, conversation_id=conversation_id)
    items = selectors.messages_after(conversation=conversation, after=after)
    return {"conversation": _conversation_out(conversation, side),
            "messages": [_message_out(m, side) for m in items]}


@router.post("/chat/conversations/{conversation_id}/messages", response={201: MessageOut},
             auth=user_auth, summary="发送文字消息（经内容审核）")
def send(request: HttpRequest, conversation_id: int, payload: SendIn) -> Status:
    sent = services.message_send(actor=_user(request), conversation_id=conversation_id,
                                 text=payload.text, client_id=payload.client_id)
    return Status(201, _message_out(sent.message, sent.side))


@router.post("/chat/conversations/{conversation_id}/resume", response={201: MessageOut},
             auth=user_auth, summary="发送简历（同时授权该单位查看简历）")
def send_resume(request: HttpRequest, conversation_id: int) -> Status:
    sent = services.resume_send(actor=_user(request), conversation_id=conversation_id)
    return Status(201, _message_out(sent.message, sent.side))


@router.post("/chat/conversations/{conversation_id}/read", response={204: None},
             auth=user_auth, summary="标记已读至 seq")
def read(request: HttpRequest, conversation_id: int, payload: ReadIn) -> Status:
    services.conversation_read(actor=_user(request), conversation_id=conversation_id,
                               seq=payload.seq)
    return Status(204, None)


@router.post("/chat/conversations/{conversation_id}/block", response={204: None},
             auth=user_auth, summary="屏蔽（或解除屏蔽）该单位的全部招聘者")
def block(request: HttpRequest, conversation_id: int, payload: FlagIn) -> Status:
    services.organisation_block(actor=_user(request), conversation_id=conversation_id,
                                blocked=payload.on)
    return Status(204, None)


@router.post("/chat/conversations/{conversation_id}/mute", response={204: None},
             auth=user_auth, summary="免打扰")
def mute(request: HttpRequest, conversation_id: int, payload: FlagIn) -> Status:
    services.conversation_mute(actor=_user(request), conversation_id=conversation_id,
                               muted=payload.on)
    return Status(204, None)


@router.post("/chat/conversations/{conversation_id}/report", response={201: ChatReportOut},
             auth=user_auth, summary="举报会话")
def report(request: HttpRequest, conversation_id: int, payload: ChatReportIn) -> Status:
    made = services.conversation_report(actor=_user(request), conversation_id=conversation_id,
                                        reason=payload.reason, detail=payload.detail)
    return Status(201, {"report_id": made.pk})


@router.post("/chat/conversations/{conversation_id}/exchanges", response={201: ExchangeOut},
             auth=user_auth, summary="请求交换电话（虚拟号码）或微信")
def exchange(request: HttpRequest, conversation_id: int, payload: ExchangeIn
             ) -> Status:
    exchange = services.exchange_request(actor=_user(request), conversation_id=conversation_id,
                                         kind=payload.kind)
    return Status(201, exchange)


@router.post("/chat/exchanges/{exchange_id}/decision", response=ExchangeOut, auth=user_auth,
             summary="同意或拒绝交换请求")
def exchange_decision(request: HttpRequest, exchange_id: int, payload: DecisionIn) -> Any:
    return services.exchange_decide(actor=_user(request), exchange_id=exchange_id,
                                    accept=payload.accept)
