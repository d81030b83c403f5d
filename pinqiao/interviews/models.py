"""Interviews (APP-3 … APP-5): proposed slots, the booking, its history and reminders, the
online room, a written test, check-in, scorecards and the seeker's evaluation.

Times are stored in UTC; ``Interview.time_zone`` is the zone they are shown in.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Asia/Shanghai"
MIN_DURATION, MAX_DURATION = 15, 240


class Mode(models.TextChoices):
    ONSITE = "onsite", _("现场面试")
    VIDEO = "video", _("视频面试")
    PHONE = "phone", _("电话面试")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("待确认时间")
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已完成")
    NO_SHOW = "no_show", _("未到场")


#: Statuses in which an interview still lies ahead.
OPEN_STATUSES = (Status.PROPOSED, Status.BOOKED)


class Interview(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="interviews", verbose_name=_("投递"))
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("发起人"))
    title = models.CharField(_("面试轮次"), max_length=40, default="面试")
    mode = models.CharField(_("面试方式"), max_length=8, choices=Mode.choices)
    location = models.CharField(_("地点或说明"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=60)
    time_zone = models.CharField(_("时区"), max_length=64, default=DEFAULT_TIME_ZONE)
    note = models.TextField(_("面试须知"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.PROPOSED)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    checkin_code = models.CharField(max_length=6, blank=True)
    checkin_failures = models.PositiveSmallIntegerField(default=0)
    room_provider = models.CharField(max_length=200, blank=True)
    room_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("面试")
        verbose_name_plural = _("面试")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="interviews_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values),
                                   name="interviews_mode_valid"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_DURATION,
                            duration_minutes__lte=MAX_DURATION),
                name="interviews_duration_range"),
            models.CheckConstraint(condition=~Q(status=Status.BOOKED) | Q(starts_at__isnull=False),
                                   name="interviews_booked_has_time"),
            models.UniqueConstraint(fields=["application"],
                                    condition=Q(status__in=OPEN_STATUSES),
                                    name="interviews_one_open_per_application"),
        ]

    def __str__(self) -> str:
        return f"面试 {self.pk}"

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SlotState(models.TextChoices):
    OPEN = "open", _("可选")
    CHOSEN = "chosen", _("已选定")
    WITHDRAWN = "withdrawn", _("已作废")


class InterviewSlot(models.Model):
    """A start time the recruiter offers; the seeker chooses exactly one (a partial unique index
    allows one chosen slot per interview)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始时间"))
    state = models.CharField(max_length=10, choices=SlotState.choices, default=SlotState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SlotState.values),
                                   name="interviews_slot_state_valid"),
            models.UniqueConstraint(fields=["interview"], condition=Q(state="chosen"),
                                    name="interviews_one_chosen_slot"),
            models.UniqueConstraint(fields=["interview", "starts_at"],
                                    condition=~Q(state="withdrawn"),
                                    name="interviews_slot_once"),
        ]


class EventKind(models.TextChoices):
    PROPOSED = "proposed", _("发出面试邀请")
    SLOTS_ADDED = "slots_added", _("补充可选时间")
    BOOKED = "booked", _("确认面试时间")
    RESCHEDULED = "rescheduled", _("改期")
    CANCELLED = "cancelled", _("取消")
    ROOM_CREATED = "room_created", _("创建在线面试间")
    WRITTEN_TEST = "written_test", _("布置笔试")
    WRITTEN_ANSWERED = "written_answered", _("提交笔试")
    CHECKED_IN = "checked_in", _("签到")
    NO_SHOW = "no_show", _("未到场")
    COMPLETED = "completed", _("面试完成")


class InterviewEvent(models.Model):
    """The interview's history, with the reasons for a reschedule or cancellation."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    old_starts_at = models.DateTimeField(null=True, blank=True)
    new_starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class ReminderKind(models.TextChoices):
    DAY = "24h", _("24小时前")
    HOUR = "1h", _("1小时前")


class Reminder(models.Model):
    """A reminder that was sent, one per kind and booked start time: never sent twice."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["interview", "kind", "starts_at"],
                                               name="interviews_reminder_once")]


