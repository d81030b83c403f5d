"""Demo applications: the demo seeker (with an approved résumé) has applied to three demo
postings — one shortlisted with a message, one new, one with an offer waiting for an answer —
and the Python posting asks two screening questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.applications import services
from pinqiao.applications.models import Application, Stage
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.resumes import testing as resumes_testing
from pinqiao.resumes.models import Resume


def _posting(title: str) -> Posting | None:
    return Posting.objects.filter(title=title, status=PostingStatus.PUBLISHED).first()


def _apply(seeker: Any, posting: Posting, answers: dict[str, str] | None = None) -> Application:
    return services.application_submit(seeker=seeker, posting_id=posting.pk,
                                       answers=answers or {}, resume_consent=True,
                                       contact_consent=True)


def load(stdout) -> None:  # noqa: ANN001
    seeker = User.objects.filter(username="demo_seeker").first()
    employer = User.objects.filter(username="demo_employer").first()
    agency = User.objects.filter(username="demo_agency").first()
    python, service = _posting("Python开发工程师"), _posting("客户服务专员")
    hotel = _posting("酒店客房服务员（代招）")
    if None in (seeker, employer, agency, python, service, hotel):
        stdout.write("applications: demo users or postings missing, skipped")
        return
    if Application.objects.filter(seeker=seeker).exists():
        stdout.write(f"applications: {Application.objects.count()} applications already present")
        return
    resume = Resume.objects.filter(owner=seeker).first()
    if resume is None:
        resume = resumes_testing.approved_resume(seeker)
    if resume.review_status != "approved":
        stdout.write("applications: the demo seeker's résumé is not approved, skipped")
        return
    django = services.question_add(actor=employer, posting=python, data={
        "kind": "yes_no", "text": "是否有 Django 项目经验？", "knockout_answer": "是"})
    start = services.question_add(actor=employer, posting=python, data={
        "kind": "single_choice", "text": "最快何时可以到岗？",
        "choices": ["一周内", "一个月内", "一个月以上"]})
    shortlisted = _apply(seeker, python, {str(django.pk): "yes", str(start.pk): "一个月内"})
    services.application_stage_set(actor=employer, application=shortlisted,
                                   stage=Stage.SHORTLISTED,
                                   note="您的项目经验很匹配，我们会尽快联系您安排面试。")
    _apply(seeker, service)
    offered = _apply(seeker, hotel)
    today = timezone.localdate()
    services.offer_send(actor=agency, application=offered, data={
        "position": "客房服务员", "pay_amount": "5800", "pay_unit": "month",
        "start_date": today + timedelta(days=14), "reply_by": today + timedelta(days=5),
        "note": "包吃住，试用期一个月。入职不收取任何费用。"})
    stdout.write("applications: 3 demo applications (shortlisted, new, offer waiting)")
