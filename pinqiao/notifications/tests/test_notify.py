"""``notify(user, event, context)`` (MSG-3): the in-site inbox entry, one delivery per outside
channel the user can receive and has not switched off, rendered from the staff-edited
templates; an event without an inbox template is a programming error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pinqiao.accounts.models import User
from pinqiao.core.permissions import Role
from pinqiao.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)
from pinqiao.notifications.services import notify

EVENT = "interview_invited"  # the event_templates fixture
CONTEXT = {"organisation": "示例科技有限公司", "time": "12月1日 10:00"}


def channels(notification: Notification) -> set[str]:
    return set(notification.deliveries.values_list("channel", flat=True))


def test_it_writes_the_inbox_entry(recruiter: User, event_templates: object) -> None:
    notification = notify(recruiter, EVENT, CONTEXT, link="/applications/7/")

    stored = Notification.objects.get(user=recruiter)
    assert stored == notification
    assert stored.event == EVENT
    assert stored.subject == "面试邀请（inbox）"
    assert stored.body == "招聘者小李，示例科技有限公司邀请您于12月1日 10:00面试。"
    assert stored.link == "/applications/7/"
    assert stored.read_at is None


def test_it_queues_one_delivery_per_channel_for_a_user_with_phone_and_email(
        recruiter: User, event_templates: object) -> None:
    notification = notify(recruiter, EVENT, CONTEXT)

    assert sorted(notification.deliveries.values_list("channel", flat=True)) == [
        "email", "push", "sms"]
    email = notification.deliveries.get(channel="email")
    assert email.subject == "面试邀请（email）"
    assert email.body == "招聘者小李，示例科技有限公司邀请您于12月1日 10:00面试。"


def test_it_sends_no_email_to_a_user_without_an_email_address(
        seeker: User, event_templates: object) -> None:
    assert channels(notify(seeker, EVENT, CONTEXT)) == {"sms", "push"}


def test_it_sends_no_sms_to_a_user_without_a_phone(operator: User,
                                                   event_templates: object) -> None:
    assert channels(notify(operator, EVENT, CONTEXT)) == {"email", "push"}


@pytest.mark.parametrize("switched_off, left", [
    ("email_enabled", {"sms", "push"}),
    ("sms_enabled", {"email", "push"}),
    ("push_enabled", {"email", "sms"}),
])
def test_it_skips_channels_the_user_switched_off(recruiter: User, event_templates: object,
                                                 switched_off: str, left: set[str]) -> None:
    NotificationPreference.objects.create(user=recruiter, **{switched_off: False})

    notification = notify(recruiter, EVENT, CONTEXT)

    assert channels(notification) == left
    assert Notification.objects.filter(user=recruiter).count() == 1  # the inbox always


def test_it_keeps_the_inbox_entry_when_every_channel_is_off(recruiter: User,
                                                            event_templates: object) -> None:
    NotificationPreference.objects.create(user=recruiter, email_enabled=False,
                                          sms_enabled=False, push_enabled=False)

    notification = notify(recruiter, EVENT, CONTEXT)

    assert channels(notification) == set()
    assert notification.subject == "面试邀请（inbox）"


def test_it_uses_only_the_channels_the_event_has_templates_for(recruiter: User) -> None:
    notification = notify(recruiter, "welcome")  # inbox, SMS and e-mail templates, no push

    assert channels(notification) == {"email", "sms"}


def test_it_skips_a_template_staff_switched_off(recruiter: User,
                                                event_templates: dict) -> None:
    NotificationTemplate.objects.filter(pk=event_templates["sms"].pk).update(is_active=False)

    assert channels(notify(recruiter, EVENT, CONTEXT)) == {"email", "push"}


def test_it_raises_lookup_error_for_an_event_without_an_inbox_template(
        recruiter: User, event_templates: dict) -> None:
    event_templates["inbox"].delete()

    with pytest.raises(LookupError):
        notify(recruiter, EVENT, CONTEXT)

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_it_raises_lookup_error_for_an_unknown_event(seeker: User) -> None:
    with pytest.raises(LookupError):
        notify(seeker, "no_such_event")


def test_it_raises_lookup_error_when_the_inbox_template_is_switched_off(
        seeker: User, event_templates: dict) -> None:
    NotificationTemplate.objects.filter(pk=event_templates["inbox"].pk).update(is_active=False)

    with pytest.raises(LookupError):
        notify(seeker, EVENT, CONTEXT)


def test_it_renders_plain_text_without_html_escaping(seeker: User,
                                                     event_templates: object) -> None:
    notification = notify(seeker, EVENT, {"organisation": "A&B <科技>", "time": "明天"})

    assert "A&B <科技>邀请您" in notification.body


def test_it_renders_the_default_welcome_for_a_user_without_a_name(
        make_user: Callable[..., User]) -> None:
    user = make_user(role=Role.SEEKER, display_name="")

    notification = notify(user, "welcome")

    assert notification.body.startswith("您好，欢迎来到聘桥。")


def test_it_cuts_a_subject_that_renders_longer_than_the_column(
        recruiter: User, event_templates: dict[str, NotificationTemplate]) -> None:
    NotificationTemplate.objects.filter(event=EVENT).update(subject="{{ organisation }}邀请您面试")

    notification = notify(recruiter, EVENT, CONTEXT | {"organisation": "很长的公司名" * 60})

    assert len(notification.subject) == 200
    assert {len(d.subject) for d in notification.deliveries.all()} == {200}
