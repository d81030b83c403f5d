"""ORG-1, ORG-2, ORG-4, ORG-5, ORG-8 in Chromium: a recruiter registers an employer through the
wizard, a reviewer past the second factor approves it after the registry check, and the
recruiter may then post; an agency registers with an HR-service licence and a client
authorisation and gets 代招 permission for that client only."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from pinqiao.core.errors import NotPermitted
from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password, login_staff, new_page
from pinqiao.orgs import testing
from pinqiao.orgs.models import ClientAuthorisation, Organisation, OrgStatus
from pinqiao.orgs.selectors import posting_permission_check

HR_LICENCE_NO = "(渝)人服证字〔2024〕第0099号"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _defaults(settings, tmp_path):  # noqa: ANN001, ANN202
    """Transactional tests flush the tables: reinstall the templates, agreement and permits."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)


def _files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name in ("licence", "idcard", "letter", "hr", "client", "client2"):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(testing.PDF_BYTES + name.encode())
        paths[name] = path
    return paths


def _register(page: Page, files: dict[str, Path], fragment: str, kind: str) -> Organisation:
    record = testing.company(fragment)
    page.goto("/orgs/register/")
    page.get_by_label("人力资源服务机构" if kind == "agency" else "用人单位", exact=True).check()
    page.get_by_label("单位全称").fill(record.name)
    page.get_by_label("统一社会信用代码").fill(record.credit_code)
    page.get_by_label("所属行业").select_option("hr_services" if kind == "agency" else "software")
    page.get_by_label("成立日期").fill("2018-06-01")
    page.get_by_label("单位地址").fill("重庆市渝中区解放碑大道1号")
    page.get_by_label("联系人").fill("王经理")
    page.get_by_label("联系电话（手机）").fill("13900002222")
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_text("2 证照与经办人")).to_be_visible()
    page.get_by_label("经办人姓名").fill("王顾问")
    page.get_by_label("经办人身份证号").fill(testing.valid_id(11 if kind == "agency" else 10))
    page.get_by_label("经办人身份证明").set_input_files(files["idcard"])
    page.get_by_label("单位授权书（加盖公章）").set_input_files(files["letter"])
    page.get_by_label("营业执照/批准文件编号").fill("BL-" + kind)
    page.get_by_label("发证/批准机关").fill("市场监督管理局")
    page.get_by_label("营业执照或批准设立文件").set_input_files(files["licence"])
    if kind == "agency":
        until = (timezone.localdate() + timedelta(days=700)).isoformat()
        page.get_by_label("人力资源服务许可证编号:", exact=True).fill(HR_LICENCE_NO)
        page.get_by_label("许可证发证机关:", exact=True).fill("重庆市渝中区人力资源和社会保障局")
        page.get_by_label("许可服务范围:", exact=True).fill("职业中介活动；网络招聘服务")
        page.get_by_label("许可证有效期至:", exact=True).fill(until)
        page.get_by_label("人力资源服务许可证:", exact=True).set_input_files(files["hr"])
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_role("heading", name="聘桥平台服务协议（单位版）（版本 2026.1）")
           ).to_be_visible()
    page.get_by_label("我代表本单位签署信用承诺", exact=False).check()
    page.get_by_label("我已阅读并同意上方的平台服务协议").check()
    page.get_by_role("button", name="签署并提交审核").click()
    expect(page.locator("#org-status")).to_have_text("待审核")
    return Organisation.objects.get(credit_code=record.credit_code)


def _approve(page: Page, org: Organisation) -> None:
    page.goto("/staff/orgs/")
    row = page.get_by_role("row").filter(has_text=org.name)
    row.get_by_role("link", name="审核").click()
    expect(page.locator("#registry-record")).to_contain_text("存续")
    page.get_by_role("button", name="查询工商登记并记录").click()
    expect(page.locator("#checklist")).to_contain_text("通过")
    page.get_by_role("button", name="批准").click()
    expect(page.locator("#org-status")).to_have_text("已认证")


