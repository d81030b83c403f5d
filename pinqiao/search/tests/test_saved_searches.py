"""Saved searches (SRCH-3): saving from the job search page, 「我的订阅」 (rename, frequency,
pause, delete), the API, the per-seeker cap, duplicates, privacy between seekers, and the
unsubscribe link."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.search import saved_searches
from pinqiao.search.models import SavedSearch

pytestmark = pytest.mark.django_db

API = "/api/v1/saved-searches"
JAVA_GZ = {"q": "Java", "city": "440100"}


@pytest.fixture
def seeker_client(seeker: Any) -> Client:
    client = Client()
    client.force_login(seeker)
    return client


@pytest.fixture
def other_seeker(make_user: Any) -> Any:
    return make_user(role=Role.SEEKER, display_name="求职者小王")


def save(owner: Any, params: dict[str, str] | None = None, **kwargs: Any) -> SavedSearch:
    return saved_searches.saved_search_create(
        owner=owner, params=JAVA_GZ if params is None else params, **kwargs)


# --- the job search page -----------------------------------------------------------------

def test_it_saves_the_current_search_from_the_job_search_page(seeker_client: Client,
                                                               seeker: Any) -> None:
    page = seeker_client.get(reverse("jobs:list"), {"q": "Java", "city": "440100",
                                                    "sort": "time"}).content.decode()
    assert "保存搜索 / 订阅职位提醒" in page
    assert '<input type="hidden" name="q" value="Java">' in page
    assert '<input type="hidden" name="city" value="440100">' in page
    assert 'name="sort"' not in page.split('id="save-search"')[1].split("</form>")[0]

    response = seeker_client.post(reverse("search:saved_create"), {
        "q": "Java", "city": "440100", "frequency": "instant",
        "next": "/jobs/?q=Java&city=440100&sort=time"})

    assert response.status_code == 302
    assert response.url == "/jobs/?q=Java&city=440100&sort=time"
    saved = SavedSearch.objects.get(owner=seeker)
    assert saved.params == {"q": "Java", "city": "440100"}
    assert saved.name == "Java·广州市"
    assert saved.frequency == "instant"
    assert saved.location_code == "440100"
    assert AuditEntry.objects.filter(verb="search.saved_search_created",
                                     target_id=str(saved.pk)).exists()
    again = seeker_client.get(response.url).content.decode()
    assert "已订阅" in again and "保存搜索 / 订阅职位提醒" not in again


def test_it_refuses_a_duplicate_from_the_page_with_a_message(seeker_client: Client,
                                                            seeker: Any) -> None:
    save(seeker)
    response = seeker_client.post(reverse("search:saved_create"),
                                  {"q": "java", "city": "440100"}, follow=True)
    assert "您已经订阅过这个搜索" in response.content.decode()
    assert SavedSearch.objects.filter(owner=seeker).count() == 1


def test_it_treats_reordered_words_and_full_width_letters_as_one_search(seeker: Any) -> None:
    save(seeker, {"q": "Java 广州 运维"})
    with pytest.raises(saved_searches.ServiceError) as caught:
        save(seeker, {"q": "  运维 广州  Ｊａｖａ"})
    assert caught.value.code == "duplicate_saved_search"
    assert caught.value.status == 409


def test_it_refuses_a_search_with_neither_words_nor_filters(seeker: Any) -> None:
    for params in ({}, {"q": "的 了"}, {"sort": "time", "posted_within": "3"}):
        with pytest.raises(saved_searches.ServiceError) as caught:
            save(seeker, params)
        assert caught.value.code == "empty_search"
    assert not SavedSearch.objects.exists()


def test_it_keeps_what_postings_must_match_but_not_order_or_window(seeker: Any) -> None:
    saved = save(seeker, {"q": "叉车司机", "pay": "5000-8000", "sort": "time",
                          "posted_within": "3", "page": "4", "education": "high_school"})
    assert saved.params == {"q": "叉车司机", "pay": "5000-8000", "education": "high_school"}
    assert saved.name == "叉车司机·月薪5千-8千·高中/中专/中技"


def test_it_shows_a_login_link_to_visitors_and_nothing_to_recruiters(
        client: Client, recruiter: Any) -> None:
    page = client.get(reverse("jobs:list"), {"q": "Java"}).content.decode()
    assert "登录后可保存搜索" in page
    assert "/login/?next=/jobs/%3Fq%3DJava" in page
    client.force_login(recruiter)
    page = client.get(reverse("jobs:list"), {"q": "Java"}).content.decode()
    assert "保存搜索" not in page and "登录后可保存搜索" not in page


def test_it_asks_for_words_or_filters_before_offering_to_save(seeker_client: Client) -> None:
    for params in ({}, {"q": "的", "posted_within": "3", "sort": "time"}):
        page = seeker_client.get(reverse("jobs:list"), params).content.decode()
        assert "输入关键词或选择筛选条件后" in page
        assert "保存搜索 / 订阅职位提醒" not in page


def test_it_caps_saved_searches_per_seeker(seeker_client: Client, seeker: Any) -> None:
    for n in range(saved_searches.MAX_PER_SEEKER):
        save(seeker, {"q": f"职位{n}"})
    response = seeker_client.post(reverse("search:saved_create"), {"q": "再来一个"}, follow=True)
    assert "最多只能保存20个订阅" in response.content.decode()
    response = seeker_client.post(API, {"params": {"q": "再来一个"}},
                                  content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "saved_search_limit"
    assert SavedSearch.objects.filter(owner=seeker).count() == saved_searches.MAX_PER_SEEKER


def test_the_cap_is_per_seeker(seeker: Any, other_seeker: Any) -> None:
    for n in range(saved_searches.MAX_PER_SEEKER):
        save(seeker, {"q": f"职位{n}"})
    assert save(other_seeker, {"q": "职位1"}).owner == other_seeker


# --- 「我的订阅」 ------------------------------------------------------------------------------

def test_it_lists_renames_changes_frequency_pauses_and_deletes(seeker_client: Client,
                                                               seeker: Any) -> None:
    saved = save(seeker)
    page = seeker_client.get(reverse("search:saved_list")).content.decode()
    assert "Java·广州市" in page and "每日汇总" in page and "已保存 1 个搜索" in page

    response = seeker_client.post(reverse("search:saved_update", args=[saved.pk]),
                                  {"name": "  广州 Java 岗位 "}, follow=True)
    assert "已重命名为「广州 Java 岗位」" in response.content.decode()
    saved.refresh_from_db()
    assert saved.name == "广州 Java 岗位"

    seeker_client.post(reverse("search:saved_update", args=[saved.pk]), {"frequency": "instant"})
    saved.refresh_from_db()
    assert saved.frequency == "instant"

    response = seeker_client.post(reverse("search:saved_update", args=[saved.pk]),
                                  {"frequency": "off"}, follow=True)
    saved.refresh_from_db()
    assert saved.frequency == "off"
    assert "恢复每日提醒" in response.content.decode()

    response = seeker_client.post(reverse("search:saved_delete", args=[saved.pk]), follow=True)
    assert "已删除订阅「广州 Java 岗位」" in response.content.decode()
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert AuditEntry.objects.filter(verb="search.saved_search_deleted").exists()


def test_it_rejects_a_bad_name_or_frequency_without_changing_anything(
        seeker_client: Client, seeker: Any) -> None:
    saved = save(seeker)
    url = reverse("search:saved_update", args=[saved.pk])
    assert "请填写名称" in seeker_client.post(url, {"name": "   "}, follow=True).content.decode()
    assert "名称最多40个字" in seeker_client.post(url, {"name": "岗" * 41},
                                                  follow=True).content.decode()
    assert "提醒频率只能是" in seeker_client.post(url, {"frequency": "hourly"},
                                                follow=True).content.decode()
    saved.refresh_from_db()
    assert (saved.name, saved.frequency) == ("Java·广州市", "daily")


def test_a_new_frequency_starts_from_now(seeker: Any) -> None:
    saved = save(seeker)
    before = saved.alerted_until
    saved = saved_searches.saved_search_update(owner=seeker, saved_search_id=saved.pk,
                                               frequency="instant")
    assert saved.alerted_until > before
    renamed = saved_searches.saved_search_update(owner=seeker, saved_search_id=saved.pk,
                                                 name="新名字")
    assert renamed.alerted_until == saved.alerted_until


def test_the_results_link_opens_the_search_newest_first(seeker_client: Client,
                                                        seeker: Any) -> None:
    saved = save(seeker)
    response = seeker_client.get(reverse("search:saved_results", args=[saved.pk]))
    assert response.status_code == 302
    assert response.url == "/jobs/?q=Java&city=440100&sort=time"


def test_a_seeker_cannot_see_or_change_another_seekers_saved_search(
        seeker_client: Client, other_seeker: Any) -> None:
    theirs = save(other_seeker)
    for response in (
            seeker_client.post(reverse("search:saved_update", args=[theirs.pk]),
                               {"name": "偷看"}),
            seeker_client.post(reverse("search:saved_delete", args=[theirs.pk])),
            seeker_client.get(reverse("search:saved_results", args=[theirs.pk])),
            seeker_client.get(f"{API}/{theirs.pk}"),
            seeker_client.patch(f"{API}/{theirs.pk}", {"name": "偷看"},
                                content_type="application/json"),
            seeker_client.delete(f"{API}/{theirs.pk}")):
        assert response.status_code == 404
    assert "Java·广州市" not in seeker_client.get(reverse("search:saved_list")).content.decode()
    assert seeker_client.get(API).json() == []
    theirs.refresh_from_db()
    assert theirs.name == "Java·广州市"


def test_it_rejects_anonymous(client: Client, seeker: Any) -> None:
    saved = save(seeker)
    for url in (reverse("search:saved_list"), reverse("search:saved_results", args=[saved.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
    response = client.post(reverse("search:saved_create"), JAVA_GZ)
    assert response.status_code == 302 and "/login/" in response.url
    response = client.post(reverse("search:saved_delete", args=[saved.pk]))
    assert response.status_code == 302 and SavedSearch.objects.filter(pk=saved.pk).exists()
    for response in (client.get(API), client.post(API, {"params": JAVA_GZ},
                                                  content_type="application/json")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_it_requires_a_seeker(client: Client, recruiter: Any) -> None:
    client.force_login(recruiter)
    assert client.get(reverse("search:saved_list")).status_code == 403
    assert client.post(reverse("search:saved_create"), JAVA_GZ).status_code == 403
    response = client.post(API, {"params": JAVA_GZ}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not SavedSearch.objects.exists()


# --- the API -----------------------------------------------------------------------------

def test_the_api_creates_lists_reads_updates_and_deletes(seeker_client: Client) -> None:
    response = seeker_client.post(API, {"params": {"q": "叉车", "pay_min": 6000},
                                        "frequency": "instant"},
                                  content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["params"] == {"q": "叉车", "pay_min": "6000"}
    assert created["conditions"] == ["叉车", "月薪6000元以上"]
    assert created["frequency"] == "instant"
    assert created["results_url"] == f"/me/saved-searches/{created['id']}/results/"

    assert [item["id"] for item in seeker_client.get(API).json()] == [created["id"]]
    assert seeker_client.get(f"{API}/{created['id']}").json()["name"] == "叉车·月薪6000元以上"

    response = seeker_client.patch(f"{API}/{created['id']}",
                                   {"name": "叉车夜班", "frequency": "off"},
                                   content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["frequency"]) == ("叉车夜班", "off")

    assert seeker_client.delete(f"{API}/{created['id']}").status_code == 204
    assert seeker_client.get(f"{API}/{created['id']}").status_code == 404


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"params": {"city": "999999"}}, 400, "invalid_filter"),
    ({"params": {"q": "Java"}, "frequency": "hourly"}, 400, "invalid_frequency"),
    ({"params": {"q": "Java"}, "name": "岗" * 41}, 400, "invalid_name"),
    ({"params": {}}, 400, "empty_search"),
    ({"params": "q=Java"}, 422, "invalid_input"),
])
def test_the_api_refuses_bad_input_with_a_code(seeker_client: Client, payload: dict,
                                               status: int, code: str) -> None:
    response = seeker_client.post(API, payload, content_type="application/json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not SavedSearch.objects.exists()


def test_the_api_refuses_a_duplicate_with_409(seeker_client: Client) -> None:
    assert seeker_client.post(API, {"params": JAVA_GZ},
                              content_type="application/json").status_code == 201
    response = seeker_client.post(API, {"params": {"city": "440100", "q": "JAVA"}},
                                  content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_saved_search"


def test_the_api_refuses_an_empty_name_on_rename(seeker_client: Client, seeker: Any) -> None:
    saved = save(seeker)
    response = seeker_client.patch(f"{API}/{saved.pk}", {"name": ""},
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_name"


# --- unsubscribe -------------------------------------------------------------------------

def test_the_unsubscribe_link_asks_then_pauses_without_logging_in(client: Client,
                                                                  seeker: Any) -> None:
    saved = save(seeker, frequency="instant")
    url = reverse("search:unsubscribe", args=[saved_searches.unsubscribe_token(saved)])
    page = client.get(url).content.decode()
    assert "确定不再接收「Java·广州市」的新职位提醒吗" in page
    saved.refresh_from_db()
    assert saved.frequency == "instant"  # following the link changes nothing

    page = client.post(url).content.decode()
    assert "已退订「Java·广州市」的职位提醒" in page
    saved.refresh_from_db()
    assert saved.frequency == "off"
    assert AuditEntry.objects.filter(verb="search.saved_search_unsubscribed").exists()


def test_a_forged_or_stale_unsubscribe_link_is_not_found(client: Client, seeker: Any) -> None:
    saved = save(seeker)
    token = saved_searches.unsubscribe_token(saved)
    forged = token.replace(f"{saved.pk}.", f"{saved.pk + 1}.")
    assert client.get(reverse("search:unsubscribe", args=[forged])).status_code == 404
    saved.delete()
    response = client.post(reverse("search:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert "已经删除" in response.content.decode()
