"""Demo activity (issue 15, item 6): the talent pool applies to the demo postings, so the
applicant list shows cards at every stage; interviews are booked for tomorrow and the day
after; seekers and recruiters have chatted about postings. All through the real services
(screening, notifications, audit). Idempotent: skipped once the pool has applied."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.applications import services
from pinqiao.applications.models import Application, QuestionKind, ScreeningQuestion, Stage
from pinqiao.interviews import services as interviews
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.messaging.services import conversation_open, message_send
from pinqiao.resumes.demo_pool import pool_users
from pinqiao.search.seeding import SEED_USERNAME

#: (pool seeker index, posting title, stage reached, interview in days or None)
APPLICATIONS = [
    (1, "Python开发工程师", Stage.VIEWED, None),
    (2, "Python开发工程师", Stage.SHORTLISTED, 1),
    (8, "Python开发工程师", Stage.NEW, None),
    (7, "Python开发工程师", Stage.REJECTED, None),
    (4, "客户服务专员", Stage.SHORTLISTED, 2),
    (6, "客户服务专员", Stage.NEW, None),
    (5, "酒店客房服务员（代招）", Stage.SHORTLISTED, None),
    (3, "酒店客房服务员（代招）", Stage.NEW, None),
]
#: (seeker username or pool index, posting title, seeker's message, recruiter's reply)
CHATS = [
    ("demo_seeker", "客户服务专员", "您好，请问这个岗位需要倒班吗？",
     "您好，以白班为主，周末轮休，欢迎投递。"),
    (5, "酒店客房服务员（代招）", "您好，请问宿舍是几人间？", "您好，四人间，有空调和独立卫生间。"),
    (2, "Python开发工程师", "您好，面试需要带作品吗？", "不用带，面试时聊聊您做过的项目就好。"),
]


def _answers(posting: Posting) -> dict[str, str]:
    answers = {}
    for question in ScreeningQuestion.objects.filter(posting=posting):
        if question.kind == QuestionKind.YES_NO:
            answers[str(question.pk)] = "yes"
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[str(question.pk)] = question.choices[0]
        else:
            answers[str(question.pk)] = "有相关经验。"
    return answers


def _slot(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _book(recruiter: Any, application: Application, days: int) -> None:
    interview = interviews.interview_propose(
        actor=recruiter, application=application, proposal=interviews.Proposal(
            mode="onsite", slots=[_slot(days)], location="广州市天河区天河路100号聘桥大厦8楼前台"))
    interviews.interview_pick(actor=application.seeker, interview=interview,
                              slot_id=interview.slots.get().pk)


def _seeker(ref: str | int, pool: list[User]) -> User | None:
    if isinstance(ref, int):
        return pool[ref - 1] if ref <= len(pool) else None
    return User.objects.filter(username=ref).first()


def load(stdout: Any) -> None:
    pool = pool_users()
    if not pool:
        stdout.write("applications: demo talent pool missing, activity skipped")
        return
    if Application.objects.filter(seeker__in=pool).exists():
        stdout.write("applications: demo activity already present")
        return
    # The demo recruiters' own postings: generated ones (seed_postings, bench/web.py's
    # million) share many titles but belong to no demo recruiter.
    postings = {p.title: p for p in Posting.objects.filter(
        status=PostingStatus.PUBLISHED, title__in={row[1] for row in APPLICATIONS}).exclude(
        created_by__username=SEED_USERNAME)}
    recruiters = {title: posting.created_by for title, posting in postings.items()}
    made = booked = 0
    for index, title, stage, days in APPLICATIONS:
        posting = postings.get(title)
        if posting is None or index > len(pool):
            continue
        application = services.application_submit(
            seeker=pool[index - 1], posting_id=posting.pk, answers=_answers(posting),
            resume_consent=True, contact_consent=True)
        made += 1
        if stage == Stage.REJECTED:
            services.application_reject(actor=recruiters[title], application=application)
        elif stage != Stage.NEW:
            services.application_stage_set(actor=recruiters[title], application=application,
                                           stage=stage)
        if days is not None:
            _book(recruiters[title], application, days)
            booked += 1
    shortlisted = Application.objects.filter(
        seeker__username="demo_seeker", stage=Stage.SHORTLISTED).select_related("posting").first()
    if shortlisted is not None:
        _book(shortlisted.posting.created_by, shortlisted, 1)
        booked += 1
    chats = 0
    for ref, title, question, reply in CHATS:
        seeker, posting = _seeker(ref, pool), postings.get(title)
        if seeker is None or posting is None:
            continue
        conversation, _created = conversation_open(actor=seeker, posting_id=posting.pk)
        message_send(actor=seeker, conversation_id=conversation.pk, text=question)
        message_send(actor=recruiters[title], conversation_id=conversation.pk, text=reply)
        chats += 1
    stdout.write(f"applications: {made} pool applications, {booked} interviews booked, "
                 f"{chats} conversations")