def _add_client(page: Page, org: Organisation, files: dict[str, Path], fragment: str,
                file_key: str) -> None:
    record = testing.company(fragment)
    today = timezone.localdate()
    page.goto(f"/orgs/{org.pk}/clients/add/")
    page.get_by_label("委托单位全称").fill(record.name)
    page.get_by_label("委托单位统一社会信用代码").fill(record.credit_code)
    page.get_by_label("委托起始日期").fill(today.isoformat())
    page.get_by_label("委托截止日期").fill((today + timedelta(days=90)).isoformat())
    page.get_by_label("委托证明（加盖委托单位公章）").set_input_files(files[file_key])
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("委托证明已提交")).to_be_visible()


def test_employer_and_agency_onboarding(browser: Browser, live_server: object, make_user,
                                        reviewer, tmp_path: Path) -> None:  # noqa: ANN001
    files = _files(tmp_path)
    employer_user = make_user(role=Role.RECRUITER, display_name="李招聘")
    agency_user = make_user(role=Role.RECRUITER, display_name="王顾问")

    # 1. The recruiter registers an employer; it cannot post while pending (ORG-8).
    recruiter_page = new_page(browser, live_server)
    login_password(recruiter_page, employer_user.test_phone)
    employer = _register(recruiter_page, files, "聘桥示范科技", "employer")
    with pytest.raises(NotPermitted):
        posting_permission_check(user=employer_user, organisation=employer, mode="own")

    # 2. The agency registers with its HR-service licence and records a client.
    agency_page = new_page(browser, live_server)
    login_password(agency_page, agency_user.test_phone)
    agency = _register(agency_page, files, "渝才人力", "agency")
    _add_client(agency_page, agency, files, "天河餐饮", "client")

    # 3. The reviewer passes the second factor, checks the registry and approves both.
    staff_page = new_page(browser, live_server)
    login_staff(staff_page, reviewer)
    _approve(staff_page, employer)
    _approve(staff_page, agency)

    # 4. The recruiter can now post its own jobs (the page's API call shares its session).
    response = recruiter_page.request.get(
        f"/api/v1/orgs/{employer.pk}/posting-permission?mode=own")
    assert response.status == 200 and response.json() == {"allowed": True}
    employer.refresh_from_db()
    assert employer.status == OrgStatus.VERIFIED
    posting_permission_check(user=employer_user, organisation=employer, mode="own")

    # 5. The agency gets 代招 for its verified client only.
    client = ClientAuthorisation.objects.get(agency=agency)
    assert client.status == "verified"
    ok = agency_page.request.get(
        f"/api/v1/orgs/{agency.pk}/posting-permission?mode=agency&client_id={client.pk}")
    assert ok.status == 200
    _add_client(agency_page, agency, files, "浦江物流", "client2")
    other = ClientAuthorisation.objects.exclude(pk=client.pk).get()
    refused = agency_page.request.get(
        f"/api/v1/orgs/{agency.pk}/posting-permission?mode=agency&client_id={other.pk}")
    assert refused.status == 403
    assert "委托证明" in refused.json()["error"]["message"]
    none = agency_page.request.get(f"/api/v1/orgs/{agency.pk}/posting-permission?mode=agency")
    assert none.status == 403
    employer_daizhao = recruiter_page.request.get(
        f"/api/v1/orgs/{employer.pk}/posting-permission?mode=agency&client_id={client.pk}")
    assert employer_daizhao.status == 403

    # 6. The agency's public page carries the 「许可及监管」 panel (DISC-3).
    agency_page.goto(f"/o/{agency.pk}/")
    expect(agency_page.get_by_role("heading", name="许可及监管")).to_be_visible()
    expect(agency_page.locator(".panel-licence")).to_contain_text(HR_LICENCE_NO)
