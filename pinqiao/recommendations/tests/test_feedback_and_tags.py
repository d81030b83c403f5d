"""「不感兴趣」 / 「更多类似」 change the next results (REC-3); interest tags are visible,
deletable and stay deleted (REC-2, ALG Art. 17)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.recommendations import services
from pinqiao.recommendations.models import DeletedTag, Feedback
from pinqiao.recommendations.selectors import interest_tags, recommendations_for_seeker
from pinqiao.recommendations.testing import application

pytestmark = pytest.mark.django_db


def titles(seeker: Any) -> list[str]:
    return [item.posting.title for item in recommendations_for_seeker(seeker=seeker).items]


def tag_keys(seeker: Any) -> set[str]:
    return {tag.key for tag in interest_tags(seeker=seeker).tags}


@pytest.fixture
def personalised(seeker: Any) -> Any:
    services.personalisation_set(seeker=seeker, enabled=True)
    return seeker


@pytest.fixture
def second_employer(make_user: Any, org_reviewer: Any) -> tuple[Any, Any]:
    owner = make_user(role="recruiter", display_name="电子厂招聘")
    org = org_testing.approve(org_reviewer, org_testing.register(owner, "示范电子", person=3))
    return owner, org


def test_not_interested_removes_the_posting_and_lowers_its_organisation_and_function(
        personalised: Any, postings: dict, second_employer: tuple,
        search_index: Any) -> None:
    owner, org = second_employer
    published_posting(owner, org, title="成品仓库保管员", division_code="440305",
                      job_function="warehouse_keeper", industry="electronics",
                      requirements="会使用扫码枪和ERP系统。",
                      work_content="管理成品仓的电子元件收发。")
    search_index()
    application(personalised, postings["仓库管理员"])
    before = titles(personalised)
    assert before[0] == "仓储主管"

    services.feedback_record(seeker=personalised, posting_id=postings["仓储主管"].pk,
                             kind="not_interested")
    after = titles(personalised)
    assert "仓储主管" not in after
    assert after[0] == "成品仓库保管员"  # another organisation now leads
    page = recommendations_for_seeker(seeker=personalised)
    java = next(i for i in page.items if i.posting.title == "Java开发工程师")
    assert "城市匹配：广州" in java.reasons  # still shown, only lower


def test_more_like_this_lifts_similar_postings_and_says_so(personalised: Any,
                                                           postings: dict) -> None:
    application(personalised, postings["在线客服专员"])
    before = titles(personalised)
    services.feedback_record(seeker=personalised, posting_id=postings["Java后端开发"].pk,
                             kind="more_like_this")
    after = titles(personalised)
    assert after != before
    assert after[:2] == ["Java后端开发", "Java开发工程师"]
    page = recommendations_for_seeker(seeker=personalised)
    assert "与您标记「更多类似」的职位相似" in page.items[1].reasons
    assert "function:java_dev" in tag_keys(personalised)


def test_a_new_opinion_replaces_the_old_and_can_be_undone(personalised: Any,
                                                          postings: dict) -> None:
    posting = postings["叉车司机"]
    services.feedback_record(seeker=personalised, posting_id=posting.pk, kind="more_like_this")
    feedback = services.feedback_record(seeker=personalised, posting_id=posting.pk,
                                        kind="not_interested")
    assert Feedback.objects.filter(seeker=personalised).count() == 1
    assert "叉车司机" not in titles(personalised)
    services.feedback_remove(seeker=personalised, feedback_id=feedback.pk)
    assert "叉车司机" in titles(personalised)
    assert AuditEntry.objects.filter(verb="recommendations.feedback").count() == 2
    assert AuditEntry.objects.filter(verb="recommendations.feedback_removed").count() == 1


def test_feedback_needs_a_known_kind_and_a_public_posting(personalised: Any,
                                                          postings: dict) -> None:
    with pytest.raises(ServiceError) as caught:
        services.feedback_record(seeker=personalised, posting_id=postings["叉车司机"].pk,
                                 kind="love")
    assert "kind" in caught.value.fields
    Posting.objects.filter(pk=postings["叉车司机"].pk).update(status=PostingStatus.CLOSED)
    with pytest.raises(NotFound):
        services.feedback_record(seeker=personalised, posting_id=postings["叉车司机"].pk,
                                 kind="not_interested")


def test_another_seekers_feedback_cannot_be_undone(personalised: Any, other_seeker: Any,
                                                   postings: dict) -> None:
    feedback = services.feedback_record(seeker=personalised,
                                        posting_id=postings["叉车司机"].pk,
                                        kind="not_interested")
    with pytest.raises(NotFound):
        services.feedback_remove(seeker=other_seeker, feedback_id=feedback.pk)
    assert Feedback.objects.filter(pk=feedback.pk).exists()


def test_tags_come_from_applications_and_feedback_with_their_sources(
        personalised: Any, postings: dict) -> None:
    application(personalised, postings["叉车司机"])
    services.feedback_record(seeker=personalised, posting_id=postings["Java后端开发"].pk,
                             kind="more_like_this")
    tags = {tag.key: tag for tag in interest_tags(seeker=personalised).tags}
    assert tags["city:440300"].label == "深圳市"
    assert tags["city:440300"].sources == {"application", "feedback"}
    assert tags["function:forklift_driver"].source_labels == ["投递记录"]
    assert tags["keyword:Java后端开发"].source_labels == ["您的反馈"]


def test_a_deleted_tag_is_no_longer_used_and_stays_deleted(personalised: Any,
                                                           postings: dict) -> None:
    application(personalised, postings["叉车司机"])
    assert "Java后端开发" in titles(personalised)  # same city
    services.tag_delete(seeker=personalised, kind="city", value="440300")
    assert "city:440300" not in tag_keys(personalised)
    assert "Java后端开发" not in titles(personalised)

    application(personalised, postings["Java后端开发"])  # implies 深圳 again
    assert "city:440300" not in tag_keys(personalised)
    assert [t.key for t in interest_tags(seeker=personalised).deleted] == ["city:440300"]

    services.tag_restore(seeker=personalised, kind="city", value="440300")
    assert "city:440300" in tag_keys(personalised)
    assert not DeletedTag.objects.exists()


def test_tag_changes_are_audited_without_the_value(personalised: Any) -> None:
    services.tag_delete(seeker=personalised, kind="skill", value="Java")
    services.tag_delete(seeker=personalised, kind="skill", value="Java")
    entries = AuditEntry.objects.filter(verb="recommendations.tag_deleted")
    assert entries.count() == 1 and entries.get().data == {"kind": "skill"}
    with pytest.raises(ServiceError):
        services.tag_delete(seeker=personalised, kind="gender", value="女")
    with pytest.raises(ServiceError):
        services.tag_delete(seeker=personalised, kind="skill", value="x" * 101)


# --- pages and API ------------------------------------------------------------------------

def test_the_feedback_buttons_change_the_next_page(user_client: Any, personalised: Any,
                                                   postings: dict) -> None:
    application(personalised, postings["仓库管理员"])
    client = user_client(personalised)
    page = client.get("/me/recommendations/").content.decode()
    assert 'aria-label="不感兴趣：仓储主管"' in page
    response = client.post("/me/recommendations/feedback/", {
        "posting_id": postings["仓储主管"].pk, "kind": "not_interested",
        "next": "/me/recommendations/?page=1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/me/recommendations/?page=1"
    page = response.content.decode()
    assert "已减少此类推荐" in page
    assert "仓储主管" not in page.split('id="recommendations"')[1]


def test_feedback_from_the_page_redirects_only_within_recommendations(
        user_client: Any, personalised: Any, postings: dict) -> None:
    response = user_client(personalised).post("/me/recommendations/feedback/", {
        "posting_id": postings["叉车司机"].pk, "kind": "more_like_this",
        "next": "https://evil.example/"})
    assert response["Location"] == "/me/recommendations/"


def test_the_tags_page_lists_and_deletes_tags(user_client: Any, personalised: Any,
                                              postings: dict) -> None:
    application(personalised, postings["叉车司机"])
    client = user_client(personalised)
    page = client.get("/me/recommendations/tags/").content.decode()
    assert "深圳市" in page and "叉车司机" in page and 'aria-label="删除标签 深圳市"' in page
    response = client.post("/me/recommendations/tags/delete/",
                           {"kind": "city", "value": "440300"}, follow=True)
    page = response.content.decode()
    assert "标签已删除" in page
    assert "深圳市" in page.split('id="deleted-tags"')[1]
    assert "深圳市" not in page.split('id="live-tags"')[1].split("</ul>")[0]


def test_the_tags_page_requires_a_seeker(client: Any, user_client: Any,
                                         recruiter: Any) -> None:
    assert client.get("/me/recommendations/tags/").status_code == 302
    assert user_client(recruiter).get("/me/recommendations/tags/").status_code == 403
    assert user_client(recruiter).post("/me/recommendations/tags/delete/",
                                       {"kind": "city", "value": "440300"}).status_code == 403


def test_the_api_feedback_and_tags(user_client: Any, personalised: Any, other_seeker: Any,
                                   postings: dict) -> None:
    client = user_client(personalised)
    posting = postings["叉车司机"]
    bad = client.post("/api/v1/me/recommendations/feedback",
                      json.dumps({"posting_id": posting.pk, "kind": "meh"}),
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["kind"]
    created = client.post("/api/v1/me/recommendations/feedback",
                          json.dumps({"posting_id": posting.pk, "kind": "more_like_this"}),
                          content_type="application/json")
    assert created.status_code == 201
    body = client.get("/api/v1/me/interest-tags").json()
    assert {"kind": "city", "value": "440300", "label": "深圳市", "sources": ["feedback"]} \
        in body["tags"]
    assert body["feedback"][0]["kind"] == "more_like_this"

    deleted = client.post("/api/v1/me/interest-tags/delete",
                          json.dumps({"kind": "city", "value": "440300"}),
                          content_type="application/json")
    assert deleted.status_code == 204
    assert client.get("/api/v1/me/interest-tags").json()["deleted"][0]["value"] == "440300"

    other = user_client(other_seeker).delete(
        f"/api/v1/me/recommendations/feedback/{created.json()['id']}")
    assert other.status_code == 404
    assert client.delete(
        f"/api/v1/me/recommendations/feedback/{created.json()['id']}").status_code == 204
