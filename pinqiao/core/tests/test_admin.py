"""ACC-2, SEC-1, DISC-2: the admin follows our roles, demands the second factor, and audits."""

from decimal import Decimal

import pytest
from django.test import Client

from pinqiao.core.models import AuditEntry
from pinqiao.disclosure.models import ServiceOffering

pytestmark = pytest.mark.django_db
URL = "/admin/disclosure/serviceoffering/"


def test_an_operator_past_the_second_factor_edits_prices(staff_client, operator) -> None:  # noqa: ANN001
    client = staff_client(operator)
    assert client.get(URL).status_code == 200
    response = client.post(f"{URL}add/", {
        "name": "简历置顶", "audience": "seeker", "description": "付费置顶", "is_free": "",
        "price_yuan": "19.90", "price_unit": "次", "sort_order": "1", "is_active": "on"})
    assert response.status_code == 302
    assert ServiceOffering.objects.get(name="简历置顶").price_yuan == Decimal("19.90")
    assert AuditEntry.objects.filter(verb="admin.added", actor_id=operator.pk).exists()


def test_a_reviewer_is_refused(staff_client, reviewer) -> None:  # noqa: ANN001
    assert staff_client(reviewer).get(URL).status_code == 403


def test_an_operator_without_the_second_factor_is_sent_to_log_in(operator) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(operator)
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_rights_are_off_outside_a_request(operator) -> None:  # noqa: ANN001
    from pinqiao.accounts.models import User
    from pinqiao.core.permissions import has_perm

    assert has_perm(User.objects.get(pk=operator.pk), "manage.services") is False
