"""Chat services (MSG-1, MSG-2, MSG-4, RES-5, TKT-1), one module per sub-domain."""

from pinqiao.messaging.services.abuse import (
    end_all_sessions,
    rate_limit_take,
    restriction_appeal,
    restriction_appeal_decided,
)
from pinqiao.messaging.services.conversations import (
    conversation_mute,
    conversation_open,
    conversation_read,
    conversation_report,
    organisation_block,
)
from pinqiao.messaging.services.exchange import (
    binding_unbind,
    exchange_decide,
    exchange_request,
)
from pinqiao.messaging.services.messages import (
    SendRequest,
    Sent,
    image_send,
    interview_card_send,
    message_send,
    messages_send,
    presence_join,
    presence_leave,
    resume_send,
)

__all__ = [
    "SendRequest", "Sent", "binding_unbind", "conversation_mute", "conversation_open",
    "conversation_read", "conversation_report", "end_all_sessions", "exchange_decide",
    "exchange_request", "image_send", "interview_card_send", "message_send", "messages_send",
    "organisation_block", "presence_join", "presence_leave", "rate_limit_take",
    "restriction_appeal", "restriction_appeal_decided", "resume_send",
]
