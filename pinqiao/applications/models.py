"""Applications (投递, APP-1) with their screening answers (APP-7), their history through the
organisation's pipeline (APP-2), and offers with their outcome (APP-6)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pinqiao.reference import taxonomy


class Stage(models.TextChoices):
    NEW = "new", _("新投递")
    VIEWED = "viewed", _("已查看")
    SHORTLISTED = "shortlisted", _("初筛通过")
    INTERVIEW = "interview", _("面试")
    OFFER = "offer", _("录用通知")
    HIRED = "hired", _("已入职")
    REJECTED = "rejected", _("不合适")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLOSED = "closed", _("职位已关闭")


@cache
def _stage_names(language: str | None) -> dict[str, str]:
    return {s.value: str(s.label) for s in Stage}


def stage_name(stage: str) -> str:
    """A base stage's label in the active language. ``get_stage_display`` looks the lazy
    label up through hashable choices on every call (~0.1 ms, 50 times on the applicant
    list: issue 14); these are translated once per language and process."""
    return _stage_names(get_language())[stage]


#: Stages that end an application: every application must reach one of them.
FINAL_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN, Stage.CLOSED)
#: Stages still waiting for the organisation.
OPEN_STAGES = tuple(s for s in Stage if s not in FINAL_STAGES)
#: Reaching one of these is the organisation's reply (reply rate, time to first response).
REPLY_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED)
#: Base stages an organisation may give its own labels to.
CONFIGURABLE_STAGES = (Stage.VIEWED, Stage.SHORTLISTED, Stage.INTERVIEW)


class PipelineStage(models.Model):
    """An organisation's own step (「电话沟通」, 「二面」…) mapped to one base stage; the seeker
    sees the base stage only (APP-2)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="pipeline_stages")
    label = models.CharField(_("名称"), max_length=20)
    base_stage = models.CharField(_("对应阶段"), max_length=24, choices=[
        (s.value, s.label) for s in CONFIGURABLE_STAGES])
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("招聘流程阶段")
        verbose_name_plural = _("招聘流程阶段")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"],
                                    name="applications_stage_label_once"),
            models.CheckConstraint(condition=Q(base_stage__in=[s.value for s in
                                                               CONFIGURABLE_STAGES]),
                                   name="applications_stage_base_valid"),
        ]

    def __str__(self) -> str:
        return self.label


class ApplicationTag(models.Model):
    """A label an organisation puts on applications (APP-2); private to the organisation."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="application_tags")
    name = models.CharField(_("标签"), max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("投递标签")
        verbose_name_plural = _("投递标签")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="applications_tag_once")]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="applications", verbose_name=_("求职者"))
    posting = models.ForeignKey("jobs.Posting", on_delete=models.PROTECT,
                                related_name="applications", verbose_name=_("职位"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="applications", verbose_name=_("招聘单位"))
    resume = models.ForeignKey("resumes.Resume", on_delete=models.PROTECT,
                               related_name="applications", verbose_name=_("简历"))
    consent = models.ForeignKey("privacy.Consent", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(_("阶段"), max_length=24, choices=Stage.choices,
                             default=Stage.NEW)
    pipeline_stage = models.ForeignKey(PipelineStage, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="applications",
                                       verbose_name=_("单位自定义阶段"))
    answers = models.JSONField(_("筛选问题回答"), default=list, blank=True)
    knockout_met = models.BooleanField(_("符合必要条件"), null=True, blank=True)
    tags = models.ManyToManyField(ApplicationTag, blank=True, related_name="applications")
    created_at = models.DateTimeField(_("投递时间"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("未处理提醒时间"), null=True, blank=True)
    outcome_reminded_at = models.DateTimeField(_("结果提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        indexes = [models.Index(fields=["organisation", "stage", "created_at"]),
                   models.Index(fields=["seeker", "created_at"]),
                   models.Index(fields=["stage", "updated_at"]),
                   # A day's applications for the rollups (ANA-1).
                   models.Index(fields=["created_at"], name="applications_created_at")]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "posting"],
                                    name="applications_once_per_posting"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values),
                                   name="applications_stage_valid"),
        ]

    def __str__(self) -> str:
        return f"投递 {self.pk}"

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        """A reload also forgets what the apply service knew of the application it had just
        made (``known_history``, ``known_offer``): later steps have happened since."""
        self.__dict__.pop("known_history", None)
        self.__dict__.pop("known_offer", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES

    @property
    def is_unhandled(self) -> bool:
        """「未处理」 for the seeker: the organisation was reminded and still has not acted."""
        return self.reminded_at is not None and not self.is_final

    @property
    def base_stage_label(self) -> str:
        """The base stage's label: what the seeker sees (``stage_name``)."""
        return stage_name(self.stage)

    @property
    def stage_label(self) -> str:
        """The organisation's own label where it set one, else the base stage."""
        return self.pipeline_stage.label if self.pipeline_stage_id else self.base_stage_label


