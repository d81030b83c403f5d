"""Job recommendations (REC-1) and the personalisation switch (REC-2, PRIV-3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.errors import NotPermitted
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.privacy.models import Consent, ConsentPurpose
from pinqiao.recommendations import services
from pinqiao.recommendations.models import Exposure
from pinqiao.recommendations.selectors import recommendations_for_seeker
from pinqiao.recommendations.testing import application

pytestmark = pytest.mark.django_db


def titles(page: Any) -> list[str]:
    return [item.posting.title for item in page.items]


def test_it_is_not_personalised_without_consent(seeker: Any, postings: dict) -> None:
    application(seeker, postings["仓库管理员"])
    page = recommendations_for_seeker(seeker=seeker)
    assert page.personalised is False
    assert all(item.reasons[0] == "非个性化推荐" for item in page.items)
    assert set(titles(page)) == set(postings)


def test_the_non_personalised_list_is_the_same_for_every_seeker(
        seeker: Any, other_seeker: Any, postings: dict) -> None:
    application(seeker, postings["叉车司机"])
    assert titles(recommendations_for_seeker(seeker=seeker)) == \
        titles(recommendations_for_seeker(seeker=other_seeker))


def test_the_non_personalised_list_puts_postings_with_recent_applications_first(
        seeker: Any, other_seeker: Any, make_user: Any, postings: dict) -> None:
    for user in (other_seeker, make_user()):
        application(user, postings["在线客服专员"])
    page = recommendations_for_seeker(seeker=seeker)
    assert titles(page)[0] == "在线客服专员"
    assert "近14天 2 人投递" in page.items[0].reasons


def test_the_held_list_follows_a_new_application_and_a_closed_posting_at_once(
        seeker: Any, other_seeker: Any, postings: dict) -> None:
    """RET-3: the list is the same for every seeker and held in the cache, but under the
    content version and the newest application, so neither change waits for it to expire."""
    last = titles(recommendations_for_seeker(seeker=seeker))[-1]  # newest first: the oldest
    application(other_seeker, postings[last])
    assert titles(recommendations_for_seeker(seeker=seeker))[0] == last
    closed = Posting.objects.get(pk=postings[last].pk)
    closed.status = PostingStatus.CLOSED
    closed.save()
    assert last not in titles(recommendations_for_seeker(seeker=seeker))


def test_the_non_personalised_list_can_be_narrowed_to_a_city(seeker: Any,
                                                             postings: dict) -> None:
    page = recommendations_for_seeker(seeker=seeker, city="440300")
    assert set(titles(page)) == {"Java后端开发", "叉车司机"}
    assert page.city_label == "深圳市"


def test_personalised_recommendations_follow_the_seekers_city_and_function(
        seeker: Any, postings: dict) -> None:
    services.personalisation_set(seeker=seeker, enabled=True)
    application(seeker, postings["仓库管理员"])
    page = recommendations_for_seeker(seeker=seeker)
    assert page.personalised is True
    assert titles(page)[0] == "仓储主管"
    assert "仓库管理员" not in titles(page)  # already applied to
    first = page.items[0]
    assert first.reasons[:2] == ["城市匹配：广州", "职能：仓库管理员"]
    assert "城市匹配：广州 · 职能：仓库管理员" in first.reason_text
    assert "在线客服专员" not in titles(page)  # neither city, function nor industry


def test_candidates_leave_out_expired_and_removed_postings(seeker: Any,
                                                           postings: dict) -> None:
    services.personalisation_set(seeker=seeker, enabled=True)
    application(seeker, postings["Java开发工程师"])
    Posting.objects.filter(pk=postings["Java后端开发"].pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    Posting.objects.filter(pk=postings["仓库管理员"].pk).update(status=PostingStatus.REMOVED)
    shown = titles(recommendations_for_seeker(seeker=seeker))
    assert "Java后端开发" not in shown and "仓库管理员" not in shown
    assert "仓储主管" in shown


def test_turning_personalisation_off_changes_the_next_result(seeker: Any,
                                                             postings: dict) -> None:
    application(seeker, postings["叉车司机"])
    services.personalisation_set(seeker=seeker, enabled=True)
    on = recommendations_for_seeker(seeker=seeker)
    services.personalisation_set(seeker=seeker, enabled=False)
    off = recommendations_for_seeker(seeker=seeker)
    assert on.personalised and not off.personalised
    assert titles(on) != titles(off)
    assert "叉车司机" in titles(off)  # the non-personalised list ignores the history
    consent = Consent.objects.get(user=seeker, purpose=ConsentPurpose.PERSONALISATION)
    assert consent.withdrawn_at is not None and "随时关闭" in consent.wording


def test_switching_on_twice_keeps_one_live_consent(seeker: Any) -> None:
    services.personalisation_set(seeker=seeker, enabled=True)
    services.personalisation_set(seeker=seeker, enabled=True)
    services.personalisation_set(seeker=seeker, enabled=False)
    services.personalisation_set(seeker=seeker, enabled=False)
    assert Consent.objects.filter(user=seeker, purpose=ConsentPurpose.PERSONALISATION,
                                  withdrawn_at=None).count() == 0
    assert Consent.objects.filter(user=seeker).count() == 1


def test_only_seekers_get_recommendations(recruiter: Any) -> None:
    with pytest.raises(NotPermitted):
        recommendations_for_seeker(seeker=recruiter)
    with pytest.raises(NotPermitted):
        services.personalisation_set(seeker=recruiter, enabled=True)


def test_pages_are_bounded(seeker: Any, postings: dict) -> None:
    page = recommendations_for_seeker(seeker=seeker, page=99)
    assert page.page == 5 and page.items == [] and not page.has_next


def test_exposures_are_logged_in_one_batch(seeker: Any, postings: dict,
                                           django_assert_num_queries: Any) -> None:
    shown = list(postings.values())[:3]
    with django_assert_num_queries(1):
        count = services.exposures_log(surface="recommendation", seeker=seeker,
                                       postings=shown, start_rank=21, personalised=True)
    assert count == 3
    assert list(Exposure.objects.order_by("rank").values_list("posting_id", "rank")) == \
        [(p.pk, 21 + i) for i, p in enumerate(shown)]
