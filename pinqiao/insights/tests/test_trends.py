"""Hiring trends (ANA-4) count applications and hires per month from the daily rollups: each
month recomputed here from the raw rows equals what the snapshot shows, and a month of fewer
than the minimum people is suppressed on the page and in the API."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.analytics import rollup
from pinqiao.analytics.suppression import suppress
from pinqiao.analytics.tests.conftest import (  # noqa: F401 - fixtures
    GUANGZHOU,
    _media,
    employer,
    org_reviewer,
    world,
)
from pinqiao.applications.models import Application, ApplicationEvent
from pinqiao.applications.testing import applied
from pinqiao.core.permissions import Role
from pinqiao.insights import selectors, services
from pinqiao.insights.models import TrendPoint

pytestmark = pytest.mark.django_db


def _raw(model_rows: Any, moment: str) -> Counter:
    """``{(month, city or ""): n}`` counted one raw row at a time."""
    counts: Counter = Counter()
    for row in model_rows:
        month = timezone.localtime(getattr(row, moment)).date().replace(day=1)
        app = row if isinstance(row, Application) else row.application
        counts[(month, "")] += 1
        counts[(month, rollup.city_code(app.posting.division_code))] += 1
    return counts


@pytest.fixture
def applied_and_hired(world: dict[str, Any], make_user: Any) -> None:  # noqa: F811
    """Four more seekers apply to 广州 postings (seven applications in all); two are hired."""
    for n in range(4):
        applied(make_user(role=Role.SEEKER), world["guangzhou"][n % 3])
    for app in Application.objects.order_by("pk")[:2]:
        ApplicationEvent.objects.create(application=app, from_stage="offer", to_stage="hired")
    today = timezone.localdate()
    for day in (today - timedelta(days=1), today):
        rollup.rollup_day(day)


def test_applications_and_hires_per_month_equal_the_raw_rows(applied_and_hired: None) -> None:
    services.insights_refresh()
    applications = _raw(Application.objects.select_related("posting"), "created_at")
    hires = _raw(ApplicationEvent.objects.filter(to_stage="hired")
                 .select_related("application__posting"), "created_at")
    points = list(TrendPoint.objects.all())
    assert {p.city for p in points} >= {"", GUANGZHOU}
    for point in points:
        assert point.applications == suppress(applications[(point.month, point.city)]), point
        assert point.hires == suppress(hires[(point.month, point.city)]), point
    assert sum(applications[(p.month, "")] for p in points if p.city == "") == 7
    shown = [p.applications for p in points if p.applications is not None]
    assert shown, "seven applications in one month or two: at least one month is shown"
    assert {p.hires for p in points} <= {None, 0} and any(p.hires is None for p in points), \
        "two hires: 「<5」 where they were, zero (nobody) elsewhere"


def test_the_page_and_the_api_show_suppressed_months(applied_and_hired: None,
                                                      client: Any) -> None:
    services.insights_refresh()
    trends = selectors.hiring_trends()
    assert None in trends.hires and len(trends.applications) == len(trends.months)
    html = client.get(reverse("insights:trends")).content.decode()
    assert "投递人次" in html and "<td>&lt;5</td>" in html
    data = client.get("/api/v1/insights/trends").json()
    assert data["hires"] == trends.hires and None in data["hires"]
    assert data["applications"] == trends.applications
    assert User.objects.filter(role=Role.SEEKER).count() >= 5