# --- APP-4: written test ----------------------------------------------------------------------

class WrittenTest(models.Model):
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE,
                                     related_name="written_test")
    instructions = models.CharField(_("说明"), max_length=500, blank=True)
    deadline = models.DateTimeField(_("截止时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)


class WrittenQuestion(models.Model):
    test = models.ForeignKey(WrittenTest, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("题目"), max_length=1000)
    answer = models.TextField(_("回答"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["test", "position"],
                                               name="interviews_question_position_once")]


# --- APP-4: the local interview room provider's own state -------------------------------------

class LocalRoom(models.Model):
    """A room of :class:`pinqiao.interviews.rooms.LocalRoomProvider`."""

    ref = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)


class LocalRoomParticipant(models.Model):
    room = models.ForeignKey(LocalRoom, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    token_digest = models.CharField(max_length=64, blank=True)
    token_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"],
                                               name="interviews_room_participant_once")]


class LocalRoomEvent(models.Model):
    class Kind(models.TextChoices):
        JOIN = "join", _("进入")
        LEAVE = "leave", _("离开")

    room = models.ForeignKey(LocalRoom, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


# --- APP-5: check-in, scorecards, the seeker's evaluation -------------------------------------

class CheckInMethod(models.TextChoices):
    CODE = "code", _("求职者输入签到码")
    RECORDED = "recorded", _("招聘方登记到场")
    ROOM = "room", _("进入在线面试间")


class CheckIn(models.Model):
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE,
                                     related_name="checkin")
    method = models.CharField(max_length=10, choices=CheckInMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    at = models.DateTimeField(default=timezone.now)


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("强烈推荐")
    YES = "yes", _("推荐")
    NO = "no", _("不推荐")
    STRONG_NO = "strong_no", _("强烈不推荐")


#: Scorecard criteria (field name, label), each scored 1–5.
CRITERIA = (
    ("skills", _("专业能力")),
    ("communication", _("沟通表达")),
    ("fit", _("岗位匹配度")),
    ("potential", _("学习与发展潜力")),
)


def _score_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                                  name=name)


class Scorecard(models.Model):
    """One interviewer's scores for one interview; internal to the organisation."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE,
                                  related_name="scorecards")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    skills = models.PositiveSmallIntegerField(_("专业能力"))
    communication = models.PositiveSmallIntegerField(_("沟通表达"))
    fit = models.PositiveSmallIntegerField(_("岗位匹配度"))
    potential = models.PositiveSmallIntegerField(_("学习与发展潜力"))
    recommendation = models.CharField(_("结论"), max_length=12,
                                      choices=Recommendation.choices)
    comment = models.TextField(_("评语"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "author"],
                                    name="interviews_scorecard_once_per_interviewer"),
            models.CheckConstraint(condition=Q(recommendation__in=Recommendation.values),
                                   name="interviews_scorecard_recommendation_valid"),
            _score_range("skills", "interviews_scorecard_skills_1_5"),
            _score_range("communication", "interviews_scorecard_communication_1_5"),
            _score_range("fit", "interviews_scorecard_fit_1_5"),
            _score_range("potential", "interviews_scorecard_potential_1_5"),
        ]


class SeekerEvaluation(models.Model):
    """The seeker's evaluation of the interview; a fee demand opens a report (DISC-6, TKT-1)."""

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE,
                                     related_name="evaluation")
    rating = models.PositiveSmallIntegerField(_("总体评价"))
    comment = models.TextField(_("评价内容"), blank=True)
    fee_requested = models.BooleanField(_("被要求缴纳费用"), default=False)
    job_differs = models.BooleanField(_("岗位与发布信息不符"), default=False)
    report = models.ForeignKey("moderation.Report", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [_score_range("rating", "interviews_evaluation_rating_1_5")]
