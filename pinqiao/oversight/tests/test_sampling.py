"""双随机、一公开 (Shandong notice 三(三), ANA-3): a seeded draw that repeats exactly, weighted
toward high risk when asked; inspectors dealt at random; findings; published results."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.urls import reverse

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification
from pinqiao.oversight import sampling, services
from pinqiao.oversight.models import DrawStatus, Outcome, SampledItem, SamplingDraw

pytestmark = pytest.mark.django_db


def _draw(actor: Any, **over: Any) -> SamplingDraw:
    data = {"title": "2026年第四季度网络招聘服务双随机抽查", "kind": "organisation", "size": 3,
            "weighting": "risk"}
    data.update(over)
    return services.draw_create(actor=actor, **data)


def test_the_same_seed_and_population_give_the_same_sample() -> None:
    population = [(i, 1.0 + (i % 4)) for i in range(1, 41)]
    first = sampling.draw_sample(population, 7, seed=20261207)
    assert sampling.draw_sample(list(reversed(population)), 7, seed=20261207) == first
    assert sampling.draw_sample(population, 7, seed=20261208) != first
    assert len(set(first)) == 7


def test_weighting_draws_high_risk_subjects_more_often() -> None:
    """One subject of weight 6 among nine of weight 1: drawn alone about 6/15 of the time."""
    population = [(1, 6.0)] + [(i, 1.0) for i in range(2, 11)]
    wins = Counter(sampling.draw_sample(population, 1, seed)[0] for seed in range(600))
    assert 0.3 < wins[1] / 600 < 0.5
    uniform = Counter(sampling.draw_sample([(i, 1.0) for i in range(1, 11)], 1, seed)[0]
                      for seed in range(600))
    assert uniform[1] / 600 < 0.2


def test_the_risk_weight_grows_with_risk_and_bad_credit() -> None:
    assert sampling.risk_weight(risk_score=0, credit_score=100) == 1.0
    assert sampling.risk_weight(risk_score=80, credit_score=100) == 5.0
    assert sampling.risk_weight(risk_score=80, credit_score=70) == 6.5


def test_a_draw_is_recorded_and_redrawn_exactly_with_its_seed(inspector: Any,
                                                              make_org: Any) -> None:
    orgs = [make_org(risk=risk) for risk in (0, 10, 20, 70, 85, 90, 0, 5)]
    draw = _draw(inspector, size=4)
    chosen = [item.subject_id for item in draw.items.order_by("position")]
    assert len(chosen) == 4 and set(chosen) <= {o.pk for o in orgs}
    assert draw.population_size == 8 and draw.seed >= 0
    assert services.draw_reproduce(draw) == chosen
    again = _draw(inspector, size=4, seed=draw.seed)
    assert [item.subject_id for item in again.items.order_by("position")] == chosen
    entry = AuditEntry.objects.get(verb="oversight.sample_drawn", target_id=str(draw.pk))
    assert entry.data["seed"] == str(draw.seed) and entry.data["chosen"] == chosen


def test_a_risk_floor_draws_only_high_risk_organisations(inspector: Any, make_org: Any) -> None:
    high = {make_org(risk=risk).pk for risk in (70, 80, 95)}
    for _n in range(5):
        make_org(risk=10)
    draw = _draw(inspector, size=2, min_risk_score=60)
    assert draw.population_size == 3
    assert {item.subject_id for item in draw.items.all()} <= high


def test_a_sample_larger_than_the_population_is_refused_and_nothing_written(
        inspector: Any, make_org: Any) -> None:
    make_org(risk=70)
    make_org(risk=10)
    with pytest.raises(ServiceError) as refused:
        _draw(inspector, size=3)
    assert refused.value.code == "sample_larger_than_population"
    assert "大于符合条件的对象数量（2）" in refused.value.message
    assert not SamplingDraw.objects.exists()
    assert not AuditEntry.objects.filter(verb="oversight.sample_drawn").exists()


def test_only_regulators_draw(reviewer: Any, make_org: Any) -> None:
    from pinqiao.jobs.tests.fixtures import otp_verified

    make_org()
    with pytest.raises(NotPermitted):
        _draw(otp_verified(reviewer), size=1)


def test_inspectors_are_dealt_at_random_reproducibly_and_notified(
        inspector: Any, inspector2: Any, make_org: Any) -> None:
    for risk in (10, 20, 30, 40, 50, 60):
        make_org(risk=risk)
    draw = _draw(inspector, size=5)
    services.inspectors_assign(actor=inspector, draw=draw,
                               inspector_ids=[inspector.pk, inspector2.pk])
    dealt = dict(draw.items.values_list("id", "inspector_id"))
    assert Counter(dealt.values()) in (Counter({inspector.pk: 3, inspector2.pk: 2}),
                                       Counter({inspector.pk: 2, inspector2.pk: 3}))
    assert sampling.deal_inspectors(list(dealt), [inspector2.pk, inspector.pk],
                                    draw.seed) == dealt
    assert Notification.objects.filter(user=inspector2,
                                       event="oversight_inspection_assigned").exists()


def test_an_unknown_inspector_is_refused(inspector: Any, seeker: Any, make_org: Any) -> None:
    make_org()
    draw = _draw(inspector, size=1)
    with pytest.raises(ServiceError) as refused:
        services.inspectors_assign(actor=inspector, draw=draw, inspector_ids=[seeker.pk])
    assert refused.value.code == "unknown_inspector"
    assert not draw.items.filter(inspector__isnull=False).exists()


def test_findings_by_the_assigned_inspector_then_publication(
        inspector: Any, inspector2: Any, make_org: Any) -> None:
    make_org("雨林人力资源有限公司", risk=90)
    draw = _draw(inspector, size=1)
    item = draw.items.get()
    with pytest.raises(ServiceError) as refused:
        services.finding_record(actor=inspector, item=item, outcome="compliant", finding="x")
    assert refused.value.code == "inspector_missing"
    services.inspectors_assign(actor=inspector, draw=draw, inspector_ids=[inspector2.pk])
    with pytest.raises(NotPermitted):
        services.finding_record(actor=inspector, item=item, outcome="compliant", finding="x")
    with pytest.raises(ServiceError) as refused:
        services.draw_publish(actor=inspector, draw=draw)
    assert refused.value.code == "findings_missing"
    with pytest.raises(ServiceError) as refused:
        services.finding_record(actor=inspector2, item=item, outcome="compliant", finding="  ")
    assert refused.value.code == "finding_required"
    services.finding_record(actor=inspector2, item=item, outcome=Outcome.RECTIFY,
                            finding="未公示人力资源服务许可证，已责令三日内整改，联系人13812345678")
    draw = services.draw_publish(actor=inspector, draw=draw)
    assert draw.status == DrawStatus.PUBLISHED and draw.published_at is not None
    with pytest.raises(ServiceError) as refused:
        services.finding_record(actor=inspector2, item=SampledItem.objects.get(pk=item.pk),
                                outcome="compliant", finding="再次修改")
    assert refused.value.code == "draw_published"


def test_the_public_page_shows_names_and_outcomes_only(client: Any, inspector: Any,
                                                       make_org: Any) -> None:
    make_org("雨林人力资源有限公司", risk=90)
    draw = _draw(inspector, size=1)
    services.inspectors_assign(actor=inspector, draw=draw, inspector_ids=[inspector.pk])
    services.finding_record(actor=inspector, item=draw.items.get(), outcome=Outcome.RECTIFY,
                            finding="经办人王某未出示许可证，电话13812345678")
    before = client.get(reverse("oversight:inspections")).content.decode()
    assert "雨林人力资源有限公司" not in before
    services.draw_publish(actor=inspector, draw=draw)
    html = client.get(reverse("oversight:inspections")).content.decode()
    assert "雨林人力资源有限公司" in html and "发现问题，责令整改" in html
    assert str(draw.seed) in html
    assert "13812345678" not in html and "王某" not in html and inspector.email not in html
    body = client.get("/api/v1/oversight/inspections").json()
    assert body[0]["items"][0] == {"position": 1, "organisation_name": "雨林人力资源有限公司",
                                   "posting_title": "", "outcome": "rectify",
                                   "outcome_label": "发现问题，责令整改"}


def test_the_draw_title_is_screened(inspector: Any, make_org: Any) -> None:
    make_org()
    with pytest.raises(ServiceError) as refused:
        _draw(inspector, size=1, title="抽查结果请加微信abc12345咨询")
    assert refused.value.code == "content_refused"
    assert not SamplingDraw.objects.exists()


def test_the_pages_draw_assign_record_and_publish(staff_client: Any, regulator: Any,
                                                  make_org: Any) -> None:
    for risk in (90, 80, 10):
        make_org(risk=risk)
    client = staff_client(regulator)
    refused = client.post(reverse("oversight:samples"), {
        "title": "第四季度抽查", "kind": "organisation", "size": 9, "weighting": "risk",
        "min_risk_score": 0})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "大于符合条件的对象数量" in html and 'value="第四季度抽查"' in html
    response = client.post(reverse("oversight:samples"), {
        "title": "第四季度抽查", "kind": "organisation", "size": 2, "weighting": "risk",
        "min_risk_score": 50})
    draw = SamplingDraw.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{draw.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "结果一致" in page and str(draw.seed) in page
    client.post(reverse("oversight:sample_inspectors", args=[draw.pk]),
                {"inspectors": [regulator.pk]})
    for item in draw.items.all():
        client.post(reverse("oversight:sample_finding", args=[draw.pk, item.pk]),
                    {f"item{item.pk}-outcome": "compliant",
                     f"item{item.pk}-finding": "许可证照齐全，公示信息完整"})
    assert client.post(reverse("oversight:sample_publish", args=[draw.pk])).status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED


def test_the_api_draws_and_refuses_with_codes(staff_client: Any, regulator: Any,
                                              make_org: Any) -> None:
    make_org(risk=90)
    client = staff_client(regulator)
    too_many = client.post("/api/v1/oversight/samples", {
        "title": "抽查", "kind": "organisation", "size": 5}, content_type="application/json")
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "sample_larger_than_population"
    created = client.post("/api/v1/oversight/samples", {
        "title": "抽查", "kind": "organisation", "size": 1, "seed": 42},
        content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["seed"] == 42 and body["reproduced"] is True


def test_anonymous_and_seekers_cannot_reach_the_sampling(client: Any, seeker: Any) -> None:
    assert client.get(reverse("oversight:samples")).status_code == 302
    assert client.post("/api/v1/oversight/samples", {}, content_type="application/json"
                       ).status_code == 401
    client.force_login(seeker)
    assert client.get(reverse("oversight:samples")).status_code == 403
