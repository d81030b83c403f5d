"""The built-in exporters of the data download (PRIV-4): account, résumé (also as JSON Resume),
applications, interviews, consents, login log, the access trail of the résumé, notifications,
saved searches, rights requests, chats, complaints, evaluations and postings. Other apps add
theirs through ``registry``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
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


def _other_party(name: str) -> str:
    from pinqiao.core.masking import mask_name

    return mask_name(name or "") or "—"


def chats(user: Any) -> list[dict[str, Any]]:
    """The person's conversations: their own messages as written; the other party's with the
    sender's name masked and any contact details in the text masked (PRIV-2)."""
    from pinqiao.core.masking import mask_contacts_in_text
    from pinqiao.messaging.models import Conversation

    rows = (Conversation.objects.filter(Q(seeker=user) | Q(messages__sender=user)).distinct()
            .select_related("organisation", "posting").prefetch_related("messages__sender")
            .order_by("created_at"))
    result = []
    for conversation in rows:
        messages = []
        for m in conversation.messages.all():
            own = m.sender_id == user.pk
            messages.append({
                "at": _dt(m.created_at), "side": m.get_side_display(),
                "sender": "我" if own else _other_party(m.sender.display_name),
                "kind": m.get_kind_display(),
                "text": m.body if own else mask_contacts_in_text(m.body)})
        result.append({"organisation": conversation.organisation.name,
                       "posting": conversation.posting.title if conversation.posting else "",
                       "started_at": _dt(conversation.created_at), "messages": messages})
    return result


def complaints(user: Any) -> dict[str, Any]:
    """The cases the person filed, with the public steps and their rating; cases about the
    person say only what the desk tells an accused party — never who complained (TKT-1)."""
    from pinqiao.tickets.models import REASON_CHOICES, Case

    reasons = dict(REASON_CHOICES)
    filed = []
    for case in (Case.objects.filter(complainant=user).select_related("organisation")
                 .prefetch_related("events").order_by("received_at")):
        rating = getattr(case, "rating", None) if hasattr(case, "rating") else None
        filed.append({
            "reference": case.reference, "kind": case.get_kind_display(),
            "channel": case.get_channel_display(), "status": case.get_status_display(),
            "reason": str(reasons.get(case.reason_code, case.reason_code)),
            "about": case.target_label or (case.organisation.name if case.organisation else ""),
            "content": case.content, "desired_outcome": case.desired_outcome,
            "received_at": _dt(case.received_at), "closed_at": _dt(case.closed_at),
            "result": case.result,
            "steps": [{"at": _dt(e.at), "status": e.to_status, "note": e.note}
                      for e in case.events.all() if e.public],
            "rating": ({"satisfaction": rating.satisfaction, "comment": rating.comment}
                       if rating else None)})
    about_me = [{
        "reference": case.reference, "kind": case.get_kind_display(),
        "status": case.get_status_display(),
        "reason": str(reasons.get(case.reason_code, case.reason_code)),
        "received_at": _dt(case.received_at), "result": case.result,
    } for case in Case.objects.filter(accused_user=user).order_by("received_at")]
    return {"filed_by_me": filed, "about_me": about_me}


def support_tickets(user: Any) -> list[dict[str, Any]]:
    """The person's questions to customer service with every reply; staff are named only as
    客服 and attachments by their file names (TKT-8)."""
    from pinqiao.tickets.models import SupportTicket

    rows = (SupportTicket.objects.filter(user=user).select_related("case")
            .prefetch_related("messages__attachments").order_by("created_at"))
    return [{
        "reference": t.reference, "category": t.get_category_display(), "subject": t.subject,
        "status": t.get_status_display(), "created_at": _dt(t.created_at),
        "closed_at": _dt(t.closed_at), "case": t.case.reference if t.case else "",
        "messages": [{"at": _dt(m.created_at), "from": "客服" if m.from_staff else "我",
                      "text": m.body,
                      "attachments": [a.original_name for a in m.attachments.all()]}
                     for m in t.messages.all()],
    } for t in rows]


def evaluations(user: Any) -> list[dict[str, Any]]:
    from pinqiao.interviews.models import SeekerEvaluation

    return [{
        "organisation": e.interview.application.organisation.name,
        "interview": e.interview.title, "rating": e.rating, "comment": e.comment,
        "fee_requested": e.fee_requested, "job_differs": e.job_differs,
        "at": _dt(e.created_at),
    } for e in SeekerEvaluation.objects.filter(interview__application__seeker=user)
        .select_related("interview__application__organisation").order_by("created_at")]


def postings(user: Any) -> list[dict[str, Any]]:
    from pinqiao.jobs.models import Posting

    return [{
        "title": p.title, "organisation": p.organisation.name, "status": p.get_status_display(),
        "created_at": _dt(p.created_at), "published_at": _dt(p.published_at),
        "valid_until": p.valid_until.isoformat(),
    } for p in Posting.objects.filter(created_by=user).select_related("organisation")
        .order_by("created_at")]


def corrections(user: Any) -> list[dict[str, Any]]:
    from pinqiao.rights.models import Correction

    return [{"at": _dt(c.at), "what": c.source, "changes": c.changes}
            for c in Correction.objects.filter(user=user).order_by("at")]


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
        Exporter("chats", "chats.json", _("聊天记录（对方姓名和联系方式已遮盖）"), chats),
        Exporter("complaints", "complaints.json", _("投诉、举报和申诉（不含投诉人身份）"),
                 complaints),
        Exporter("support_tickets", "support_tickets.json", _("客服工单及回复"), support_tickets),
        Exporter("evaluations", "evaluations.json", _("我对面试的评价"), evaluations),
        Exporter("postings", "postings.json", _("我发布的招聘信息"), postings),
        Exporter("corrections", "corrections.json", _("更正记录（已遮盖）"), corrections),
    ):
        register_exporter(exporter)
