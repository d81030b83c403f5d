"""What the applications app does when other apps signal: a posting stopped (no black hole),
a recruiter opened a résumé (「已查看」)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from pinqiao.applications import services
from pinqiao.jobs.signals import posting_status_changed
from pinqiao.privacy.signals import resume_viewed


@receiver(posting_status_changed, dispatch_uid="applications.close_on_posting_stop")
def close_on_posting_stop(sender: Any, *, posting: Any, from_status: str, to_status: str,
                          actor: Any, reason_code: str, **kwargs: Any) -> None:
    services.applications_close_for_posting(posting=posting, to_status=to_status,
                                            reason_code=reason_code, actor=actor)


@receiver(resume_viewed, dispatch_uid="applications.mark_viewed")
def mark_viewed(sender: Any, *, resume: Any, organisation: Any, viewer: Any,
                **kwargs: Any) -> None:
    services.applications_mark_viewed(resume=resume, organisation=organisation, viewer=viewer)
