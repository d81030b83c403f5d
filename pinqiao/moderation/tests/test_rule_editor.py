"""The rule editor (MOD-6): new versions from the live one, replay on the labelled sets and the
last 1,000 screenings, publish; screening uses the live version (MOD-1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.moderation import services
from pinqiao.moderation.models import RuleSet

pytestmark = pytest.mark.django_db


def test_it_makes_the_bundled_rules_live_once() -> None:
    first = services.live_rule_set()
    assert first.status == "live" and services.live_rule_set().pk == first.pk


def test_it_records_each_screening_with_its_version() -> None:
    record = services.screen_text(text="招聘仓库管理员，只招女生", context="posting")
    assert record.decision == "reject"
    assert record.rule_version == services.live_rule_set().version
    assert "只招女" in "".join(record.words)


def test_it_refuses_text_over_the_limit() -> None:
    with pytest.raises(ServiceError):
        services.screen_text(text="好" * 50_000)


def test_it_adds_words_replays_and_publishes(operator: Any) -> None:
    actor = otp_verified(operator)
    services.screen_text(text="诚聘保安，要求会打麻将")
    live = services.live_rule_set()
    data = services.add_words(live.data, category="illegal_content", words=["打麻将"])
    draft = services.rule_set_draft_create(actor=actor, data=data, note="加词", version="t-1")
    with pytest.raises(ServiceError):
        services.rule_set_publish(actor=actor, rule_set=draft)
    report = services.rule_set_replay(actor=actor, rule_set=draft)
    assert report["labelled_items"] > 0
    assert report["before"]["decision_accuracy"] > 0
    assert "after" in report and report["recent_total"] >= 1
    assert report["recent_changed_count"] >= 1
    services.rule_set_publish(actor=actor, rule_set=draft)
    assert services.live_rule_set().version == "t-1"
    assert RuleSet.objects.get(pk=live.pk).status == "retired"
    assert services.screen_text(text="诚聘保安，要求会打麻将").decision == "reject"


def test_it_refuses_a_broken_rule_set(operator: Any) -> None:
    actor = otp_verified(operator)
    data = dict(services.live_rule_set().data)
    data["rules"] = [{"id": "x", "category": "nonsense", "type": "term", "patterns": ["a"]}]
    with pytest.raises(ServiceError) as exc:
        services.rule_set_draft_create(actor=actor, data=data)
    assert "data" in exc.value.fields


def test_it_requires_manage_rules(seeker: Any, customer_service: Any) -> None:
    with pytest.raises(NotPermitted):
        services.rule_set_draft_create(actor=otp_verified(customer_service),
                                       data=services.live_rule_set().data)


def test_it_rejects_anonymous_rule_edits(client: Any) -> None:
    response = client.post(reverse("moderation:rule_new"), {"note": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not RuleSet.objects.filter(status="draft").exists()


def test_it_requires_rule_permission_on_pages(staff_client: Any, customer_service: Any) -> None:
    assert staff_client(customer_service).get(reverse("moderation:rules")).status_code == 403


def test_it_shows_the_change_in_precision_and_recall(staff_client: Any, operator: Any) -> None:
    client = staff_client(operator)
    response = client.post(reverse("moderation:rule_new"), {
        "note": "加一个诈骗词", "category": "fraud", "words": "躺赚\n秒到账", "version": "t-2"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "回放结果" in page and "精确率" in page and "召回率" in page
    rule_set = RuleSet.objects.get(version="t-2")
    response = client.post(reverse("moderation:rule_action", args=[rule_set.pk, "publish"]))
    rule_set.refresh_from_db()
    assert rule_set.status == "live"


def test_it_makes_new_bundled_rules_live_on_deploy(monkeypatch: Any, operator: Any) -> None:
    """A deploy is a release: bundled rules with new content retire the live version."""
    first = services.live_rule_set()
    data, _digest = services.bundled_rules()
    changed = services.add_words(data, category="fraud", words=["躺着赚钱"])
    monkeypatch.setattr(services.rule_sets, "bundled_rules", lambda: (changed, "f" * 64))
    live = services.live_rule_set()
    assert live.pk != first.pk and live.source_digest == "f" * 64
    assert live.version == f"{data['version']}+ffffffff"
    assert RuleSet.objects.get(pk=first.pk).status == "retired"
    assert services.screen_text(text="在家躺着赚钱").decision == "reject"


def test_it_rejects_anonymous_rule_publication(client: Any, operator: Any) -> None:
    actor = otp_verified(operator)
    draft = services.rule_set_draft_create(actor=actor, data=services.live_rule_set().data,
                                           version="t-3")
    services.rule_set_replay(actor=actor, rule_set=draft)
    response = client.post(reverse("moderation:rule_action", args=[draft.pk, "publish"]))
    assert response.status_code == 302 and "/login" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == "draft"
