"""Registration services (ORG-1, ORG-9, ORG-10): wizard steps, refusals, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.orgs import testing
from pinqiao.orgs.models import (
    AgreementAcceptance,
    Document,
    Licence,
    Membership,
    Organisation,
    OrgStatus,
    RegistryLookup,
)
from pinqiao.orgs.services import organisation_draft_create

pytestmark = pytest.mark.django_db


def test_it_registers_an_employer_for_review(recruiter):
    """ORG-1: all fields, files, pledge and agreement; the applicant becomes the owner."""
    org = testing.register(recruiter, "聘桥示范科技")
    assert org.status == OrgStatus.PENDING
    assert org.pledge_signed_at is not None
    assert Membership.objects.get(organisation=org).role == "owner"
    assert set(Document.objects.filter(organisation=org).values_list("kind", flat=True)) == {
        "business_licence", "id_proof", "authorisation_letter"}
    assert AgreementAcceptance.objects.filter(organisation=org, agreement__version="2026.1")
    assert "440106" not in org.responsible_id_ciphertext
    assert AuditEntry.objects.filter(verb="orgs.submitted", target_id=str(org.pk)).exists()


def test_it_records_every_registry_lookup(recruiter):
    """ORG-2: the registry lookup is recorded."""
    testing.register(recruiter, "聘桥示范科技")
    assert RegistryLookup.objects.filter(credit_code=testing.company("聘桥示范科技").credit_code,
                                         found=True).exists()


def test_it_refuses_a_wrong_check_character_before_saving(recruiter):
    code = testing.company("聘桥示范科技").credit_code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ServiceError) as exc:
        organisation_draft_create(actor=recruiter, data=testing.org_input(
            testing.company("聘桥示范科技"), credit_code=wrong))
    assert "校验码错误" in exc.value.fields["credit_code"][0]
    assert not Organisation.objects.exists()
    assert not RegistryLookup.objects.exists()


@pytest.mark.parametrize("fragment,status", [("已注销", "注销"), ("被吊销", "吊销")])
def test_it_refuses_a_registry_status_of_deregistered_or_revoked(recruiter, fragment, status):
    with pytest.raises(ServiceError) as exc:
        organisation_draft_create(actor=recruiter,
                                  data=testing.org_input(testing.company(fragment)))
    assert status in exc.value.message
    assert not Organisation.objects.exists()


def test_it_refuses_an_expired_licence_and_saves_nothing(recruiter):
    org = organisation_draft_create(actor=recruiter,
                                    data=testing.org_input(testing.company("聘桥示范科技")))
    materials = testing.materials_input(
        business_licence_valid_until=timezone.localdate() - timedelta(days=1))
    from pinqiao.orgs.services import organisation_materials_submit

    with pytest.raises(ServiceError) as exc:
        organisation_materials_submit(actor=recruiter, organisation=org, data=materials)
    assert "过期" in exc.value.fields["business_licence_valid_until"][0]
    assert not Document.objects.exists() and not Licence.objects.exists()


def test_it_rolls_back_every_step_when_the_api_registration_fails(recruiter):
    materials = testing.materials_input(responsible_id_number="440106199508152340")
    with pytest.raises(ServiceError):
        from pinqiao.orgs.services import organisation_register

        organisation_register(actor=recruiter, data=testing.org_input(
            testing.company("聘桥示范科技")), materials=materials, pledge_signed=True,
            agreement_version="2026.1")
    assert not Organisation.objects.exists() and not Document.objects.exists()


def test_it_refuses_a_second_registration_of_the_same_credit_code(recruiter, recruiter2):
    testing.register(recruiter, "聘桥示范科技")
    with pytest.raises(ServiceError) as exc:
        testing.register(recruiter2, "聘桥示范科技", salt="x", person=3)
    assert exc.value.code == "credit_code_taken"
    assert Organisation.objects.count() == 1


def test_it_lets_the_database_decide_a_race_on_the_credit_code(recruiter):
    """Two simultaneous registrations: the unique constraint lets exactly one win."""
    from django.db import IntegrityError, transaction

    record = testing.company("聘桥示范科技")
    Organisation.objects.create(name=record.name, credit_code=record.credit_code,
                                kind="employer", industry="software", address="x",
                                contact_name="x", created_by=recruiter, status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=record.name, credit_code=record.credit_code,
                                    kind="employer", industry="software", address="x",
                                    contact_name="x", created_by=recruiter, status="draft")


def test_it_requires_the_pledge_and_the_current_agreement(recruiter):
    from pinqiao.orgs.services import organisation_register

    with pytest.raises(ServiceError) as exc:
        organisation_register(actor=recruiter, data=testing.org_input(
            testing.company("聘桥示范科技")), materials=testing.materials_input(),
            pledge_signed=False, agreement_version="1999.1")
    assert {"pledge_signed", "agreement_version"} <= set(exc.value.fields)
    assert not Organisation.objects.exists()


def test_it_requires_an_hr_licence_and_fee_statement_from_agencies(recruiter):
    from pinqiao.orgs.services import organisation_register

    materials = testing.materials_input("employer")
    with pytest.raises(ServiceError) as exc:
        organisation_register(actor=recruiter, data=testing.org_input(
            testing.company("渝才人力"), "agency"), materials=materials, pledge_signed=True,
            agreement_version="2026.1")
    assert "hr_licence_number" in exc.value.fields
    assert "hr_licence" in exc.value.fields


def test_it_refuses_seekers(seeker):
    with pytest.raises(NotPermitted):
        organisation_draft_create(actor=seeker,
                                  data=testing.org_input(testing.company("聘桥示范科技")))


def test_it_refuses_html_renamed_to_pdf(recruiter):
    org = organisation_draft_create(actor=recruiter,
                                    data=testing.org_input(testing.company("聘桥示范科技")))
    materials = testing.materials_input()
    materials.files["business_licence"] = SimpleUploadedFile(
        "licence.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    from pinqiao.orgs.services import organisation_materials_submit

    with pytest.raises(ServiceError) as exc:
        organisation_materials_submit(actor=recruiter, organisation=org, data=materials)
    assert "PDF" in exc.value.fields["business_licence"][0]
    assert not Document.objects.exists()


def test_it_keeps_nothing_when_the_database_refuses_a_simultaneous_winner(recruiter, recruiter2,
                                                                          monkeypatch):
    """The race: both pass the pre-check; the conditional unique constraint lets one win and
    the loser gets a clear refusal with no membership or draft left behind."""
    from pinqiao.orgs import services

    record = testing.company("聘桥示范科技")
    Organisation.objects.create(name=record.name, credit_code=record.credit_code,
                                kind="employer", industry="software", address="并发注册",
                                contact_name="x", created_by=recruiter2, status="draft")
    # The winner's row was not yet visible when the loser ran its pre-check.
    monkeypatch.setattr(services, "RELEASED_STATUSES", ("closed", "refused", "draft"))
    with pytest.raises(ServiceError) as exc:
        organisation_draft_create(actor=recruiter, data=testing.org_input(record))
    assert exc.value.code == "credit_code_taken"
    assert list(Organisation.objects.values_list("created_by", flat=True)) == [recruiter2.pk]
    assert not Membership.objects.exists()
