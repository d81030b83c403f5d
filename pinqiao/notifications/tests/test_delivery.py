"""Sending deliveries (MSG-3): a background task per delivery through the local providers
(SMS, e-mail, push), quiet hours holding SMS and push, ``send_due_notifications`` sending what
came due, and retries with back-off until ``NOTIFICATION_MAX_ATTEMPTS``."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.accounts.services import account_close
from pinqiao.notifications.models import (
    Delivery,
    LocalPushMessage,
    LocalSmsMessage,
    Notification,
    NotificationTemplate,
)
from pinqiao.notifications.providers import SMS_MAX_CHARS, LocalSmsProvider
from pinqiao.notifications.services import _in_quiet_hours, delivery_attempt, notify

EVENT = "interview_invited"
CONTEXT = {"organisation": "示例科技有限公司", "time": "12月1日 10:00"}
BODY = "招聘者小李，示例科技有限公司邀请您于12月1日 10:00面试。"
SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.usefixtures("event_templates")


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Callable) -> Callable[..., Notification]:
    """``committed(user, event, context, **kw)`` → notify and commit, so that the deliveries
    that are due are handed to the (immediate) task backend and sent."""

    def send(user: User, event: str = EVENT, context: dict | None = None,
             **kwargs: object) -> Notification:
        with django_capture_on_commit_callbacks(execute=True):
            return notify(user, event, CONTEXT if context is None else context, **kwargs)

    return send


def deliveries(notification: Notification) -> dict[str, Delivery]:
    return {d.channel: d for d in notification.deliveries.all()}


def send_due(*args: str) -> str:
    out = io.StringIO()
    call_command("send_due_notifications", *args, stdout=out)
    return out.getvalue().strip()


def make_due(delivery: Delivery) -> None:
    """Time passes: the delivery's ``not_before`` is now in the past."""
    Delivery.objects.filter(pk=delivery.pk).update(
        not_before=timezone.now() - timedelta(seconds=1))


# --- the local providers ---------------------------------------------------------------------

def test_it_sends_the_sms_through_the_local_provider(recruiter: User,
                                                     committed: Callable) -> None:
    sms = deliveries(committed(recruiter))["sms"]

    sms.refresh_from_db()
    assert sms.status == Delivery.Status.SENT
    assert sms.attempts == 1
    assert sms.sent_at is not None
    message = LocalSmsMessage.objects.get()
    assert sms.provider_ref == f"local-sms-{message.pk}"
    assert message.text == BODY
    assert LocalSmsProvider.inbox(recruiter.test_phone) == [BODY]


def test_it_stores_the_phone_of_a_sent_sms_only_encrypted(recruiter: User,
                                                          committed: Callable) -> None:
    committed(recruiter)

    row = model_to_dict(LocalSmsMessage.objects.get())
    assert recruiter.test_phone not in repr(row)
    assert recruiter.test_phone[-4:] not in row["phone_ciphertext"]


def test_it_sends_the_email_through_the_mail_backend(recruiter: User,
                                                     committed: Callable) -> None:
    email = deliveries(committed(recruiter))["email"]

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [recruiter.email]
    assert mail.outbox[0].subject == "面试邀请（email）"
    assert mail.outbox[0].body == BODY
    email.refresh_from_db()
    assert email.status == Delivery.Status.SENT


def test_it_sends_the_push_through_the_local_provider(recruiter: User,
                                                      committed: Callable) -> None:
    push = deliveries(committed(recruiter))["push"]

    message = LocalPushMessage.objects.get()
    assert (message.user, message.title, message.text) == (recruiter, "面试邀请（push）", BODY)
    push.refresh_from_db()
    assert push.status == Delivery.Status.SENT
    assert push.provider_ref == f"local-push-{message.pk}"


def test_it_sends_nothing_before_the_transaction_commits(recruiter: User) -> None:
    notify(recruiter, EVENT, CONTEXT)

    assert not LocalSmsMessage.objects.exists()
    assert mail.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}


def test_it_does_not_send_a_delivery_twice(recruiter: User, committed: Callable) -> None:
    sms = deliveries(committed(recruiter))["sms"]

    assert delivery_attempt(sms.pk) == "gone"
    assert send_due() == "send_due_notifications: nothing due"
    assert LocalSmsMessage.objects.count() == 1


