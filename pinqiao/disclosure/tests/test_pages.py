"""Public disclosure pages: the footer on every page (DISC-1), services and prices (DISC-2), the
「许可及监管」 panel on the home page (DISC-3), the fraud-awareness page (DISC-6)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.disclosure.models import OperatorProfile, ServiceOffering

PUBLIC_PAGES = ["/", "/services/", "/safety/", "/disclosure/licences/",
                "/legal/user_agreement/", "/legal/privacy_policy/", "/accounts/login/",
                "/accounts/signup/"]


def footer(response: HttpResponse) -> str:
    html = response.content.decode()
    assert "<footer" in html
    return html[html.index("<footer"):]


def table_row(html: str, name: str) -> str:
    """The table row of the services page that names ``name``."""
    rows = [row for row in html.split("<tr>") if f"<td>{name}</td>" in row]
    assert len(rows) == 1, name
    return rows[0].split("</tr>")[0]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_shows_the_licences_and_hotline_in_every_page_footer(
        client: Client, disclosure: OperatorProfile, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    text = footer(response)
    assert "营业执照" in text
    assert disclosure.credit_code in text
    assert "人力资源服务许可证" in text
    assert disclosure.hr_licence_no in text
    assert disclosure.icp_no in text
    assert "投诉举报电话" in text
    assert disclosure.complaint_hotline in text


def test_it_shows_the_footer_to_logged_in_users(client: Client, seeker: User,
                                                 accepted: Callable[[User], User],
                                                 disclosure: OperatorProfile) -> None:
    client.force_login(accepted(seeker))

    response = client.get("/accounts/me/")

    assert response.status_code == 200
    assert disclosure.hr_licence_no in footer(response)


def test_it_shows_what_the_operator_changed_in_the_footer(
        client: Client, disclosure: OperatorProfile) -> None:
    OperatorProfile.objects.filter(pk=disclosure.pk).update(complaint_hotline="400-800-1234")

    assert "400-800-1234" in footer(client.get("/services/"))


def test_it_renders_pages_before_an_operator_profile_exists(client: Client) -> None:
    OperatorProfile.objects.all().delete()

    assert client.get("/").status_code == 200
    assert client.get("/disclosure/licences/").status_code == 200


def test_it_shows_the_licence_and_regulation_panel_on_the_home_page(
        client: Client, disclosure: OperatorProfile) -> None:
    html = client.get("/").content.decode()

    panel = html[html.index("许可及监管"):html.index("</section>", html.index("许可及监管"))]
    assert disclosure.company_name in panel
    assert disclosure.hr_licence_no in panel
    assert disclosure.hr_licence_authority in panel
    assert "有效期至 2030-06-30" in panel
    assert "信用评分" in panel and "98（A级）" in panel
    assert "违法违规记录" in panel and "<dd>无</dd>" in panel
    assert f'href="tel:{disclosure.complaint_hotline}"' in panel
    assert f'href="{disclosure.regulator_url}"' in panel
    assert disclosure.regulator_name in panel


def test_it_shows_a_recorded_violation_on_the_panel(client: Client,
                                                    disclosure: OperatorProfile) -> None:
    record = "2026年3月因未及时下架违规职位被责令改正"
    OperatorProfile.objects.filter(pk=disclosure.pk).update(violation_summary=record,
                                                           credit_score=85, credit_grade="B")

    html = client.get("/").content.decode()

    assert record in html
    assert "85（B级）" in html


def test_it_links_the_fraud_tips_to_the_safety_page_from_the_home_page(client: Client) -> None:
    html = client.get("/").content.decode()

    assert "求职防骗提示" in html
    assert "不会以任何名义收取押金" in html
    assert 'href="/safety/"' in html


def test_it_serves_the_fraud_awareness_page(client: Client,
                                            disclosure: OperatorProfile) -> None:
    response = client.get("/safety/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "求职防骗指南" in html
    assert "刷单" in html
    assert "96110" in html
    assert disclosure.complaint_hotline in html


def test_it_lists_the_operator_licences_on_the_licences_page(
        client: Client, disclosure: OperatorProfile) -> None:
    html = client.get("/disclosure/licences/").content.decode()

    assert disclosure.business_licence_no in html
    assert disclosure.complaint_email in html
    assert disclosure.address in html
    assert "许可及监管" in html


def test_it_separates_free_from_paid_services_with_prices_in_yuan(client: Client) -> None:
    response = client.get("/services/")

    assert response.status_code == 200
    html = response.content.decode()
    free = table_row(html, "简历创建与投递")
    assert "免费" in free and "收费" not in free and "元" not in free
    paid = table_row(html, "职位置顶")
    assert "收费" in paid and "免费" not in paid
    assert "199.00 元/个职位·7天" in paid
    assert "1500.00 元/场" in table_row(html, "网络招聘会展位")


def test_it_groups_services_by_audience(client: Client) -> None:
    html = client.get("/services/").content.decode()

    assert html.index("面向求职者") < html.index("面向用人单位") < html.index(
        "面向人力资源服务机构")


def test_it_hides_services_that_are_switched_off(client: Client) -> None:
    ServiceOffering.objects.filter(name="人才库简历查看").update(is_active=False)

    assert "人才库简历查看" not in client.get("/services/").content.decode()


def test_it_refuses_a_free_service_with_a_price(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOffering.objects.create(name="简历优化", audience="seeker", description="x",
                                       is_free=True, price_yuan=Decimal("9.90"))


def test_it_refuses_a_paid_service_without_a_price(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOffering.objects.create(name="职位刷新", audience="employer", description="x",
                                       is_free=False, price_yuan=Decimal("0"))
