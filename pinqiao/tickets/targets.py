"""The parties a case can be about (TKT-1): a generic target named by a short type and an id.

Each app registers how to find its objects, who is answerable for them and how to take them
down; the desk knows no app's internals. Conversations are registered here too (only the
organisation answerable is read), so a chat report lands on the desk like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound, ServiceError


@dataclass(frozen=True)
class TargetInfo:
    label: str
    organisation: Any = None
    accused_user: Any = None


@dataclass(frozen=True)
class TargetType:
    name: str
    model_label: str
    describe: Callable[[models.Model], TargetInfo]
    #: ``remove(*, actor, target, case)`` takes the target down when a case is upheld.
    remove: Callable[..., None] | None = None


_types: dict[str, TargetType] = {}


def register_target(target_type: TargetType) -> None:
    _types[target_type.name] = target_type


def target_types() -> dict[str, TargetType]:
    return dict(_types)


def type_for_model(target: models.Model) -> TargetType:
    label = target._meta.label_lower
    for target_type in _types.values():
        if target_type.model_label == label:
            return target_type
    raise ServiceError("invalid_target", _("不支持投诉该类对象。"),
                       fields={"target_type": [_("不支持投诉该类对象。")]})


def target_get(name: str, object_id: str) -> models.Model:
    """The object of type ``name`` with ``object_id``, or a clear refusal."""
    target_type = _types.get(name)
    if target_type is None:
        raise ServiceError("invalid_target", _("请选择投诉对象的类型。"),
                           fields={"target_type": [_("请选择投诉对象的类型。")]})
    model = apps.get_model(target_type.model_label)
    try:
        target = model.objects.filter(pk=object_id).first()
    except (ValueError, TypeError):
        target = None
    if target is None:
        raise NotFound(_("被投诉的对象不存在。"))
    return target


def describe(target: models.Model) -> TargetInfo:
    return type_for_model(target).describe(target)


# --- the apps present from the start ----------------------------------------------------------

def _posting(posting: Any) -> TargetInfo:
    return TargetInfo(label=_("职位：%(t)s") % {"t": posting.title},
                      organisation=posting.organisation)


def _remove_posting(*, actor: Any, target: Any, case: Any) -> None:
    from pinqiao.jobs.models import PostingStatus, RemovalReason
    from pinqiao.jobs.services import posting_remove

    if target.status in (PostingStatus.REMOVED, PostingStatus.CLOSED):
        return
    code = case.reason_code if case.reason_code in RemovalReason.values else "false_info"
    posting_remove(actor=actor, posting=target, reason_code=code,
                   note=_("投诉举报 %(r)s 查证属实。") % {"r": case.reference})


def _organisation(organisation: Any) -> TargetInfo:
    return TargetInfo(label=_("单位：%(n)s") % {"n": organisation.name},
                      organisation=organisation)


def _resume(resume: Any) -> TargetInfo:
    return TargetInfo(label=_("简历 #%(id)s") % {"id": resume.pk}, accused_user=resume.owner)


def _user(user: Any) -> TargetInfo:
    return TargetInfo(label=_("用户 #%(id)s") % {"id": user.pk}, accused_user=user)


register_target(TargetType("posting", "jobs.posting", _posting, _remove_posting))
register_target(TargetType("organisation", "orgs.organisation", _organisation))
register_target(TargetType("resume", "resumes.resume", _resume))
register_target(TargetType("user", "accounts.user", _user))


def _conversation(conversation: Any) -> TargetInfo:
    """A chat is answered for by the organisation on its side (RISK-1: upheld chat reports
    count toward its risk score)."""
    return TargetInfo(label=_("沟通 #%(id)s") % {"id": conversation.pk},
                      organisation=conversation.organisation)


register_target(TargetType("conversation", "messaging.conversation", _conversation))
