"""ORG-3: anomalies flagged in the review queue with their evidence."""

from __future__ import annotations

import pytest

from pinqiao.orgs import testing
from pinqiao.orgs.models import Anomaly, AnomalyKind, Organisation
from pinqiao.orgs.selectors import review_queue
from pinqiao.orgs.services import organisation_refuse

pytestmark = pytest.mark.django_db


def kinds(org: Organisation) -> set[str]:
    return set(Anomaly.objects.filter(organisation=org).values_list("kind", flat=True))


def test_it_flags_nothing_for_a_clean_application(recruiter):
    org = testing.register(recruiter, "聘桥示范科技")
    assert kinds(org) == set()
    assert org.risk_score == 0


def test_it_flags_a_credit_code_used_by_another_account(recruiter, recruiter2, reviewer):
    first = testing.register(recruiter, "聘桥示范科技")
    organisation_refuse(actor=reviewer, organisation=first, reasons="材料不清晰")
    second = testing.register(recruiter2, "聘桥示范科技", salt="b", person=2)
    anomaly = Anomaly.objects.get(organisation=second, kind=AnomalyKind.CREDIT_CODE_REUSED)
    assert anomaly.evidence["organisations"][0]["id"] == first.pk


def test_it_flags_a_licence_file_used_by_another_account(recruiter, recruiter2):
    first = testing.register(recruiter, "聘桥示范科技", salt="same")
    second = testing.register(recruiter2, "示范电子", salt="same", person=2)
    anomaly = Anomaly.objects.get(organisation=second, kind=AnomalyKind.FILE_REUSED)
    assert {f["organisation"] for f in anomaly.evidence["files"]} == {first.pk}


def test_it_flags_a_person_used_by_another_account(recruiter, recruiter2):
    first = testing.register(recruiter, "聘桥示范科技", person=4)
    second = testing.register(recruiter2, "示范电子", person=4)
    anomaly = Anomaly.objects.get(organisation=second, kind=AnomalyKind.PERSON_REUSED)
    assert anomaly.evidence["organisations"][0]["id"] == first.pk


def test_it_flags_one_person_behind_many_organisations(recruiter):
    testing.register(recruiter, "聘桥示范科技", person=1)
    testing.register(recruiter, "示范电子", person=1)
    third = testing.register(recruiter, "两江智能", person=1)
    anomaly = Anomaly.objects.get(organisation=third, kind=AnomalyKind.PERSON_MANY_ORGS)
    assert anomaly.evidence["count"] == 3


def test_it_flags_a_name_that_differs_from_the_registry(recruiter):
    org = testing.register(recruiter, "聘桥示范科技", name="广州聘桥科技集团有限公司")
    anomaly = Anomaly.objects.get(organisation=org, kind=AnomalyKind.NAME_MISMATCH)
    assert anomaly.evidence == {"submitted": "广州聘桥科技集团有限公司",
                                "registry": "广州市聘桥示范科技有限公司"}


def test_it_flags_a_code_missing_from_the_registry(recruiter):
    from pinqiao.orgs.services import organisation_register
    from pinqiao.reference.validators import make_uscc

    code = make_uscc("91440101MA5C99990")
    record = testing.company("聘桥示范科技")
    org = organisation_register(
        actor=recruiter, data=testing.org_input(record, credit_code=code),
        materials=testing.materials_input(), pledge_signed=True, agreement_version="2026.1")
    assert AnomalyKind.REGISTRY_NOT_FOUND in kinds(org)


def test_it_puts_risky_applications_first_in_the_queue(recruiter, recruiter2, reviewer):
    clean = testing.register(recruiter, "聘桥示范科技")
    risky = testing.register(recruiter2, "示范电子", name="别的名字有限公司", person=3)
    queue = review_queue(viewer=reviewer)
    assert queue.index(risky) < queue.index(clean)
    assert risky.risk_score > 0


def test_it_hints_the_applicant_without_showing_the_evidence(recruiter, recruiter2,
                                                             user_client):
    from django.urls import reverse

    testing.register(recruiter, "聘桥示范科技", person=4)
    second = testing.register(recruiter2, "示范电子", person=4)
    page = user_client(recruiter2).get(reverse("orgs:manage", args=[second.pk])).content.decode()
    assert "需要进一步核实" in page
    assert "聘桥示范科技" not in page
