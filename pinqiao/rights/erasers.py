"""The built-in erasers of the deletion workflow (PRIV-5, ACC-5).

Each says what it did: **erased** (gone), **anonymised** (the row stays for the organisation's
records and the statistics, nothing in it identifies the person) or **restricted** (kept because
the law requires it, hidden and blocked from processing until the date given, then handled by
the retention schedule, RET-1). Blind indexes of the phone and ID numbers are cleared
everywhere, so neither can be found again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from pinqiao.rights.registry import (
    ANONYMISED,
    ERASED,
    RESTRICTED,
    Eraser,
    ErasureContext,
    ErasureItem,
    register_eraser,
)
from pinqiao.rights.retention import keep_until

ERASED_NAME = "已注销用户"


def _latest(qs: Any, field: str) -> Any:
    return qs.aggregate(last=Max(field))["last"]


def _until(kind: str, end: Any) -> date | None:
    return keep_until(kind, end) if end is not None else None


def _restricted(rows: Any, what: Any, kind: str, end_field: str, basis: Any, *,
                fallback: Any = None) -> list[ErasureItem]:
    """One "restricted until" item for ``rows`` (none when there are none): kept until the
    retention schedule's date for ``kind``, counted from the latest ``end_field`` (``fallback``
    when no row has one yet)."""
    if not rows.exists():
        return []
    end = _latest(rows, end_field) or fallback
    return [ErasureItem(what, RESTRICTED, rows.count(), _until(kind, end), basis)]


def account(ctx: ErasureContext) -> list[ErasureItem]:
    user = ctx.user
    user.display_name = ERASED_NAME
    user.email = None
    user.phone_ciphertext = ""
    user.phone_index = None
    user.real_name_ciphertext = ""
    user.id_number_ciphertext = ""
    user.id_number_index = None
    user.is_active = False
    user.closed_at = user.closed_at or ctx.now
    user.set_unusable_password()
    user.save()
    user.api_tokens.filter(revoked_at=None).update(revoked_at=ctx.now)
    return [ErasureItem(_("账号资料：昵称、手机号、电子邮箱、真实姓名、身份证号及其查找索引"),
                        ERASED, 1)]


def resume(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.resumes.models import Resume, Visibility

    found = Resume.objects.filter(owner=ctx.user).first()
    if found is None:
        return []
    entries = sum(related.all().delete()[0] for related in (
        found.education, found.work, found.certificates, found.honours, found.blocked))
    attachment = getattr(found, "attachment", None) if hasattr(found, "attachment") else None
    files = [f for f in (found.photo, attachment.file if attachment else None) if f]
    for field_file in files:
        field_file.delete(save=False)
    if attachment is not None:
        attachment.delete()
    for name in ("full_name", "gender", "phone_ciphertext", "email_ciphertext", "im_ciphertext",
                 "phone_masked", "email_masked", "im_masked", "self_introduction", "skills",
                 "interests", "desired_function", "desired_industry", "desired_city",
                 "desired_employment_type"):
        setattr(found, name, "")
    found.birth_date = None
    found.desired_pay_min = found.desired_pay_max = None
    found.photo = ""
    found.visibility = Visibility.HIDDEN
    found.updated_at = ctx.now
    found.save()
    return [ErasureItem(_("在线简历、照片、附件简历及其搜索索引"), ERASED,
                        1 + entries + len(files))]


def applications(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.applications.models import Application

    rows = Application.objects.filter(seeker=ctx.user)
    count = rows.count()
    if not count:
        return []
    rows.update(answers=[])
    return [ErasureItem(
        _("投递记录（已匿名化：姓名、联系方式和筛选问题回答已删除，招聘单位和统计只见投递阶段与时间）"),
        ANONYMISED, count, _until("applications", _latest(rows, "updated_at")),
        _("DB4401 7.2.6：服务记录保存不少于三年"))]


def interviews(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.interviews.models import Interview, SeekerEvaluation

    return [
        *_restricted(Interview.objects.filter(application__seeker=ctx.user),
                     _("面试安排（限制处理：不再用于招聘，仅供监管查询）"), "applications",
                     "updated_at", _("DB4401 7.2.6：服务记录保存不少于三年")),
        *_restricted(SeekerEvaluation.objects.filter(interview__application__seeker=ctx.user),
                     _("我对面试的评价（限制处理）"), "evaluations", "created_at",
                     _("直播带岗 4.4.1 第六项、DB4401 7.2.6：评价记录保存不少于三年")),
    ]


def chats(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.messaging.models import Conversation

    return _restricted(Conversation.objects.filter(seeker=ctx.user),
                       _("聊天记录（限制处理：不再展示给对方，仅供投诉处理和监管查询）"), "chats",
                       "last_message_at", _("DB4401 7.2.6：沟通记录保存不少于三年"),
                       fallback=ctx.now)


def cases(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.tickets.models import Case

    return _restricted(Case.objects.filter(complainant=ctx.user),
                       _("我提出的投诉、举报和申诉（限制处理）"), "cases", "closed_at",
                       _("DB4401 7.2.6、9.2：投诉处理记录保存不少于三年"), fallback=ctx.now)


def support_tickets(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.tickets.models import SupportTicket

    return _restricted(SupportTicket.objects.filter(user=ctx.user),
                       _("客服工单（限制处理：仅供服务记录备查和监管查询）"), "support_tickets",
                       "closed_at", _("DB4401 7.2.6：服务信息保存不少于三年"), fallback=ctx.now)


def consents(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.privacy.models import Consent

    Consent.objects.filter(user=ctx.user, withdrawn_at=None).update(withdrawn_at=ctx.now)
    return _restricted(Consent.objects.filter(user=ctx.user),
                       _("同意记录（全部撤回；作为同意的证明限制保存）"), "consents",
                       "withdrawn_at", _("PIPL 第 14 条：同意的证明"))


def login_log(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.accounts.models import LoginRecord, SmsCode
    from pinqiao.notifications.models import LocalSmsMessage

    rows = LoginRecord.objects.filter(user=ctx.user)
    rows.update(phone_index="")
    if ctx.phone_index:
        LoginRecord.objects.filter(phone_index=ctx.phone_index).update(phone_index="")
        SmsCode.objects.filter(phone_index=ctx.phone_index).delete()
        LocalSmsMessage.objects.filter(phone_index=ctx.phone_index).update(phone_index="")
    return _restricted(rows, _("登录日志（手机号查找索引已删除；加密的登录记录限制保存）"),
                       "login_logs", "login_at", _("DB4401 7.2.6、ACC-4：登录日志保存不少于三年"))


def access_trail(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.privacy.models import ResumeAccess

    return _restricted(ResumeAccess.objects.filter(resume__owner=ctx.user),
                       _("简历被查看、下载的记录（限制处理）"), "access_trail", "at",
                       _("DB4401 7.3.3：个人信息访问记录可追溯"))


def derived(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.notifications.models import Notification
    from pinqiao.recommendations.models import DeletedTag, Exposure, Feedback
    from pinqiao.search.models import SavedSearch

    count = sum(model.objects.filter(**{field: ctx.user}).delete()[0] for model, field in (
        (Feedback, "seeker"), (DeletedTag, "seeker"), (Exposure, "seeker"),
        (SavedSearch, "owner"), (Notification, "user")))
    return [ErasureItem(_("兴趣标签、推荐反馈、曝光记录、职位订阅和站内通知"), ERASED, count)]


def exports(ctx: ErasureContext) -> list[ErasureItem]:
    from pinqiao.rights.exports import export_files_delete

    count = export_files_delete(user=ctx.user)
    return [ErasureItem(_("已生成的个人数据下载文件"), ERASED, count)] if count else []


def install() -> None:
    for eraser in (
        Eraser("login_log", _("登录日志"), login_log),
        Eraser("derived", _("派生数据"), derived),
        Eraser("exports", _("数据下载文件"), exports),
        Eraser("resume", _("在线简历"), resume),
        Eraser("applications", _("投递记录"), applications),
        Eraser("interviews", _("面试"), interviews),
        Eraser("consents", _("同意记录"), consents),
        Eraser("chats", _("聊天记录"), chats),
        Eraser("cases", _("投诉案件"), cases),
        Eraser("support_tickets", _("客服工单"), support_tickets),
        Eraser("access_trail", _("简历访问记录"), access_trail),
        Eraser("account", _("账号资料"), account),
    ):
        register_eraser(eraser)
