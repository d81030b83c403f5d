"""The bias monitor (ALG-1, DB4401 7.2.8): exposure share and apply rate by group, the
four-fifths rule, kept reports, staff told, a staff page with a chart."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.core.permissions import Role
from pinqiao.notifications.models import Notification
from pinqiao.recommendations import bias, services
from pinqiao.recommendations.models import BiasReport, Exposure
from pinqiao.recommendations.testing import application
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db


def seekers(make_user: Any, gender: str, count: int, **resume: Any) -> list[Any]:
    users = [make_user(role=Role.SEEKER) for _ in range(count)]
    for user in users:
        Resume.objects.create(owner=user, gender=gender, birth_date=date(1995, 3, 1),
                              desired_city="440100", **resume)
    return users


def show(users: list[Any], postings: list[Any], each: int, surface: str = "search") -> None:
    for user in users:
        services.exposures_log(surface=surface, seeker=user,
                               postings=(postings * each)[:each])


def run(**options: Any) -> BiasReport:
    return services.bias_report_run(now=timezone.now() + timedelta(seconds=1),
                                    min_exposures=10, **options)


def gender_rows(report: BiasReport, surface: str = "search") -> dict[str, dict]:
    groups = report.data[surface]["attributes"]["gender"]["groups"]
    return {row["group"]: row for row in groups}


@pytest.fixture
def shown(postings: dict) -> list[Any]:
    return list(postings.values())


def test_it_flags_a_group_shown_less_than_four_fifths_of_the_best(
        make_user: Any, shown: list) -> None:
    show(seekers(make_user, "male", 3), shown, 10)
    show(seekers(make_user, "female", 3), shown, 4)
    report = run()
    rows = gender_rows(report)
    assert rows["男"]["exposure_ratio"] == 1.0 and rows["女"]["exposure_ratio"] == 0.4
    assert rows["女"]["exposure_share"] == round(12 / 42, 4)
    assert rows["女"]["seeker_share"] == 0.5
    assert report.flags == [{"surface": "search", "surface_label": "职位搜索",
                             "attribute": "gender", "attribute_label": "性别", "group": "女",
                             "metric": "exposure", "ratio": 0.4}]
    assert BiasReport.objects.get() == report


def test_it_does_not_flag_equal_exposure(make_user: Any, shown: list) -> None:
    show(seekers(make_user, "male", 3), shown, 6)
    show(seekers(make_user, "female", 3), shown, 6)
    report = run()
    assert report.flags == []
    assert {r["exposure_ratio"] for r in gender_rows(report).values()} == {1.0}


def test_it_flags_a_lower_apply_rate_after_exposure(make_user: Any, shown: list) -> None:
    men, women = seekers(make_user, "male", 2), seekers(make_user, "female", 2)
    show(men + women, shown, 6)
    for man in men:
        for posting in shown[:3]:
            application(man, posting)
    application(women[0], shown[0])
    report = run()
    rows = gender_rows(report)
    assert rows["男"]["apply_rate"] == 0.5 and rows["女"]["apply_rate"] == round(1 / 12, 4)
    assert [(f["group"], f["metric"]) for f in report.flags] == [("女", "apply")]


def test_applications_before_the_exposure_do_not_count(make_user: Any, shown: list) -> None:
    man = seekers(make_user, "male", 1)
    application(man[0], shown[0], created_at=timezone.now() - timedelta(days=1))
    show(man, shown, 6)
    assert gender_rows(run())["男"]["applications"] == 0


def test_small_groups_are_reported_but_not_flagged(make_user: Any, shown: list) -> None:
    show(seekers(make_user, "male", 3), shown, 10)
    show(seekers(make_user, "female", 1), shown, 1)
    report = services.bias_report_run(now=timezone.now() + timedelta(seconds=1),
                                      min_exposures=40)
    assert report.flags == [] and gender_rows(report)["女"]["exposures"] == 1


def test_seekers_without_the_data_are_their_own_unknown_group(make_user: Any,
                                                             shown: list) -> None:
    show(seekers(make_user, "male", 2), shown, 6)
    show([make_user(role=Role.SEEKER)], shown, 6)  # no résumé
    groups = run().data["search"]["attributes"]
    assert {r["group"] for r in groups["gender"]["groups"]} == {"男", "未知"}
    band = bias.age_band(date(1995, 3, 1), timezone.localdate())
    assert {r["group"] for r in groups["age_band"]["groups"]} == {band, "未知"}
    assert {r["group"] for r in groups["region"]["groups"]} == {"广东省", "未知"}


def test_a_public_resume_never_recommended_to_recruiters_is_caught(make_user: Any,
                                                                   shown: list) -> None:
    approved = {"review_status": "approved", "visibility": "public"}
    show(seekers(make_user, "male", 1, **approved), shown, 20, surface="candidate")
    seekers(make_user, "female", 1, **approved)
    report = run()
    rows = gender_rows(report, "candidate")
    assert rows["女"]["exposures"] == 0 and rows["女"]["exposure_ratio"] == 0.0
    assert ("candidate", "女", "exposure") in {(f["surface"], f["group"], f["metric"])
                                              for f in report.flags}


def test_a_flagged_report_tells_operators_and_auditors(make_user: Any, shown: list,
                                                      operator: Any, auditor: Any,
                                                      reviewer: Any) -> None:
    show(seekers(make_user, "male", 3), shown, 10)
    show(seekers(make_user, "female", 3), shown, 2)
    report = run()
    told = Notification.objects.filter(event="algorithm_bias_flagged")
    assert set(told.values_list("user__role", flat=True)) == {"operator", "auditor"}
    assert told.first().link == f"/staff/bias/{report.pk}/"
    assert "职位搜索·性别·女" in told.first().body


def test_a_clean_report_tells_nobody(make_user: Any, shown: list, operator: Any) -> None:
    show(seekers(make_user, "male", 2), shown, 6)
    run()
    assert not Notification.objects.filter(event="algorithm_bias_flagged").exists()


def test_the_command_keeps_a_report_and_purges_old_exposures(make_user: Any,
                                                            shown: list) -> None:
    show(seekers(make_user, "male", 1), shown, 3)
    Exposure.objects.filter(pk=Exposure.objects.first().pk).update(
        at=timezone.now() - timedelta(days=200))
    out = StringIO()
    call_command("bias_report", "--dry-run", stdout=out)
    assert "not saved (dry run)" in out.getvalue() and "would purge 1" in out.getvalue()
    assert not BiasReport.objects.exists() and Exposure.objects.count() == 3
    call_command("bias_report", stdout=out)
    assert BiasReport.objects.count() == 1 and Exposure.objects.count() == 2
    assert "purged 1 old exposures" in out.getvalue()


def test_age_bands_and_regions() -> None:
    today = date(2026, 6, 1)
    assert bias.age_band(date(2001, 6, 1), today) == "25–34岁"  # 25 today
    assert bias.age_band(date(2001, 6, 2), today) == "16–24岁"  # 25 tomorrow
    assert bias.age_band(date(1960, 1, 1), today) == "55岁及以上"
    assert bias.age_band(None, today) == "未知"
    assert bias.region("440106") == "广东省" and bias.region("") == "未知"


# --- the staff page ------------------------------------------------------------------------

PAGE = "/staff/bias/"


def test_it_rejects_anonymous(client: Any) -> None:
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize("role", ["seeker", "recruiter"])
def test_it_requires_staff(user_client: Any, make_user: Any, role: str) -> None:
    assert user_client(make_user(role=role)).get(PAGE).status_code == 403


def test_customer_service_may_not_see_it(staff_client: Any, customer_service: Any) -> None:
    assert staff_client(customer_service).get(PAGE).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "operator", "auditor"])
def test_staff_see_the_latest_report_with_its_chart_and_the_history(
        staff_client: Any, request: Any, make_user: Any, shown: list, role: str) -> None:
    show(seekers(make_user, "male", 3), shown, 10)
    first = run()
    show(seekers(make_user, "female", 3), shown, 2)
    latest = run()
    client = staff_client(request.getfixturevalue(role))
    page = client.get(PAGE).content.decode()
    assert f"报告 #{latest.pk}" in page and 'id="chart-search"' in page
    assert '<script id="bias-data" type="application/json">' in page
    assert "vendor/echarts.min.js" in page and "<script>" not in page
    assert "职位搜索 · 性别 · 女" in page
    assert f'href="/staff/bias/{first.pk}/"' in page
    older = client.get(f"{PAGE}{first.pk}/").content.decode()
    assert f"报告 #{first.pk}" in older and "未发现低于阈值的差异" in older


def test_an_unknown_report_is_not_found(staff_client: Any, auditor: Any) -> None:
    assert staff_client(auditor).get(f"{PAGE}999/").status_code == 404


def test_the_page_says_when_there_is_no_report(staff_client: Any, auditor: Any) -> None:
    assert "还没有报告" in staff_client(auditor).get(PAGE).content.decode()
