"""Desk pages (TKT-1 … TKT-7): 「我的投诉」, the staff desk ordered by deadline, the overdue
view, the recruiter's sanction notice with its appeal; refusals come back onto the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pinqiao.moderation.models import Sanction
from pinqiao.tickets import services
from pinqiao.tickets.models import Case, CaseStatus

from .conftest import png
from .test_services import complain

pytestmark = pytest.mark.django_db


def test_it_rejects_anonymous(client: Any) -> None:
    for name in ("tickets:mine", "tickets:new", "tickets:desk"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_it_requires_the_handler_role_for_the_desk(user_client: Any, seeker: Any,
                                                   staff_client: Any, auditor: Any) -> None:
    assert user_client(seeker).get(reverse("tickets:desk")).status_code == 403
    assert staff_client(auditor).get(reverse("tickets:desk")).status_code == 403


def test_a_seeker_files_a_complaint_and_sees_the_deadline(user_client: Any, seeker: Any,
                                                          posting: Any) -> None:
    client = user_client(seeker)
    page = client.get(reverse("tickets:new") + f"?target_type=posting&target_id={posting.pk}")
    assert f'value="{posting.pk}"' in page.content.decode()
    response = client.post(reverse("tickets:new"), {
        "kind": "complaint", "target_type": "posting", "target_id": posting.pk,
        "reason_code": "fee_charging", "content": "要求交押金", "desired_outcome": "下架",
        "files": [png()]}, follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert case.reference in html and case.deadline.isoformat() in html
    assert case.reference in client.get(reverse("tickets:mine")).content.decode()


def test_a_renamed_html_file_is_refused_with_the_input_kept(user_client: Any, seeker: Any,
                                                            posting: Any) -> None:
    response = user_client(seeker).post(reverse("tickets:new"), {
        "kind": "complaint", "target_type": "posting", "target_id": posting.pk,
        "reason_code": "fee_charging", "content": "要求交押金三百元",
        "files": [SimpleUploadedFile("证据.pdf", b"<!doctype html><p>x</p>", "application/pdf")]})
    html = response.content.decode()
    assert response.status_code == 200 and "按内容识别" in html and "要求交押金三百元" in html
    assert not Case.objects.exists()


def test_a_complaint_about_ones_own_posting_is_refused_on_the_form(user_client: Any,
                                                                   recruiter: Any,
                                                                   posting: Any) -> None:
    response = user_client(recruiter).post(reverse("tickets:new"), {
        "kind": "complaint", "target_type": "posting", "target_id": posting.pk,
        "reason_code": "other", "content": "测试"})
    assert "不能投诉或举报自己或本单位" in response.content.decode()
    assert not Case.objects.exists()


def test_the_desk_lists_by_deadline_and_the_handler_decides(
        staff_client: Any, seeker: Any, posting: Any, handler: Any, make_user: Any) -> None:
    from datetime import datetime

    from pinqiao.interviews.workdays import CHINA

    late = complain(seeker, posting, received_at=datetime(2025, 9, 30, 10, tzinfo=CHINA))
    other = make_user(display_name="另一位求职者")
    early = complain(other, posting, received_at=datetime(2025, 9, 1, 10, tzinfo=CHINA))
    client = staff_client(handler)
    html = client.get(reverse("tickets:desk")).content.decode()
    assert html.index(early.reference) < html.index(late.reference)
    url = reverse("tickets:staff_detail", args=[late.pk])
    client.post(url, {"action": "accept"})
    response = client.post(url, {"action": "resolve", "upheld": "yes", "finding": "",
                                 "result": "已处理"})
    assert "请检查填写的内容" in response.content.decode()
    client.post(url, {"action": "resolve", "upheld": "yes", "finding": "属实",
                      "result": "已下架并警告", "remove_target": "on",
                      "sanction_kind": "warning", "rule": "不得收取押金"})
    late.refresh_from_db()
    assert late.status == CaseStatus.RESOLVED and late.upheld
    assert Sanction.objects.filter(organisation=posting.organisation, kind="warning").exists()


def test_a_second_handler_cannot_close_anothers_case_on_the_page(
        staff_client: Any, seeker: Any, posting: Any, handler: Any, handler2: Any) -> None:
    case = services.case_accept(actor=handler, case=complain(seeker, posting))
    url = reverse("tickets:staff_detail", args=[case.pk])
    response = staff_client(handler2).post(url, {"action": "resolve", "upheld": "no",
                                                 "finding": "x", "result": "y"})
    assert "已分配给其他经办人" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_the_supervisor_sees_escalated_cases(staff_client: Any, supervisor: Any, seeker: Any,
                                             posting: Any) -> None:
    from datetime import datetime

    from pinqiao.interviews.workdays import CHINA

    old = complain(seeker, posting, received_at=datetime(2025, 9, 1, 10, tzinfo=CHINA))
    html = staff_client(supervisor).get(reverse("tickets:overdue")).content.decode()
    assert old.reference in html and "已超期" in html


def test_the_complainant_closes_and_rates(user_client: Any, seeker: Any, posting: Any,
                                          handler: Any) -> None:
    case = services.case_accept(actor=handler, case=complain(seeker, posting))
    services.case_resolve(actor=handler, case=case, upheld=True, finding="属实",
                          result="已警告该单位")
    client = user_client(seeker)
    url = reverse("tickets:detail", args=[case.pk])
    assert "已警告该单位" in client.get(url).content.decode()
    client.post(url, {"action": "close"})
    client.post(url, {"action": "rate", "satisfaction": 5, "process": 4, "efficiency": 5,
                      "result": 5, "attitude": 5, "comment": "满意"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating.process == 4
    assert "您已评价" in client.get(url).content.decode()


def test_the_recruiter_appeals_on_the_notice_page(user_client: Any, recruiter: Any,
                                                  seeker: Any, posting: Any,
                                                  handler: Any) -> None:
    case = services.case_accept(actor=handler, case=complain(seeker, posting))
    services.case_resolve(actor=handler, case=case, upheld=True, finding="查实收取押金",
                          result="警告", measures=services.Measures(sanction_kind="warning",
                                                                 rule="不得收取押金"))
    sanction = Sanction.objects.get(organisation=posting.organisation)
    client = user_client(recruiter)
    url = reverse("risk:notice", args=[sanction.pk])
    html = client.get(url).content.decode()
    assert "不得收取押金" in html and "查实收取押金" in html and case.reference in html
    response = client.post(url, {"content": "", "desired_outcome": ""})
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    client.post(url, {"content": "押金已退还", "desired_outcome": "撤销警告"})
    appeal = Case.objects.get(kind="appeal")
    assert appeal.sanction == sanction and appeal.complainant == recruiter
    assert appeal.reference in client.get(url).content.decode()


def test_a_referred_case_exports_its_file_as_a_pdf(staff_client: Any, seeker: Any,
                                                   posting: Any, handler: Any) -> None:
    """TKT-4: the case file for the authorities with the evidence list (audited)."""
    import io

    from pypdf import PdfReader

    from pinqiao.core.models import AuditEntry

    case = services.case_accept(actor=handler, case=complain(seeker, posting, files=[png()]))
    client = staff_client(handler)
    url = reverse("tickets:referral", args=[case.pk])
    assert client.get(url).status_code == 302
    services.case_refer(actor=handler, case=case, authority="广州市天河区人力资源和社会保障局")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert case.reference in text
    assert case.evidence.get().sha256[:16] in text.replace("\n", "")
    assert AuditEntry.objects.filter(verb="case.referral_exported").exists()


def test_a_referral_to_an_unlisted_channel_is_refused(staff_client: Any, seeker: Any,
                                                      posting: Any, handler: Any) -> None:
    """PRIV-9: the referral file leaves the platform only through a listed destination; when
    the channel is not listed the export is refused on the case page, audited."""
    from pinqiao.core.models import AuditEntry
    from pinqiao.rights.models import ExportDestination

    case = services.case_accept(actor=handler, case=complain(seeker, posting))
    services.case_refer(actor=handler, case=case, authority="广州市天河区人力资源和社会保障局")
    ExportDestination.objects.filter(target="case-referral").delete()
    response = staff_client(handler).get(reverse("tickets:referral", args=[case.pk]),
                                         follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "不在个人信息导出目的地清单中" in response.content.decode()
    assert not AuditEntry.objects.filter(verb="case.referral_exported").exists()
    assert AuditEntry.objects.get(verb="rights.export_refused").data["what"] == "case_referral"
