"""The in-site inbox and notification preferences (MSG-3), as pages and as API: each user sees
and marks only their own messages; quiet hours need both a start and an end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification, NotificationPreference
from pinqiao.notifications.services import notify, preference_update

pytestmark = pytest.mark.django_db

PREFS = "/inbox/preferences/"
API_PREFS = "/api/v1/notifications/preferences"


@pytest.fixture
def welcomed(seeker: User, recruiter: User) -> tuple[Notification, Notification]:
    """One welcome in the seeker's inbox, one in the recruiter's."""
    return notify(seeker, "welcome"), notify(recruiter, "welcome")


# --- the inbox page --------------------------------------------------------------------------

def test_it_asks_anonymous_visitors_to_log_in_for_the_inbox(client: Client) -> None:
    response = client.get("/inbox/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_shows_the_users_own_messages_unread_first(
        seeker: User, user_client: Callable[[User], Client], welcomed: tuple) -> None:
    html = user_client(seeker).get("/inbox/").content.decode()

    assert "欢迎加入聘桥" in html
    assert "求职者小张，欢迎来到聘桥" in html
    assert "未读" in html
    assert "招聘者小李" not in html.split("<footer")[0]


def test_it_links_to_what_the_message_is_about(seeker: User,
                                               user_client: Callable[[User], Client]) -> None:
    notify(seeker, "welcome", link="/accounts/me/")

    assert 'href="/accounts/me/">查看详情' in user_client(seeker).get("/inbox/").content.decode()


class TestMarkAllRead:
    url = "/inbox/read/"

    def test_it_rejects_anonymous(self, client: Client, welcomed: tuple) -> None:
        response = client.post(self.url)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert not Notification.objects.exclude(read_at=None).exists()

    def test_it_marks_only_the_users_own_messages_read(
            self, seeker: User, user_client: Callable[[User], Client],
            welcomed: tuple[Notification, Notification]) -> None:
        response = user_client(seeker).post(self.url)

        assert response["Location"] == "/inbox/"
        mine, theirs = (Notification.objects.get(pk=n.pk) for n in welcomed)
        assert mine.read_at is not None
        assert theirs.read_at is None

    def test_it_only_answers_posts(self, seeker: User,
                                   user_client: Callable[[User], Client]) -> None:
        assert user_client(seeker).get(self.url).status_code == 405


# --- the inbox API ---------------------------------------------------------------------------

def test_it_refuses_the_inbox_api_without_login(client: Client) -> None:
    response = client.get("/api/v1/notifications/inbox")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_lists_the_users_own_messages_in_the_api(
        seeker: User, user_client: Callable[[User], Client],
        welcomed: tuple[Notification, Notification]) -> None:
    body = user_client(seeker).get("/api/v1/notifications/inbox").json()

    assert [m["id"] for m in body] == [welcomed[0].pk]
    assert body[0]["event"] == "welcome"
    assert body[0]["subject"] == "欢迎加入聘桥"
    assert body[0]["read_at"] is None


def test_it_marks_chosen_messages_read_through_the_api(
        seeker: User, user_client: Callable[[User], Client],
        welcomed: tuple[Notification, Notification]) -> None:
    second = notify(seeker, "welcome")
    client = user_client(seeker)

    response = client.post("/api/v1/notifications/inbox/read",
                           {"ids": [welcomed[0].pk, welcomed[1].pk]},
                           content_type="application/json")

    assert response.json() == {"updated": 1}  # the recruiter's message is not the seeker's
    unread = [m["id"] for m in client.get("/api/v1/notifications/inbox").json()
              if m["read_at"] is None]
    assert unread == [second.pk]
    assert Notification.objects.get(pk=welcomed[1].pk).read_at is None


def test_it_marks_everything_read_through_the_api_without_ids(
        seeker: User, user_client: Callable[[User], Client], welcomed: tuple) -> None:
    notify(seeker, "welcome")

    response = user_client(seeker).post("/api/v1/notifications/inbox/read", {},
                                        content_type="application/json")

    assert response.json() == {"updated": 2}
    assert not Notification.objects.filter(user=seeker, read_at=None).exists()


# --- preferences -----------------------------------------------------------------------------

class TestPreferencesPage:
    def test_it_rejects_anonymous(self, client: Client) -> None:
        response = client.post(PREFS, {"email_enabled": "on"})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert not NotificationPreference.objects.exists()

    def test_it_shows_every_channel_on_by_default(self, seeker: User,
                                                  user_client: Callable[[User], Client]) -> None:
        html = user_client(seeker).get(PREFS).content.decode()

        assert html.count("checked") == 3
        assert "免打扰开始" in html

    def test_it_saves_switches_and_quiet_hours(self, seeker: User,
                                               user_client: Callable[[User], Client]) -> None:
        response = user_client(seeker).post(PREFS, {
            "email_enabled": "on", "push_enabled": "on",
            "quiet_start": "22:00", "quiet_end": "07:30"}, follow=True)

        assert "通知设置已保存。" in response.content.decode()
        saved = NotificationPreference.objects.get(user=seeker)
        assert (saved.email_enabled, saved.sms_enabled, saved.push_enabled) == (
            True, False, True)
        assert (saved.quiet_start, saved.quiet_end) == (time(22), time(7, 30))
        assert AuditEntry.objects.filter(verb="notifications.preferences_updated",
                                         actor_id=seeker.pk).exists()

    def test_it_refuses_a_quiet_start_without_an_end(
            self, seeker: User, user_client: Callable[[User], Client]) -> None:
        response = user_client(seeker).post(PREFS, {"sms_enabled": "on",
                                                    "quiet_start": "22:00"})

        assert response.status_code == 200
        assert "请同时填写开始和结束时间。" in response.content.decode()
        assert not NotificationPreference.objects.exists()

    def test_it_refuses_a_malformed_time_with_a_message(
            self, seeker: User, user_client: Callable[[User], Client]) -> None:
        response = user_client(seeker).post(PREFS, {"quiet_start": "25:99",
                                                    "quiet_end": "07:00"})

        assert "输入一个有效的时间。" in response.content.decode()
        assert not NotificationPreference.objects.exists()


def test_it_refuses_the_preferences_api_without_login(client: Client) -> None:
    assert client.get(API_PREFS).status_code == 401


def test_it_answers_the_defaults_through_the_api(seeker: User,
                                                 user_client: Callable[[User], Client]) -> None:
    assert user_client(seeker).get(API_PREFS).json() == {
        "email_enabled": True, "sms_enabled": True, "push_enabled": True,
        "quiet_start": None, "quiet_end": None}


def test_it_saves_preferences_through_the_api(seeker: User,
                                              user_client: Callable[[User], Client]) -> None:
    client = user_client(seeker)

    response = client.put(API_PREFS, {"sms_enabled": False, "quiet_start": "21:30",
                                      "quiet_end": "08:00"}, content_type="application/json")

    assert response.status_code == 200
    assert client.get(API_PREFS).json() == {
        "email_enabled": True, "sms_enabled": False, "push_enabled": True,
        "quiet_start": "21:30:00", "quiet_end": "08:00:00"}


def test_it_refuses_a_quiet_start_without_an_end_through_the_api(
        seeker: User, user_client: Callable[[User], Client]) -> None:
    response = user_client(seeker).put(API_PREFS, {"quiet_start": "22:00"},
                                       content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": {
        "code": "invalid_quiet_hours", "message": "免打扰时段需要同时填写开始和结束时间。",
        "fields": {"quiet_end": ["请同时填写开始和结束时间。"]}}}
    assert not NotificationPreference.objects.exists()


def test_it_refuses_an_end_without_a_start_in_the_service(seeker: User) -> None:
    with pytest.raises(ServiceError):
        preference_update(user=seeker, email_enabled=True, sms_enabled=True,
                          push_enabled=True, quiet_start=None, quiet_end=time(7))