# --- quiet hours -----------------------------------------------------------------------------

def test_it_holds_sms_and_push_until_quiet_hours_end(recruiter: User, committed: Callable,
                                                     quiet_now: Callable) -> None:
    quiet_end = quiet_now(recruiter)

    sent = deliveries(committed(recruiter))

    for channel in ("sms", "push"):
        sent[channel].refresh_from_db()
        assert sent[channel].status == Delivery.Status.PENDING
        assert sent[channel].not_before == quiet_end
        assert sent[channel].attempts == 0
    assert not LocalSmsMessage.objects.exists()
    assert not LocalPushMessage.objects.exists()


def test_it_does_not_hold_email_in_quiet_hours(recruiter: User, committed: Callable,
                                               quiet_now: Callable) -> None:
    quiet_now(recruiter)

    email = deliveries(committed(recruiter))["email"]

    email.refresh_from_db()
    assert email.status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_it_sends_urgent_notifications_in_quiet_hours(recruiter: User, committed: Callable,
                                                      quiet_now: Callable) -> None:
    quiet_now(recruiter)

    committed(recruiter, urgent=True)

    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert LocalSmsMessage.objects.count() == 1
    assert LocalPushMessage.objects.count() == 1


@pytest.mark.parametrize("now, start, end, until", [
    (datetime(2026, 11, 23, 23, 30), time(22), time(7), datetime(2026, 11, 24, 7, 0)),
    (datetime(2026, 11, 24, 6, 15), time(22), time(7), datetime(2026, 11, 24, 7, 0)),
    (datetime(2026, 11, 24, 12, 45), time(12, 30), time(14), datetime(2026, 11, 24, 14, 0)),
    (datetime(2026, 11, 24, 7, 0), time(22), time(7), None),
    (datetime(2026, 11, 24, 12, 0), time(22), time(7), None),
    (datetime(2026, 11, 24, 12, 0), None, time(7), None),
])
def test_it_finds_the_end_of_the_quiet_period_across_midnight(
        now: datetime, start: time | None, end: time, until: datetime | None) -> None:
    held = _in_quiet_hours(now.replace(tzinfo=SHANGHAI), start, end)

    assert held == (until.replace(tzinfo=SHANGHAI) if until else None)


def test_it_sends_held_deliveries_once_they_are_due(recruiter: User, committed: Callable,
                                                    quiet_now: Callable) -> None:
    quiet_now(recruiter)
    held = deliveries(committed(recruiter))
    assert send_due() == "send_due_notifications: nothing due"

    make_due(held["sms"])
    make_due(held["push"])
    summary = send_due()

    assert summary == "send_due_notifications: sent=2"
    assert LocalSmsProvider.inbox(recruiter.test_phone) == [BODY]
    assert LocalPushMessage.objects.count() == 1
    assert send_due() == "send_due_notifications: nothing due"


def test_it_counts_due_deliveries_in_a_dry_run_without_sending(
        recruiter: User, committed: Callable, quiet_now: Callable) -> None:
    quiet_now(recruiter)
    held = deliveries(committed(recruiter))
    make_due(held["sms"])
    make_due(held["push"])

    assert send_due("--dry-run") == "send_due_notifications: 2 due (dry run)"

    assert not LocalSmsMessage.objects.exists()
    assert set(Delivery.objects.filter(channel__in=["sms", "push"])
               .values_list("status", flat=True)) == {"pending"}


# --- failures and retries --------------------------------------------------------------------

