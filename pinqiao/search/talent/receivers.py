"""Every change that can move a résumé into, out of or within the résumé index queues it, in
the same transaction as the change (SRCH-2, RES-4): the résumé itself (content, visibility,
review state), its entries, its blocked organisations, and its owner's account being closed.

``QuerySet.update()`` and ``bulk_create`` send no signals; ``search_reconcile`` repairs what
they change (the stamp covers visibility, review state, blocked list and the indexed columns).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from pinqiao.resumes.models import (
    BlockedOrganisation,
    Certificate,
    Education,
    Honour,
    Resume,
    WorkExperience,
)
from pinqiao.search.services import outbox_record
from pinqiao.search.talent.index import SPEC

#: Rows that belong to one résumé through ``resume_id``.
CHILDREN = (BlockedOrganisation, Education, WorkExperience, Certificate, Honour)


def _resume_changed(sender: Any, instance: Resume, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    outbox_record(index=SPEC.name, object_ids=[instance.pk])


def _child_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    outbox_record(index=SPEC.name, object_ids=[instance.resume_id])


def _user_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An account closed (or reopened) takes its résumé out of (or back into) the index. Saves
    that cannot touch ``is_active`` (the last-login stamp) are ignored."""
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or kwargs.get("created") or (fields is not None
                                                       and "is_active" not in fields):
        return
    outbox_record(index=SPEC.name, object_ids=Resume.objects.filter(
        owner_id=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_resume_changed, sender=Resume, dispatch_uid="search.resume_saved")
    post_delete.connect(_resume_changed, sender=Resume, dispatch_uid="search.resume_deleted")
    for model in CHILDREN:
        label = model._meta.model_name
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"search.{label}_saved")
        post_delete.connect(_child_changed, sender=model,
                            dispatch_uid=f"search.{label}_deleted")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="search.user_saved")
