"""Offers and hires (APP-6, DB4401 6.2.2): the offer notice, the seeker's answer, the outcome
with the posting's headcount, and reminders to record outcomes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.applications import services
from pinqiao.applications.models import Application, OfferStatus, Stage
from pinqiao.applications.testing import applied
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.jobs.models import PostingStatus
from pinqiao.jobs.testing import published_posting
from pinqiao.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def _offer_data(**over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"position": "仓库管理员", "pay_amount": "7500", "pay_unit": "month",
            "start_date": (today + timedelta(days=14)).isoformat(),
            "reply_by": (today + timedelta(days=5)).isoformat(), "note": "请携带身份证原件报到。",
            **over}


@pytest.fixture
def application(seeker: Any, posting: Any) -> Application:
    return applied(seeker, posting)


def test_an_offer_notice_reaches_the_seeker(recruiter: Any, seeker: Any,
                                            application: Application) -> None:
    offer = services.offer_send(actor=recruiter, application=application, data=_offer_data())
    application.refresh_from_db()
    assert application.stage == Stage.OFFER and offer.status == OfferStatus.SENT
    notice = Notification.objects.get(user=seeker, event="offer_sent")
    assert "7500 元/月" in notice.body and offer.reply_by.isoformat() in notice.body
    assert Delivery.objects.filter(notification=notice, channel="sms").exists()
    with pytest.raises(ServiceError) as exc:
        services.offer_send(actor=recruiter, application=application, data=_offer_data())
    assert exc.value.code == "offer_exists"


@pytest.mark.parametrize(("over", "field"), [
    ({"pay_amount": "0"}, "pay_amount"), ({"pay_amount": "八千"}, "pay_amount"),
    ({"pay_unit": "week"}, "pay_unit"), ({"start_date": "2020-01-01"}, "start_date"),
    ({"reply_by": "明天"}, "reply_by"), ({"position": "岗" * 61}, "position"),
])
def test_a_bad_offer_is_refused_field_by_field(recruiter: Any, application: Application,
                                               over: dict, field: str) -> None:
    with pytest.raises(ServiceError) as exc:
        services.offer_send(actor=recruiter, application=application, data=_offer_data(**over))
    assert exc.value.code == "invalid_offer" and field in exc.value.fields
    assert not application.offers.exists()


def test_the_reply_by_date_is_not_after_the_start(recruiter: Any,
                                                  application: Application) -> None:
    today = timezone.localdate()
    with pytest.raises(ServiceError) as exc:
        services.offer_send(actor=recruiter, application=application, data=_offer_data(
            start_date=(today + timedelta(days=3)).isoformat(),
            reply_by=(today + timedelta(days=4)).isoformat()))
    assert "reply_by" in exc.value.fields


def test_the_seeker_declines_and_the_application_ends(recruiter: Any, seeker: Any,
                                                      application: Application) -> None:
    services.offer_send(actor=recruiter, application=application, data=_offer_data())
    offer = services.offer_respond(seeker=seeker, application=application, accept=False)
    application.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED and application.stage == Stage.WITHDRAWN
    assert "婉拒" in Notification.objects.get(user=recruiter, event="offer_answered").body


def test_only_the_seeker_answers(make_seeker: Any, recruiter: Any,
                                 application: Application) -> None:
    services.offer_send(actor=recruiter, application=application, data=_offer_data())
    with pytest.raises(NotFound):
        services.offer_respond(seeker=make_seeker(), application=application, accept=True)
    with pytest.raises(NotFound):
        services.offer_respond(seeker=recruiter, application=application, accept=True)


def test_a_hire_counts_on_the_posting(recruiter: Any, seeker: Any, posting: Any,
                                      application: Application) -> None:
    services.offer_send(actor=recruiter, application=application, data=_offer_data())
    services.offer_respond(seeker=seeker, application=application, accept=True)
    with pytest.raises(ServiceError) as exc:
        services.application_reject(actor=recruiter, application=application)
    assert exc.value.code == "offer_accepted"
    services.offer_outcome_record(actor=recruiter, application=application, outcome="hired")
    application.refresh_from_db()
    posting.refresh_from_db()
    assert application.stage == Stage.HIRED
    assert (posting.hired_count, posting.status) == (1, PostingStatus.PUBLISHED)  # 1 of 3
    with pytest.raises(ServiceError) as exc:
        services.offer_outcome_record(actor=recruiter, application=application, outcome="hired")
    assert exc.value.code == "no_accepted_offer"
    posting.refresh_from_db()
    assert posting.hired_count == 1


def test_reaching_the_headcount_closes_the_posting_as_filled(
        recruiter: Any, employer: Any, make_seeker: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    posting = published_posting(recruiter, employer, headcount=1)
    hired = applied(make_seeker(), posting)
    waiting = applied(make_seeker(), posting)
    services.offer_send(actor=recruiter, application=hired, data=_offer_data())
    services.offer_respond(seeker=hired.seeker, application=hired, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_outcome_record(actor=recruiter, application=hired, outcome="hired")
    posting.refresh_from_db()
    assert (posting.hired_count, posting.status) == (1, PostingStatus.CLOSED)
    assert posting.events.last().reason_code == "filled"
    waiting.refresh_from_db()
    assert waiting.stage == Stage.CLOSED
    notice = Notification.objects.get(user=waiting.seeker, event="application_closed")
    assert "招聘名额已满" in notice.body
    assert Notification.objects.filter(user=recruiter, event="posting_filled").exists()


def test_a_no_show_ends_the_application_without_counting(recruiter: Any, seeker: Any,
                                                         posting: Any,
                                                         application: Application) -> None:
    services.offer_send(actor=recruiter, application=application, data=_offer_data())
    services.offer_respond(seeker=seeker, application=application, accept=True)
    services.offer_outcome_record(actor=recruiter, application=application, outcome="no_show")
    application.refresh_from_db()
    posting.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN and posting.hired_count == 0
    with pytest.raises(ServiceError):
        services.offer_outcome_record(actor=recruiter, application=application,
                                      outcome="promoted")


def test_rejecting_cancels_an_unanswered_offer(recruiter: Any, seeker: Any,
                                               application: Application) -> None:
    offer = services.offer_send(actor=recruiter, application=application, data=_offer_data())
    with pytest.raises(ServiceError) as exc:
        services.application_stage_set(actor=recruiter, application=application,
                                       stage=Stage.INTERVIEW)
    assert exc.value.code == "offer_pending"
    services.application_reject(actor=recruiter, application=application,
                                template="after_interview")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CANCELLED
    with pytest.raises(ServiceError) as exc:
        services.offer_respond(seeker=seeker, application=application, accept=True)
    assert exc.value.code == "no_offer"


def test_an_offer_past_its_reply_by_date_expires(recruiter: Any, seeker: Any,
                                                 application: Application) -> None:
    offer = services.offer_send(actor=recruiter, application=application, data=_offer_data())
    type(offer).objects.filter(pk=offer.pk).update(
        reply_by=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ServiceError) as exc:
        services.offer_respond(seeker=seeker, application=application, accept=True)
    assert exc.value.code == "offer_expired"
    summary = services.outcomes_remind()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED and summary["offers_expired"] == 1
    assert Notification.objects.filter(user=seeker, event="offer_expired").exists()
    # The application still needs an outcome: the recruiter is reminded.
    assert summary["applications"] == 1
    assert Notification.objects.filter(user=recruiter, event="hiring_outcomes_due").exists()


def test_interviews_without_an_outcome_are_reminded_weekly(recruiter: Any, posting: Any,
                                                           application: Application) -> None:
    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.INTERVIEW)
    now = timezone.now()
    assert services.outcomes_remind(now=now + timedelta(days=3))["applications"] == 0
    assert services.outcomes_remind(now=now + timedelta(days=8))["applications"] == 1
    assert services.outcomes_remind(now=now + timedelta(days=9))["applications"] == 0
    assert services.outcomes_remind(now=now + timedelta(days=16))["applications"] == 1
    assert Notification.objects.filter(user=recruiter, event="hiring_outcomes_due").count() == 2


def test_the_outcome_reminder_command_has_a_dry_run(recruiter: Any, application: Application,
                                                    capsys: Any) -> None:
    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.INTERVIEW)
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=8))
    call_command("remind_hiring_outcomes", "--dry-run")
    assert "would remind 1 organisations of 1 applications" in capsys.readouterr().out
    assert not Notification.objects.filter(event="hiring_outcomes_due").exists()
    call_command("remind_hiring_outcomes")
    assert "reminded 1 organisations" in capsys.readouterr().out
    assert Notification.objects.filter(user=recruiter, event="hiring_outcomes_due").exists()
