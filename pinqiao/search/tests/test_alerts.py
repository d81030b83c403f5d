"""Job alerts for saved searches (SRCH-3): daily digests with a high-water mark, instant alerts
on publication with a per-seeker rate limit, the database re-check, the notification
templates and the periodic command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.core.scheduler import SCHEDULE
from pinqiao.jobs import services as job_services
from pinqiao.jobs.models import Posting
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.models import Delivery, Notification, NotificationTemplate
from pinqiao.notifications.services import template_check
from pinqiao.search import alerts
from pinqiao.search.models import AlertMatch, AlertQueue, SavedSearch
from pinqiao.search.saved_searches import saved_search_create, saved_search_update

pytestmark = pytest.mark.django_db

JAVA = {"title": "Java开发工程师", "job_function": "java_dev", "industry": "software",
        "requirements": "本科及以上学历，熟悉Spring Boot和MySQL。",
        "work_content": "负责招聘平台后端服务的设计与开发，编写单元测试。",
        "pay_min": "15000", "pay_max": "25000", "education": "bachelor"}
JAVA_SZ = {**JAVA, "title": "高级Java工程师", "division_code": "440305",
           "address": "南山区科技园1号", "work_content": "负责支付系统的架构设计和核心模块开发。"}
FORKLIFT = {"title": "叉车司机", "job_function": "forklift_driver", "industry": "manufacturing",
            "requirements": "持有叉车证，能吃苦耐劳。",
            "work_content": "负责仓库货物的装卸和搬运。",
            "pay_min": "6000", "pay_max": "7500", "education": "any", "experience": "any"}


def variant(base: dict[str, str], n: int) -> dict[str, str]:
    """The same job in another wording (the near-duplicate check would hold exact copies)."""
    return {**base, "title": f"{base['title']}（{n}号岗）",
            "work_content": f"{base['work_content']}第{n}班组，工位编号{n * 37}。"}


@pytest.fixture
def seeker(make_user: Any) -> Any:
    return make_user(display_name="求职者小张", email="zhang@seeker.example")


@pytest.fixture
def publish(recruiter: Any, employer: Any) -> Any:
    def make(data: dict[str, str], **over: Any) -> Any:
        return published_posting(recruiter, employer, **{**data, **over})
    return make


def tomorrow_morning() -> Any:
    """A moment after the next digest boundary, whatever the time of day now."""
    return timezone.now() + timedelta(days=1)


def notices(user: Any, event: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, event=event).order_by("id"))


# --- daily -------------------------------------------------------------------------------

def test_the_daily_digest_lists_new_matches_with_links_and_an_unsubscribe_link(
        seeker: Any, publish: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "Java", "city": "440100"})
    wanted = publish(JAVA)
    other_city = publish(JAVA_SZ)
    other_job = publish(FORKLIFT)

    stats = alerts.daily_alerts_run(now=tomorrow_morning())

    assert stats["sent"] == 1
    [notice] = notices(seeker, "job_alert_daily")
    assert notice.subject == "「Java·广州市」有 1 个新职位"
    assert "Java开发工程师｜" in notice.body and "15000-25000元/月" in notice.body
    assert other_city.title not in notice.body and other_job.title not in notice.body
    assert notice.link == f"/me/saved-searches/{saved.pk}/results/"
    assert "退订：http://localhost:8000/saved-searches/unsubscribe/" in notice.body
    email = Delivery.objects.get(notification=notice, channel="email")
    assert f"http://localhost:8000/jobs/{wanted.pk}/" in email.body
    assert Delivery.objects.filter(notification=notice, channel="push").exists()
    saved.refresh_from_db()
    assert saved.last_alert_at is not None
    assert list(AlertMatch.objects.filter(saved_search=saved).values_list(
        "posting_id", flat=True)) == [wanted.pk]


def test_the_daily_digest_is_idempotent(seeker: Any, publish: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "Java"})
    publish(JAVA)
    now = tomorrow_morning()

    assert alerts.daily_alerts_run(now=now)["sent"] == 1
    assert alerts.daily_alerts_run(now=now) == {}  # nothing due
    # Even forced to run again, the mark says these postings were sent.
    SavedSearch.objects.filter(pk=saved.pk).update(checked_at=now - timedelta(days=2))
    assert alerts.daily_alerts_run(now=now)["nothing_new"] == 1
    assert len(notices(seeker, "job_alert_daily")) == 1


def test_the_next_digest_has_only_postings_published_since_the_last(
        seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "Java"})
    first = publish(JAVA)
    now = tomorrow_morning()
    alerts.daily_alerts_run(now=now)
    second = publish(JAVA_SZ)
    Posting.objects.filter(pk=second.pk).update(published_at=now + timedelta(hours=1))

    assert alerts.daily_alerts_run(now=now + timedelta(days=1))["sent"] == 1

    latest = notices(seeker, "job_alert_daily")[-1]
    assert second.title in latest.body and first.title not in latest.body


def test_the_digest_lists_the_best_matches_first_and_counts_the_rest(
        seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"})
    saved_search_create(owner=seeker, params={"function": "logistics"})
    in_title = publish(FORKLIFT)
    in_body = [publish({**FORKLIFT, "title": f"仓库搬运工（{n}号岗）", "job_function": "loader",
                        "work_content": f"配合叉车完成第{n}库区的装卸，工位编号{n * 37}。"})
               for n in range(6)]

    alerts.daily_alerts_run(now=tomorrow_morning())

    by_words, by_filter = notices(seeker, "job_alert_daily")
    lines = [line for line in by_words.body.splitlines() if line.startswith("· ")]
    assert by_words.subject == "「叉车」有 7 个新职位"
    assert lines[0].startswith(f"· {in_title.title}｜")  # the word in the title ranks first
    assert lines[1].startswith(f"· {in_body[-1].title}｜")  # then, at equal scores, newest
    assert len(lines) == alerts.DIGEST_SIZE and "另有 2 个，查看全部" in by_words.body
    filtered = [line for line in by_filter.body.splitlines() if line.startswith("· ")]
    assert filtered[0].startswith(f"· {in_body[-1].title}｜")  # no words: newest first


def test_a_digest_reaches_back_at_most_a_week(seeker: Any, publish: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "Java"})
    now = tomorrow_morning()
    SavedSearch.objects.filter(pk=saved.pk).update(alerted_until=now - timedelta(days=30))
    old, recent = publish(JAVA), publish(JAVA_SZ)
    Posting.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=8))
    Posting.objects.filter(pk=recent.pk).update(published_at=now - timedelta(days=6))

    alerts.daily_alerts_run(now=now)

    [notice] = notices(seeker, "job_alert_daily")
    assert recent.title in notice.body and old.title not in notice.body


def test_nothing_is_sent_when_nothing_is_new(seeker: Any, publish: Any) -> None:
    publish(JAVA)  # published before the search was saved
    saved = saved_search_create(owner=seeker, params={"q": "Java"})
    publish(FORKLIFT)  # new, but does not match

    stats = alerts.daily_alerts_run(now=tomorrow_morning())

    assert stats["nothing_new"] == 1 and "sent" not in stats
    assert not notices(seeker, "job_alert_daily")
    saved.refresh_from_db()
    assert saved.alerted_until > saved.created_at  # the mark moves on: it covered the window


def test_a_removed_or_expired_posting_is_never_in_a_digest(
        seeker: Any, publish: Any, reviewer: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "Java"})
    removed = publish(JAVA)
    expired = publish(JAVA_SZ)
    job_services.posting_remove(actor=otp_verified(reviewer), posting=removed,
                                reason_code="fraud")
    Posting.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))

    alerts.daily_alerts_run(now=tomorrow_morning())

    assert not notices(seeker, "job_alert_daily")


def test_the_mark_moves_only_with_the_notice(seeker: Any, publish: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "Java"})
    publish(JAVA)
    NotificationTemplate.objects.filter(event="job_alert_daily", channel="inbox").update(
        is_active=False)

    assert alerts.daily_alerts_run(now=tomorrow_morning())["failed"] == 1

    mark = saved.alerted_until
    saved.refresh_from_db()
    assert saved.alerted_until == mark and saved.last_alert_at is None
    NotificationTemplate.objects.filter(event="job_alert_daily").update(is_active=True)
    assert alerts.daily_alerts_run(now=tomorrow_morning())["sent"] == 1


def test_the_daily_window_ends_shortly_before_now(seeker: Any, publish: Any) -> None:
    """A posting whose transaction may still be committing waits for the next digest."""
    saved_search_create(owner=seeker, params={"q": "Java"})
    posting = publish(JAVA)
    now = tomorrow_morning()
    Posting.objects.filter(pk=posting.pk).update(
        published_at=now - alerts.SETTLE + timedelta(seconds=1))

    assert alerts.daily_alerts_run(now=now)["nothing_new"] == 1
    assert alerts.daily_alerts_run(now=now + timedelta(days=1))["sent"] == 1


def test_alerts_need_no_search_index(seeker: Any, publish: Any, settings: Any,
                                     tmp_path: Any) -> None:
    settings.SEARCH_INDEX_DIR = tmp_path / "no-index"  # never built
    saved_search_create(owner=seeker, params={"q": "Java"})
    saved_search_create(owner=seeker, params={"q": "Java开发"}, frequency="instant")
    publish(JAVA)

    assert alerts.instant_alerts_match()["matches"] == 1
    assert alerts.instant_alerts_send()["sent"] == 1
    assert alerts.daily_alerts_run(now=tomorrow_morning())["sent"] == 1
    assert not (tmp_path / "no-index").exists()


def test_a_run_out_of_time_leaves_the_rest_due(seeker: Any, publish: Any) -> None:
    for word in ("Java", "Spring", "MySQL"):
        saved_search_create(owner=seeker, params={"q": word})
    publish(JAVA)
    now = tomorrow_morning()

    assert alerts.daily_alerts_run(now=now, max_seconds=0)["deferred"] == 3
    assert alerts.daily_alerts_run(now=now)["sent"] == 3
    assert alerts.daily_alerts_run(now=now) == {}


def test_instant_and_paused_searches_get_no_digest(seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "Java"}, frequency="instant")
    saved_search_create(owner=seeker, params={"q": "Java开发"}, frequency="off")
    publish(JAVA)
    assert alerts.daily_alerts_run(now=tomorrow_morning()) == {}


# --- instant -----------------------------------------------------------------------------

def test_an_instant_alert_follows_publication(seeker: Any, recruiter: Any, employer: Any,
                                              search_index: Any,
                                              django_capture_on_commit_callbacks: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "叉车", "province": "440000"},
                                frequency="instant")
    with django_capture_on_commit_callbacks(execute=True):
        posting = published_posting(recruiter, employer, **FORKLIFT)
    # On commit the indexer and the matcher ran (the immediate task backend in tests).
    [notice] = notices(seeker, "job_alert_instant")
    assert notice.subject == "有 1 个新职位符合您的订阅"
    assert "叉车司机｜" in notice.body and "退订：" in notice.body
    assert notice.link == f"/me/saved-searches/{saved.pk}/results/"
    match = AlertMatch.objects.get(saved_search=saved)
    assert (match.posting_id, match.notification_id) == (posting.pk, notice.pk)
    assert not AlertQueue.objects.exists()


def test_no_instant_alert_for_a_posting_removed_before_matching(
        seeker: Any, publish: Any, reviewer: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    posting = publish(FORKLIFT)
    job_services.posting_remove(actor=otp_verified(reviewer), posting=posting,
                                reason_code="fraud")

    alerts.instant_alerts_match()
    alerts.instant_alerts_send()

    assert not AlertMatch.objects.exists()
    assert not AlertQueue.objects.exists()
    assert not notices(seeker, "job_alert_instant")


def test_no_instant_alert_for_a_match_removed_before_sending(
        seeker: Any, publish: Any, reviewer: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    posting = publish(FORKLIFT)
    alerts.instant_alerts_match()
    job_services.posting_remove(actor=otp_verified(reviewer), posting=posting,
                                reason_code="fraud")

    stats = alerts.instant_alerts_send()

    assert stats["dropped"] == 1 and "sent" not in stats
    assert not notices(seeker, "job_alert_instant")


def test_instant_alerts_only_for_matching_postings_after_subscribing(
        seeker: Any, publish: Any) -> None:
    before = publish(variant(FORKLIFT, 1))
    saved_search_create(owner=seeker, params={"q": "叉车", "city": "440100"},
                        frequency="instant")
    publish(JAVA)
    publish(variant(FORKLIFT, 2), division_code="440305", address="南山区物流园")
    wanted = publish(variant(FORKLIFT, 3))
    job_services.posting_pause(actor=before.created_by, posting=before)
    job_services.posting_resume(actor=before.created_by, posting=before)  # re-published

    alerts.instant_alerts_match()
    alerts.instant_alerts_send()

    [notice] = notices(seeker, "job_alert_instant")
    assert list(AlertMatch.objects.values_list("posting_id", flat=True)) == [wanted.pk]
    assert "叉车司机（3号岗）" in notice.body and "（2号岗）" not in notice.body


def test_a_burst_of_postings_becomes_one_notice_and_the_rate_limit_holds_the_next(
        seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    saved_search_create(owner=seeker, params={"q": "司机"}, frequency="instant")
    for n in range(3):
        publish(variant(FORKLIFT, n))
    alerts.instant_alerts_match()
    now = timezone.now()

    assert alerts.instant_alerts_send(now=now)["sent"] == 1
    [first] = notices(seeker, "job_alert_instant")
    assert first.subject == "有 3 个新职位符合您的订阅"  # 3 postings, each in both searches
    assert first.body.count("「叉车」3 个新职位") == 1 and "「司机」3 个新职位" in first.body
    assert first.link == "/me/saved-searches/"

    publish(variant(FORKLIFT, 7))
    publish(variant(FORKLIFT, 8))
    alerts.instant_alerts_match()
    held = alerts.instant_alerts_send(now=now + timedelta(minutes=5))
    assert held["held"] == 1 and "sent" not in held
    assert len(notices(seeker, "job_alert_instant")) == 1

    later = alerts.instant_alerts_send(now=now + alerts.INSTANT_INTERVAL + timedelta(minutes=1))
    assert later["sent"] == 1
    second = notices(seeker, "job_alert_instant")[-1]
    assert "（7号岗）" in second.body and "（8号岗）" in second.body
    assert "（1号岗）" not in second.body
    assert not AlertMatch.objects.filter(sent_at=None).exists()


def test_the_rate_limit_is_per_seeker(seeker: Any, make_user: Any, publish: Any) -> None:
    other = make_user(display_name="求职者小王")
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    publish(variant(FORKLIFT, 1))
    alerts.instant_alerts_match()
    alerts.instant_alerts_send()
    saved_search_create(owner=other, params={"q": "叉车"}, frequency="instant")
    publish(variant(FORKLIFT, 2))
    alerts.instant_alerts_match()

    stats = alerts.instant_alerts_send()

    assert (stats["sent"], stats["held"]) == (1, 1)
    assert len(notices(other, "job_alert_instant")) == 1


def test_a_posting_is_alerted_once_per_search(seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    posting = publish(FORKLIFT)
    alerts.instant_alerts_match()
    alerts.instant_alerts_send()
    AlertQueue.objects.create(posting_id=posting.pk)  # published again

    alerts.instant_alerts_match()

    assert AlertMatch.objects.count() == 1
    assert alerts.instant_alerts_send(now=timezone.now() + timedelta(hours=1)) == {}


def test_pausing_drops_waiting_instant_matches(seeker: Any, publish: Any) -> None:
    saved = saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    publish(FORKLIFT)
    alerts.instant_alerts_match()
    saved_search_update(owner=seeker, saved_search_id=saved.pk, frequency="off")

    assert alerts.instant_alerts_send()["dropped"] == 1
    assert not notices(seeker, "job_alert_instant")


def test_a_closed_account_gets_no_alerts(seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    saved_search_create(owner=seeker, params={"q": "司机"})
    publish(FORKLIFT)
    alerts.instant_alerts_match()
    type(seeker).objects.filter(pk=seeker.pk).update(is_active=False)

    assert alerts.instant_alerts_send()["dropped"] == 1
    assert alerts.daily_alerts_run(now=tomorrow_morning()) == {}
    assert not Notification.objects.filter(user=seeker, event__startswith="job_alert").exists()


def test_instant_matching_skips_searches_that_cannot_match(seeker: Any, make_user: Any,
                                                           publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车", "city": "440100"},
                        frequency="instant")
    saved_search_create(owner=seeker, params={"function": "logistics"}, frequency="instant")
    beijing = make_user(display_name="北京求职者")
    saved_search_create(owner=beijing, params={"q": "叉车", "city": "110100"},
                        frequency="instant")
    saved_search_create(owner=beijing, params={"function": "java_dev"}, frequency="instant")
    publish(FORKLIFT)

    stats = alerts.instant_alerts_match()

    assert stats["searches"] == 2  # the 北京 and Java searches were never run
    assert stats["matches"] == 2


# --- templates, command, scheduler -------------------------------------------------------

@pytest.mark.parametrize("event", ["job_alert_daily", "job_alert_instant"])
def test_alert_templates_are_installed_and_render(event: str, seeker: Any) -> None:
    templates = NotificationTemplate.objects.filter(event=event)
    assert set(templates.values_list("channel", flat=True)) == {"inbox", "email", "push"}
    for template in templates:
        template_check(template.subject, template.body, user=seeker)


def test_the_command_sends_alerts_and_has_a_dry_run(seeker: Any, publish: Any) -> None:
    saved_search_create(owner=seeker, params={"q": "叉车"}, frequency="instant")
    publish(FORKLIFT)
    out = StringIO()
    call_command("send_job_alerts", "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("send_job_alerts: 0 daily searches due, "
                                      "1 postings queued, 0 instant matches waiting")
    assert AlertQueue.objects.count() == 1

    out = StringIO()
    call_command("send_job_alerts", stdout=out)
    assert out.getvalue().strip() == (
        "send_job_alerts: instant 1 postings matched (1 matches), 1 notices sent, "
        "0 held by the rate limit; daily 0 digests sent, 0 with nothing new")
    assert len(notices(seeker, "job_alert_instant")) == 1


def test_the_scheduler_runs_the_alerts() -> None:
    job = next(job for job in SCHEDULE if job.command == "send_job_alerts")
    assert job.every_seconds <= 300
