"""The built-in exporters of the data download (PRIV-4): account, résumé (also as JSON Resume),
applications, interviews, consents, login log, the access trail of the résumé, notifications,
saved searches and rights requests. Other apps add theirs through ``registry``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pinqiao.rights.registry import Exporter, register_exporter


def _dt(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def account(user: Any) -> dict[str, Any]:
    from pinqiao.core.crypto import DecryptionError, decrypt

    def plain(token: str, context: str) -> str:
        try:
            return decrypt(token, context=context) if token else ""
        except DecryptionError:
            return ""

    return {
        "username": user.username, "display_name": user.display_name,
        "role": user.get_role_display(), "email": user.email or "",
        "phone": plain(user.phone_ciphertext, "phone"),
        "real_name": plain(user.real_name_ciphertext, "real_name"),
        "id_number": plain(user.id_number_ciphertext, "id_number"),
        "real_name_verified_at": _dt(user.real_name_verified_at),
        "date_joined": _dt(user.date_joined),
    }


def resume_json(user: Any) -> dict[str, Any] | None:
    from pinqiao.resumes.jsonresume import resume_json_export
    from pinqiao.resumes.selectors import resume_for_owner

    resume = resume_for_owner(owner=user)
    return resume_json_export(actor=user, resume=resume) if resume else None


def resume_settings(user: Any) -> dict[str, Any] | None:
    from pinqiao.resumes.selectors import resume_for_owner

    resume = resume_for_owner(owner=user)
    if resume is None:
        return None
    attachment = getattr(resume, "attachment", None) if hasattr(resume, "attachment") else None
    return {
        "public_id": str(resume.public_id), "visibility": resume.get_visibility_display(),
        "review_status": resume.get_review_status_display(),
        "template": resume.get_template_display(),
        "blocked_organisations": [b.organisation.name for b in resume.blocked.all()],
        "attachment": ({"original_name": attachment.original_name, "text": attachment.text}
                       if attachment else None),
        "created_at": _dt(resume.created_at), "updated_at": _dt(resume.updated_at),
    }


def applications(user: Any) -> list[dict[str, Any]]:
    from pinqiao.applications.models import REASON_LABELS, Application

    rows = Application.objects.filter(seeker=user).select_related(
        "posting", "organisation").prefetch_related("events").order_by("created_at")
    return [{
        "id": a.pk, "posting": a.posting.title, "organisation": a.organisation.name,
        "stage": a.get_stage_display(), "answers": a.answers, "applied_at": _dt(a.created_at),
        "history": [{"at": _dt(e.created_at), "to_stage": e.to_stage,
                     "reason": str(REASON_LABELS.get(e.reason_code, e.reason_code))}
                    for e in a.events.all() if e.visible_to_seeker],
    } for a in rows]


def interviews(user: Any) -> list[dict[str, Any]]:
    from pinqiao.interviews.models import Interview

    rows = Interview.objects.filter(application__seeker=user).select_related(
        "application__organisation").order_by("created_at")
    return [{
        "organisation": i.application.organisation.name, "title": i.title,
        "mode": i.get_mode_display(), "status": i.get_status_display(),
        "starts_at": _dt(i.starts_at), "location": i.location, "note": i.note,
    } for i in rows]


def consents(user: Any) -> list[dict[str, Any]]:
    from pinqiao.privacy.models import Consent

    return [{
        "purpose": c.get_purpose_display(),
        "organisation": c.organisation.name if c.organisation else "聘桥平台",
        "source": c.get_source_display(), "wording": c.wording,
        "granted_at": _dt(c.granted_at), "withdrawn_at": _dt(c.withdrawn_at),
    } for c in Consent.objects.filter(user=user).select_related("organisation")
        .order_by("granted_at")]


def login_log(user: Any) -> list[dict[str, Any]]:
    from pinqiao.accounts.models import LoginRecord

    return [{
        "login_at": _dt(r.login_at), "logout_at": _dt(r.logout_at),
        "method": r.get_method_display(), "succeeded": r.succeeded, "ip": r.ip or "",
        "user_agent": r.user_agent,
    } for r in LoginRecord.objects.filter(user=user).order_by("login_at")]


def access_trail(user: Any) -> list[dict[str, Any]]:
    from pinqiao.privacy.models import ResumeAccess

    return [{
        "at": _dt(a.at), "organisation": a.organisation.name, "kind": a.get_kind_display(),
        "fields": a.fields,
    } for a in ResumeAccess.objects.filter(resume__owner=user).select_related("organisation")
        .order_by("at")]


def notifications(user: Any) -> list[dict[str, Any]]:
    from pinqiao.notifications.models import Notification

    return [{"at": _dt(n.created_at), "subject": n.subject, "body": n.body}
            for n in Notification.objects.filter(user=user).order_by("created_at")]


def saved_searches(user: Any) -> list[dict[str, Any]]:
    from pinqiao.search.models import SavedSearch

    return [{"name": s.name, "params": s.params}
            for s in SavedSearch.objects.filter(owner=user).order_by("pk")]


def rights_requests(user: Any) -> list[dict[str, Any]]:
    from pinqiao.rights.models import RightsRequest

    return [{
        "kind": r.get_kind_display(), "status": r.get_status_display(),
        "received_at": _dt(r.received_at), "due_on": r.due_on.isoformat(),
        "answer": r.answer, "refusal_reason": r.get_refusal_reason_display(),
    } for r in RightsRequest.objects.filter(user=user).order_by("received_at")]


def install() -> None:
    for exporter in (
        Exporter("account", "account.json", _("账号信息"), account),
        Exporter("resume", "resume.json", _("在线简历（JSON Resume 格式）"), resume_json),
        Exporter("resume_settings", "resume_settings.json", _("简历设置与附件简历文字"),
                 resume_settings),
        Exporter("applications", "applications.json", _("投递记录"), applications),
        Exporter("interviews", "interviews.json", _("面试安排"), interviews),
        Exporter("consents", "consents.json", _("同意记录"), consents),
        Exporter("login_log", "login_log.json", _("登录日志"), login_log),
        Exporter("access_trail", "resume_access_trail.json", _("简历被查看、下载的记录"),
                 access_trail),
        Exporter("notifications", "notifications.json", _("站内通知"), notifications),
        Exporter("saved_searches", "saved_searches.json", _("职位订阅"), saved_searches),
        Exporter("rights_requests", "rights_requests.json", _("个人信息权利请求"),
                 rights_requests),
    ):
        register_exporter(exporter)
