"""No black hole: every application reaches an outcome the seeker can see. A posting that
closes, expires or is taken down closes its open applications with a courteous notice;
applications untouched for 14 days remind the recruiter and then show as 「未处理」; each
organisation's reply rate and median time to first response are shown on its postings and
match the applications behind them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pinqiao.applications import selectors, services
from pinqiao.applications.models import Application, Stage
from pinqiao.applications.testing import applied
from pinqiao.jobs import services as jobs_services
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _closing_notices() -> dict[int, str]:
    return dict(Notification.objects.filter(event="application_closed")
                .values_list("user_id", "body"))


def test_closing_a_posting_sends_its_open_applications_a_closing_notice(
        recruiter: Any, posting: Any, make_seeker: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    waiting, shortlisted, withdrawn, offered = (applied(make_seeker(), posting)
                                                for _ in range(4))
    services.application_stage_set(actor=recruiter, application=shortlisted,
                                   stage=Stage.SHORTLISTED)
    services.application_withdraw(seeker=withdrawn.seeker, application=withdrawn)
    services.offer_send(actor=recruiter, application=offered, data={
        "pay_amount": "7000", "pay_unit": "month",
        "start_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "reply_by": (timezone.localdate() + timedelta(days=3)).isoformat()})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs_services.posting_close(actor=recruiter, posting=posting)
    assert len(callbacks) >= 2, "the notices wait for the commit"
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages[waiting.pk] == stages[shortlisted.pk] == Stage.CLOSED
    assert stages[withdrawn.pk] == Stage.WITHDRAWN
    assert stages[offered.pk] == Stage.OFFER, "an offer still needs its answer and outcome"
    notices = _closing_notices()
    assert set(notices) == {waiting.seeker_id, shortlisted.seeker_id}
    body = notices[waiting.seeker_id]
    assert posting.title in body and "招聘单位已停止该职位的招聘" in body and "感谢您的关注" in body
    event = waiting.events.last()
    assert (event.to_stage, event.reason_code, event.visible_to_seeker) == (
        "closed", "posting_closed", True)


def test_an_expired_posting_closes_its_applications(posting: Any, seeker: Any,
                                                    django_capture_on_commit_callbacks: Any
                                                    ) -> None:
    application = applied(seeker, posting)
    with django_capture_on_commit_callbacks(execute=True):
        jobs_services.postings_expire(today=posting.valid_until + timedelta(days=1))
    application.refresh_from_db()
    assert application.stage == Stage.CLOSED
    assert "到招聘期限" in _closing_notices()[seeker.pk]


def test_a_removed_posting_closes_its_applications(posting: Any, seeker: Any, reviewer: Any,
                                                   django_capture_on_commit_callbacks: Any
                                                   ) -> None:
    from pinqiao.jobs.tests.fixtures import otp_verified

    application = applied(seeker, posting)
    with django_capture_on_commit_callbacks(execute=True):
        jobs_services.posting_remove(actor=otp_verified(reviewer), posting=posting,
                                     reason_code="false_info")
    application.refresh_from_db()
    assert application.stage == Stage.CLOSED
    assert "该职位已下线" in _closing_notices()[seeker.pk]


def test_a_paused_posting_keeps_its_applications(recruiter: Any, posting: Any,
                                                 seeker: Any) -> None:
    application = applied(seeker, posting)
    jobs_services.posting_pause(actor=recruiter, posting=posting)
    application.refresh_from_db()
    assert application.stage == Stage.NEW


def test_untouched_applications_remind_then_show_as_unhandled(
        recruiter: Any, user_client: Any, posting: Any, seeker: Any, capsys: Any) -> None:
    application = applied(seeker, posting)
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=15))
    call_command("remind_unhandled_applications", "--dry-run")
    assert "would remind 1 organisations of 1 applications" in capsys.readouterr().out
    mine = reverse("applications:mine")
    assert "data-unhandled" not in user_client(seeker).get(mine).content.decode()

    call_command("remind_unhandled_applications")
    assert "reminded 1 organisations of 1 applications" in capsys.readouterr().out
    reminder = Notification.objects.get(user=recruiter, event="applications_unhandled")
    assert "1 份投递超过 14 天未处理" in reminder.body
    assert "data-unhandled" in user_client(seeker).get(mine).content.decode()
    assert services.applications_unhandled_remind()["applications"] == 0, "reminded once"
    unhandled = selectors.applications_for_recruiter(
        user=recruiter, filters=selectors.PipelineFilters(unhandled=True))
    assert [a.pk for a in unhandled] == [application.pk]

    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.SHORTLISTED)
    application.refresh_from_db()
    assert not application.is_unhandled


def test_recent_applications_are_not_reminded(posting: Any, seeker: Any) -> None:
    applied(seeker, posting)
    assert services.applications_unhandled_remind()["applications"] == 0


# --- reply rate and time to first response ---------------------------------------------------

def _backdate(application: Application, hours: float) -> None:
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - timedelta(hours=hours))


@pytest.fixture
def history(recruiter: Any, employer: Any, posting: Any, make_seeker: Any) -> dict[str, Any]:
    """Seven applications: three replied after 2, 10 and 30 hours, one only viewed and one
    untouched (both 10 days old), one withdrawn before any reply, one from yesterday."""
    rows = {name: applied(make_seeker(), posting) for name in (
        "fast", "medium", "slow", "viewed", "untouched", "withdrawn", "fresh")}
    for name, hours in (("fast", 2), ("medium", 10), ("slow", 30), ("viewed", 240),
                        ("untouched", 240), ("withdrawn", 240), ("fresh", 24)):
        _backdate(rows[name], hours)
    services.application_stage_set(actor=recruiter, application=rows["fast"],
                                   stage=Stage.SHORTLISTED)
    services.application_reject(actor=recruiter, application=rows["medium"], template="fit")
    services.application_stage_set(actor=recruiter, application=rows["slow"],
                                   stage=Stage.INTERVIEW)
    services.applications_mark_viewed(resume=rows["viewed"].resume, organisation=employer,
                                      viewer=recruiter)
    services.application_withdraw(seeker=rows["withdrawn"].seeker,
                                  application=rows["withdrawn"])
    return rows


def test_the_reply_rate_follows_its_definition(employer: Any, history: dict[str, Any]) -> None:
    stats = selectors.organisation_responsiveness(organisation=employer)
    rows = Application.objects.filter(organisation=employer)
    due = [a for a in rows if a.first_response_at is not None
           or a.created_at <= timezone.now() - timedelta(days=7)]
    counted = [a for a in due if not (a.stage == Stage.WITHDRAWN
                                      and a.first_response_at is None)]
    replied = [a for a in counted if a.first_response_at is not None]
    assert (stats.counted, stats.replied) == (len(counted), len(replied)) == (5, 3)
    assert stats.rate_percent == 60
    assert stats.median_hours == pytest.approx(10, abs=0.1)
    assert stats.median_label == "10 小时"


def test_the_reply_rate_shown_on_a_posting_matches_the_applications_behind_it(
        client: Any, posting: Any, employer: Any, history: dict[str, Any]) -> None:
    replied = Application.objects.filter(organisation=employer,
                                         first_response_at__isnull=False).count()
    for url in (reverse("jobs:detail", args=[posting.pk]),
                reverse("orgs:public", args=[employer.pk])):
        html = client.get(url).content.decode()
        assert '<dd id="reply-rate">60%</dd>' in html, url
        assert '<dd id="reply-median">10 小时</dd>' in html
        assert f"应答复的 5 份投递中，已答复 {replied} 份" in html
    data = client.get(f"/api/v1/orgs/{employer.pk}/responsiveness").json()
    assert (data["counted"], data["replied"], data["reply_rate_percent"]) == (5, 3, 60)
    assert data["median_hours_to_first_response"] == pytest.approx(10, abs=0.1)


def test_too_few_applications_show_no_rate(client: Any, posting: Any, seeker: Any) -> None:
    applied(seeker, posting)
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert 'id="reply-rate-none"' in html and 'id="reply-rate"' not in html
