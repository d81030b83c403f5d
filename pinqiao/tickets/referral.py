"""The case file for the authorities (TKT-4): a PDF with the case, the complainant (the
authorities need to reach them), the finding, the history and the evidence list with each
file's SHA-256, so the files handed over can be checked against it."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.tickets.models import Case, CaseStatus
from pinqiao.tickets.selectors import case_contact


def referral_pdf(*, viewer: Any, case: Case) -> bytes:
    """Render the referral file of a referred case; the export is audited."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if case.status != CaseStatus.REFERRED:
        raise ServiceError("not_referred", _("只有已移送的案件可以导出移送材料。"))
    from pinqiao.rights.destinations import CASE_REFERRAL, destination_check
    from pinqiao.rights.models import DestinationKind

    destination_check(kind=DestinationKind.REGULATOR, target=CASE_REFERRAL,
                      what="case_referral", actor=viewer)
    contact = case_contact(viewer=viewer, case=case, reveal=True)
    html = render_to_string("tickets/referral.html", {
        "case": case, "contact": contact, "events": case.events.select_related("actor"),
        "evidence": case.evidence.all(), "generated_at": timezone.localtime()})
    log_action(viewer, "case.referral_exported", case, {"reference": case.reference,
                                                        "authority": case.referred_to})
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
