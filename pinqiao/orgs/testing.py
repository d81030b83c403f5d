"""Builders shared by the orgs tests, the browser test and the demo data: valid registrations
against the local business registry, with small real PDF and PNG files."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pinqiao.orgs import registry
from pinqiao.orgs.models import ClientAuthorisation, Organisation
from pinqiao.orgs.services import (
    MaterialsInput,
    OrganisationInput,
    client_authorisation_add,
    client_authorisation_review,
    organisation_approve,
    organisation_register,
    registry_check_run,
    service_agreement_current,
)

#: A real one-page PDF (documents are opened, not only sniffed: SEC-3).
PDF_BYTES = (b'%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n'
             b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n'
             b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n'
             b'0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n'
             b'0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n'
             b'%%EOF\n')
PNG_BYTES = (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00'
             b'\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00'
             b"\x0cIDATx\x9cc8!'\x07\x00\x02\xb6\x01\x054"
             b'\xa6u\xaa\x00\x00\x00\x00IEND\xaeB`\x82')

# Identities that pass GB 11643 (test and demo data only).
ID_NUMBERS = ["440106199508152344", "310115198801013450", "110105199003071239",
              "11010519491231002X", "440106199001010011", "500103198512120014"]


def valid_id(n: int) -> str:
    """A GB 11643-valid ID number, distinct per ``n``."""
    from pinqiao.core.validators import id_check_character

    body = f"44010619900101{n % 1000:03d}"
    return body + id_check_character(body)


def pdf(name: str = "licence.pdf", salt: str = "") -> SimpleUploadedFile:
    """A small PDF; ``salt`` makes its hash distinct (for anomaly tests)."""
    return SimpleUploadedFile(name, PDF_BYTES + salt.encode(), content_type="application/pdf")


def png(name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def company(fragment: str) -> registry.RegistryRecord:
    return registry.fixture_company(fragment)


def org_input(record: registry.RegistryRecord, kind: str = "employer", **over: Any
              ) -> OrganisationInput:
    values = dict(name=record.name, credit_code=record.credit_code, kind=kind,
                  industry="software" if kind == "employer" else "hr_services",
                  address="广东省广州市天河区天河路100号", contact_name="李经理",
                  contact_phone="13900001111", founded_on=date(2018, 6, 1),
                  introduction="一家守法经营的单位。", contact_email="hr@example.com")
    values.update(over)
    return OrganisationInput(**values)


def materials_input(kind: str = "employer", salt: str = "", person: int = 1, **over: Any
                    ) -> MaterialsInput:
    year = timezone.localdate() + timedelta(days=365 * 3)
    values: dict[str, Any] = dict(
        responsible_name="李招聘", responsible_id_number=valid_id(person),
        business_licence_number="BL" + salt, business_licence_authority="广州市市场监督管理局",
        business_licence_valid_until=None,
        files={"business_licence": pdf("bl.pdf", "bl" + salt),
               "id_proof": pdf("id.pdf", "id" + salt),
               "authorisation_letter": pdf("letter.pdf", "letter" + salt)})
    if kind == "agency":
        values.update(hr_licence_number="(渝)人服证字〔2024〕第0001号",
                      hr_licence_authority="重庆市渝中区人力资源和社会保障局",
                      hr_licence_scope="职业中介活动；网络招聘服务；人力资源外包。",
                      hr_licence_valid_until=year, charges_seekers=True,
                      seeker_fee_description="求职登记免费；成功推荐入职后收取服务费200元。")
        values["files"]["hr_licence"] = pdf("hr.pdf", "hr" + salt)
    values.update(over)
    return MaterialsInput(**values)


def register(user: Any, fragment: str, kind: str = "employer", salt: str = "",
             person: int = 1, device: str = "", **over: Any) -> Organisation:
    """Register through all three wizard steps (pending review)."""
    agreement = service_agreement_current()
    return organisation_register(
        actor=user, data=org_input(company(fragment), kind, **over),
        materials=materials_input(kind, salt or fragment, person), pledge_signed=True,
        agreement_version=agreement.version if agreement else "", device=device)


def approve(reviewer: Any, org: Organisation) -> Organisation:
    registry_check_run(actor=reviewer, organisation=org)
    return organisation_approve(actor=reviewer, organisation=org)


def verified_employer(owner: Any, reviewer: Any, fragment: str = "聘桥示范科技") -> Organisation:
    return approve(reviewer, register(owner, fragment))


def verified_agency(owner: Any, reviewer: Any, fragment: str = "渝才人力") -> Organisation:
    return approve(reviewer, register(owner, fragment, kind="agency", person=2))


def client_for(agency: Organisation, owner: Any, reviewer: Any | None = None,
               fragment: str = "天河餐饮", days: int = 180) -> ClientAuthorisation:
    record = company(fragment)
    today = timezone.localdate()
    auth = client_authorisation_add(
        actor=owner, organisation=agency, client_name=record.name,
        client_credit_code=record.credit_code, valid_from=today,
        valid_until=today + timedelta(days=days), upload=pdf("wt.pdf", f"client{fragment}"),
        scope="服务员 10 名")
    if reviewer is not None:
        auth = client_authorisation_review(actor=reviewer, authorisation=auth, approve=True)
    return auth
