"""Interest tags from the résumé (REC-1: desired job, skills, experience) and the résumé's city
as the default of the non-personalised list (REC-2)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from pinqiao.recommendations import services
from pinqiao.recommendations.profile import experience_band, highest_education
from pinqiao.recommendations.selectors import interest_tags, recommendations_for_seeker
from pinqiao.resumes.testing import complete_resume

pytestmark = pytest.mark.django_db


def test_the_resume_gives_city_function_pay_skills_titles_education_and_experience(
        seeker: Any) -> None:
    complete_resume(seeker)
    tags = {tag.key: tag for tag in interest_tags(seeker=seeker).tags}
    assert set(tags) >= {"city:440100", "function:python_dev", "industry:software",
                         "skill:Python", "skill:Django", "keyword:Python开发工程师",
                         "pay:12000-18000-month", "education:bachelor"}
    assert tags["pay:12000-18000-month"].label == "12,000–18,000 元/月"
    assert tags["city:440100"].source_labels == ["简历"]
    assert any(key.startswith("experience:") for key in tags)
    assert not any(tag.kind in ("gender", "age") for tag in tags.values())


def test_resume_tags_drive_the_ranking_and_the_reasons(seeker: Any, postings: dict) -> None:
    complete_resume(seeker)
    services.personalisation_set(seeker=seeker, enabled=True)
    page = recommendations_for_seeker(seeker=seeker)
    first = page.items[0]
    assert first.posting.title == "Java开发工程师"
    assert first.reasons[:3] == ["城市匹配：广州", "薪资区间重叠", "相近职能：Java开发"]
    assert {"学历符合", "经验符合"} <= set(first.reasons)
    assert first.reason_text.count(" · ") == 3  # the four strongest reasons are shown


def test_without_consent_the_list_defaults_to_the_resume_city(seeker: Any,
                                                             postings: dict) -> None:
    complete_resume(seeker)
    page = recommendations_for_seeker(seeker=seeker)
    assert not page.personalised and page.city == "440100"
    assert {item.posting.division_code[:4] for item in page.items} == {"4401"}


def test_experience_bands_and_highest_education() -> None:
    today = date(2026, 6, 1)
    work = [SimpleNamespace(start_date=date(2020, 6, 1), end_date=date(2022, 6, 1)),
            SimpleNamespace(start_date=date(2023, 6, 1), end_date=None)]
    assert experience_band(work, today) == "3_5"
    assert experience_band(work[:1], today) == "1_3"
    assert experience_band([], today) == ""
    assert highest_education([SimpleNamespace(degree="college"),
                              SimpleNamespace(degree="master")]) == "master"
    assert highest_education([]) == ""
