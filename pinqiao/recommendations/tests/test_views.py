"""Recommendation pages and API: the switch takes effect on the next request (REC-2); only
the seeker sees their recommendations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinqiao.recommendations.models import Exposure
from pinqiao.recommendations.testing import application

pytestmark = pytest.mark.django_db

URL = "/me/recommendations/"
API = "/api/v1/me/recommendations"


def test_it_rejects_anonymous(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{URL}personalisation/", {"enabled": "on"}).status_code == 302
    assert client.get(API).status_code == 401


def test_it_requires_a_seeker(user_client: Any, recruiter: Any) -> None:
    client = user_client(recruiter)
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}personalisation/", {"enabled": "on"}).status_code == 403
    response = client.get(API)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_the_switch_turns_personalisation_off_for_the_next_page(
        user_client: Any, seeker: Any, postings: dict) -> None:
    application(seeker, postings["叉车司机"])
    client = user_client(seeker)
    page = client.get(URL).content.decode()
    assert 'aria-checked="false"' in page and "非个性化推荐" in page

    client.post(f"{URL}personalisation/", {"enabled": "on"})
    page = client.get(URL).content.decode()
    assert 'aria-checked="true"' in page and "城市匹配：深圳" in page
    assert "叉车司机" not in page.split('id="recommendations"')[1]  # applied to already

    response = client.post(f"{URL}personalisation/", {"enabled": "off"}, follow=True)
    page = response.content.decode()
    assert "已关闭个性化推荐" in page and 'aria-checked="false"' in page
    assert "城市匹配" not in page and "非个性化推荐" in page


def test_each_page_view_logs_its_exposures(user_client: Any, seeker: Any,
                                           postings: dict) -> None:
    client = user_client(seeker)
    client.get(URL)
    client.get(API)
    assert Exposure.objects.filter(seeker=seeker, surface="recommendation").count() == 12
    assert not Exposure.objects.filter(personalised=True).exists()


def test_the_api_switch_and_list(user_client: Any, seeker: Any, postings: dict) -> None:
    client = user_client(seeker)
    application(seeker, postings["Java开发工程师"])
    assert client.get(f"{API}/settings").json()["personalised"] is False
    body = client.get(API).json()
    assert body["personalised"] is False and len(body["items"]) == 6

    response = client.put(f"{API}/settings", json.dumps({"personalised": True}),
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["personalised"] is True
    body = client.get(API).json()
    assert body["personalised"] is True
    assert body["items"][0]["posting"]["title"] == "Java后端开发"
    assert "职能：Java开发" in body["items"][0]["reasons"]

    client.put(f"{API}/settings", json.dumps({"personalised": False}),
               content_type="application/json")
    assert client.get(API).json()["personalised"] is False


def test_the_api_rejects_bad_input(user_client: Any, seeker: Any) -> None:
    client = user_client(seeker)
    response = client.put(f"{API}/settings", json.dumps({"personalised": "maybe"}),
                          content_type="application/json")
    assert response.status_code == 422
    assert client.get(f"{API}?page=abc").status_code == 422
    assert client.get(f"{API}?city=999999").json()["city"] == ""


def test_the_page_links_the_algorithm_summary(user_client: Any, seeker: Any) -> None:
    page = user_client(seeker).get(URL).content.decode()
    assert 'href="/algorithms/#job-recommendation"' in page
    assert 'href="/me/recommendations/tags/"' in page  # also while personalisation is off
