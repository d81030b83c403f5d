"""ORG-12: the special-permit industries table, staff-editable, seeded from the taxonomy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.orgs.models import SpecialPermitRule
from pinqiao.orgs.selectors import special_permit_rules_for_industry
from pinqiao.orgs.services import special_permit_rule_save
from pinqiao.reference import taxonomy

pytestmark = pytest.mark.django_db


def test_it_is_seeded_from_the_reference_taxonomy():
    assert SpecialPermitRule.objects.count() == len(taxonomy.special_permits())
    assert {r.slug for r in special_permit_rules_for_industry("catering")} == {"food_business"}
    assert "food_business" in {r.slug for r in special_permit_rules_for_industry("H")}


def test_it_lets_an_operator_add_and_disable_rules(operator):
    rule = special_permit_rule_save(actor=operator, rule=None, data={
        "slug": "hotel_special", "industry_label": "旅馆业", "permit_name": "特种行业许可证",
        "authority": "公安机关", "industries": "hotel", "is_active": True})
    assert special_permit_rules_for_industry("hotel") == [rule]
    special_permit_rule_save(actor=operator, rule=rule, data={
        "industry_label": "旅馆业", "permit_name": "特种行业许可证", "authority": "公安机关",
        "industries": "hotel", "is_active": False})
    assert special_permit_rules_for_industry("hotel") == []


def test_it_refuses_unknown_industry_codes(operator):
    with pytest.raises(ServiceError) as exc:
        special_permit_rule_save(actor=operator, rule=None, data={
            "slug": "x_rule", "industry_label": "x", "permit_name": "x", "authority": "x",
            "industries": "not_an_industry"})
    assert "not_an_industry" in exc.value.fields["industries"][0]


def test_it_requires_the_manage_permission(reviewer):
    with pytest.raises(NotPermitted):
        special_permit_rule_save(actor=reviewer, rule=None, data={})


def test_it_rejects_anonymous(client):
    response = client.post(reverse("orgs:permit_rule_new"), {})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_requires_operator(reviewer, staff_client):
    response = staff_client(reviewer).post(reverse("orgs:permit_rule_new"), {})
    assert response.status_code == 403


def test_it_saves_through_the_staff_page(operator, staff_client):
    url = reverse("orgs:permit_rule_edit", args=["food_business"])
    response = staff_client(operator).post(url, {
        "industry_label": "餐饮服务", "permit_name": "食品经营许可证", "authority": "市场监管",
        "industries": ["catering", "food_processing", "hotel"], "is_active": "on"})
    assert response.status_code == 302
    assert "hotel" in SpecialPermitRule.objects.get(slug="food_business").industries
