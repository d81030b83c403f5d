"""Desk services, one module per sub-domain, public names re-exported here:

- :mod:`.cases` — reports, complaints and appeals, the clock, handling, results (TKT-1 … TKT-7);
- :mod:`.helpcentre` — the FAQ, support tickets and canned answers (TKT-8).
"""

from pinqiao.tickets.models import APPEAL_REASON
from pinqiao.tickets.services.cases import (
    CONTENT_MAX,
    DISPUTE_DAYS,
    FINDING_MAX,
    OUTCOME_MAX,
    ClockRun,
    Intake,
    MailRun,
    Measures,
    case_accept,
    case_assign,
    case_close,
    case_from_report,
    case_investigate,
    case_rate,
    case_refer,
    case_reopen,
    case_resolve,
    case_submit,
    clock_run,
    mail_receive,
)
from pinqiao.tickets.services.helpcentre import (
    FAQ_WAIVED,
    canned_save,
    faq_category_save,
    faq_save,
    ticket_close,
    ticket_convert,
    ticket_open,
    ticket_rate,
    ticket_reopen,
    ticket_staff_reply,
    ticket_user_reply,
)

__all__ = [
    "APPEAL_REASON", "CONTENT_MAX", "DISPUTE_DAYS", "FAQ_WAIVED", "FINDING_MAX", "OUTCOME_MAX",
    "ClockRun", "Intake", "MailRun", "Measures", "canned_save", "case_accept", "case_assign",
    "case_close", "case_from_report", "case_investigate", "case_rate", "case_refer",
    "case_reopen", "case_resolve", "case_submit", "clock_run", "faq_category_save", "faq_save",
    "mail_receive", "ticket_close", "ticket_convert", "ticket_open", "ticket_rate",
    "ticket_reopen",
    "ticket_staff_reply", "ticket_user_reply",
]