#: What an event's reason code means, shown in the history on both sides.
REASON_LABELS = {
    "applied": _("已投递"), "resume_viewed": _("招聘方查看了简历"),
    "withdrawn": _("求职者撤回投递"),
    "offer_sent": _("发出录用通知"), "offer_accepted": _("接受录用通知"),
    "offer_declined": _("婉拒录用通知"), "offer_expired": _("录用通知过了答复期限"),
    "hired": _("已入职"), "no_show": _("未按约定入职"), "interview_booked": _("面试已预约"),
    "posting_closed": _("职位停止招聘"), "posting_filled": _("职位招满"),
    "posting_expired": _("职位到期下线"), "posting_removed": _("职位下线"),
}


class ApplicationEvent(models.Model):
    """One step of an application's history, shown to the seeker where ``visible_to_seeker``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                     related_name="events")
    from_stage = models.CharField(max_length=24, blank=True)
    to_stage = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    visible_to_seeker = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        # A day's hires for the rollups (ANA-1).
        indexes = [models.Index(fields=["to_stage", "created_at"],
                                name="applications_event_stage_at")]

    @property
    def to_stage_label(self) -> str:
        return str(Stage(self.to_stage).label) if self.to_stage in Stage.values else ""

    @property
    def label(self) -> str:
        """The reason where it says more than the stage (「发出录用通知」), else the stage."""
        if self.reason_code.startswith("rejected."):
            return str(Stage.REJECTED.label)
        return str(REASON_LABELS.get(self.reason_code, "")) or self.to_stage_label


class ApplicationNote(models.Model):
    """A recruiter's note on an application: private to the organisation (APP-2)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(_("备注"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("投递备注")
        verbose_name_plural = _("投递备注")
        ordering = ["created_at", "pk"]


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("是/否")
    SINGLE_CHOICE = "single_choice", _("单选")
    SHORT_TEXT = "short_text", _("简答")


#: Kinds whose answer can be compared with an expected ("knockout") answer.
KNOCKOUT_KINDS = (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE)
YES_NO_LABELS = {"yes": _("是"), "no": _("否")}


class ScreeningQuestion(models.Model):
    """A question the seeker answers when applying (APP-7). A knockout answer, where set, is
    used to filter the pipeline; it never rejects anyone by itself (PIPL Art. 24)."""

    posting = models.ForeignKey("jobs.Posting", on_delete=models.CASCADE,
                                related_name="screening_questions")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("类型"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("问题"), max_length=200)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    knockout_answer = models.CharField(_("期望回答"), max_length=60, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("筛选问题")
        verbose_name_plural = _("筛选问题")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values),
                                   name="applications_question_kind_valid"),
            models.CheckConstraint(
                condition=Q(knockout_answer="")
                | Q(kind__in=[k.value for k in KNOCKOUT_KINDS]),
                name="applications_knockout_only_closed_questions"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def knockout_label(self) -> str:
        return self.answer_label(self.knockout_answer)

    def answer_label(self, answer: str) -> str:
        if self.kind == QuestionKind.YES_NO:
            return str(YES_NO_LABELS.get(answer, answer))
        return answer


class RejectionTemplate(models.Model):
    """An organisation's own courteous rejection message (APP-2); the defaults live in code."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="rejection_templates")
    title = models.CharField(_("名称"), max_length=30)
    body = models.TextField(_("内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("婉拒模板")
        verbose_name_plural = _("婉拒模板")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["organisation", "title"],
                                               name="applications_template_title_once")]

    def __str__(self) -> str:
        return self.title


class OfferStatus(models.TextChoices):
    SENT = "sent", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    EXPIRED = "expired", _("已过答复期限")
    CANCELLED = "cancelled", _("已撤销")


LIVE_OFFER_STATUSES = (OfferStatus.SENT, OfferStatus.ACCEPTED)


class OfferOutcome(models.TextChoices):
    HIRED = "hired", _("已入职")
    NO_SHOW = "no_show", _("未到岗")


class Offer(models.Model):
    """A hiring notice (录用通知, APP-6, DB4401 6.2.2.1) the seeker accepts or declines; the
    recruiter then records the outcome."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="offers")
    position = models.CharField(_("岗位"), max_length=60)
    pay_amount = models.DecimalField(_("薪资（元）"), max_digits=10, decimal_places=2)
    pay_unit = models.CharField(_("薪资单位"), max_length=6,
                                choices=taxonomy.as_choices(taxonomy.PAY_UNITS))
    start_date = models.DateField(_("入职日期"))
    reply_by = models.DateField(_("答复期限"))
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=OfferStatus.choices,
                              default=OfferStatus.SENT)
    outcome = models.CharField(_("结果"), max_length=10, choices=OfferOutcome.choices,
                               blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    outcome_at = models.DateTimeField(_("结果记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("录用通知")
        verbose_name_plural = _("录用通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application"],
                                    condition=Q(status__in=["sent", "accepted"]),
                                    name="applications_one_live_offer"),
            models.CheckConstraint(condition=Q(pay_amount__gt=0),
                                   name="applications_offer_pay_positive"),
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values),
                                   name="applications_offer_status_valid"),
            models.CheckConstraint(condition=Q(outcome="") | Q(status="accepted"),
                                   name="applications_outcome_after_acceptance"),
        ]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_OFFER_STATUSES