@pytest.fixture
def long_sms(event_templates: dict[str, NotificationTemplate]) -> NotificationTemplate:
    """The SMS template renders longer than the local gateway accepts."""
    template = event_templates["sms"]
    template.body = "请注意：" + "面试须知。" * (SMS_MAX_CHARS // 5 + 1)
    template.save()
    return template


def test_it_keeps_a_refused_delivery_pending_for_a_retry(recruiter: User, committed: Callable,
                                                         long_sms: object) -> None:
    before = timezone.now()
    sms = deliveries(committed(recruiter))["sms"]
    after = timezone.now()

    sms.refresh_from_db()
    assert len(sms.body) > SMS_MAX_CHARS
    assert sms.status == Delivery.Status.PENDING
    assert sms.attempts == 1
    assert sms.last_error == "message too long"
    assert before + timedelta(minutes=1) <= sms.not_before <= after + timedelta(minutes=1)
    assert not LocalSmsMessage.objects.exists()
    assert len(mail.outbox) == 1  # the other channels are not held back


def test_it_backs_off_longer_after_each_failure(recruiter: User, committed: Callable,
                                                long_sms: object) -> None:
    sms = deliveries(committed(recruiter))["sms"]
    make_due(sms)

    before = timezone.now()
    assert send_due() == "send_due_notifications: retry=1"
    after = timezone.now()

    sms.refresh_from_db()
    assert sms.attempts == 2
    assert before + timedelta(minutes=2) <= sms.not_before <= after + timedelta(minutes=2)


def test_it_fails_the_delivery_after_the_last_attempt(recruiter: User, committed: Callable,
                                                      long_sms: object) -> None:
    sms = deliveries(committed(recruiter))["sms"]
    for _ in range(settings.NOTIFICATION_MAX_ATTEMPTS - 2):
        make_due(sms)
        assert send_due() == "send_due_notifications: retry=1"

    make_due(sms)
    assert send_due() == "send_due_notifications: failed=1"

    sms.refresh_from_db()
    assert sms.status == Delivery.Status.FAILED
    assert sms.attempts == settings.NOTIFICATION_MAX_ATTEMPTS
    make_due(sms)
    assert send_due() == "send_due_notifications: nothing due"


def test_it_does_not_send_a_delivery_before_it_is_due(recruiter: User, committed: Callable,
                                                      long_sms: object) -> None:
    sms = deliveries(committed(recruiter))["sms"]

    assert delivery_attempt(sms.pk) == "not_due"
    sms.refresh_from_db()
    assert sms.attempts == 1


def test_it_sends_a_retried_delivery_once_the_provider_accepts(
        recruiter: User, committed: Callable, long_sms: NotificationTemplate) -> None:
    sms = deliveries(committed(recruiter))["sms"]
    Delivery.objects.filter(pk=sms.pk).update(body="【聘桥】面试邀请，请登录查看。")
    make_due(sms)

    assert send_due() == "send_due_notifications: sent=1"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Delivery.Status.SENT, 2)


def test_it_fails_a_delivery_whose_recipient_has_no_address_any_more(
        recruiter: User) -> None:
    email = deliveries(notify(recruiter, EVENT, CONTEXT))["email"]
    User.objects.filter(pk=recruiter.pk).update(email=None)  # the address was released

    assert delivery_attempt(email.pk) == "failed"

    email.refresh_from_db()
    assert email.status == Delivery.Status.FAILED
    assert email.last_error == "recipient has no address on this channel"
    assert [m.subject for m in mail.outbox] == []


def test_closing_the_account_drops_its_pending_deliveries(recruiter: User) -> None:
    """Closing runs the deletion workflow (PRIV-5), which erases the in-site notifications and
    with them their pending deliveries: nothing is sent after the account is closed. Only the
    closing notice itself goes out, before the erasure releases the address."""
    email = deliveries(notify(recruiter, EVENT, CONTEXT))["email"]
    account_close(user=recruiter, confirmation="确认注销")  # releases the e-mail address

    assert delivery_attempt(email.pk) == "gone"
    assert not Delivery.objects.filter(pk=email.pk).exists()
    assert [m.subject for m in mail.outbox] == []  # no e-mail template for account_closed


def test_it_sends_the_other_deliveries_when_one_cannot_be_sent(
        recruiter: User, seeker: User) -> None:
    broken = deliveries(notify(recruiter, EVENT, CONTEXT))["sms"]
    good = deliveries(notify(seeker, EVENT, CONTEXT))["sms"]
    User.objects.filter(pk=recruiter.pk).update(phone_ciphertext="v1:unknown-key:AAAA")

    summary = send_due()

    assert "retry=1" in summary
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == (Delivery.Status.PENDING, 1)
    assert broken.last_error
    good.refresh_from_db()
    assert good.status == Delivery.Status.SENT
    assert LocalSmsProvider.inbox(seeker.test_phone) == [
        "求职者小张，示例科技有限公司邀请您于12月1日 10:00面试。"]
