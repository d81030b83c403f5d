"""What the interviews app does when the applications app signals: an application that ended
takes its open interview with it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from pinqiao.applications.models import FINAL_STAGES
from pinqiao.applications.signals import application_stage_changed
from pinqiao.interviews import services


@receiver(application_stage_changed, dispatch_uid="interviews.cancel_on_application_end")
def cancel_on_application_end(sender: Any, *, application: Any, to_stage: str,
                              **kwargs: Any) -> None:
    if to_stage in FINAL_STAGES:
        services.interviews_cancel_for_application(application=application)
