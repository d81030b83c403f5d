"""ACC-1, DISC-1, DISC-5 in a real browser: a seeker signs up through the pages."""

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from pinqiao.accounts.models import User
from pinqiao.disclosure import demo as disclosure_demo
from pinqiao.disclosure.models import LegalAcceptance
from pinqiao.notifications.defaults import install
from pinqiao.notifications.providers import LocalSmsProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13700001234"


def test_a_seeker_signs_up_and_sees_the_disclosure_footer(page: Page) -> None:
    # An earlier transactional test may have flushed the data migrations' rows.
    install(django_apps, importlib.import_module(
        "pinqiao.notifications.migrations.0002_default_templates").ROWS)
    disclosure_demo.load(io.StringIO())
    page.goto("/")
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("营业执照")
    expect(footer).to_contain_text("人力资源服务许可证")
    expect(footer).to_contain_text("020-12345678")
    expect(page.get_by_role("heading", name="许可及监管")).to_be_visible()

    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送")
    code = re.search(r"\d{6}", LocalSmsProvider.inbox(PHONE)[0]).group(0)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("密码").fill("Qiao2026Xyz")

    page.get_by_role("button", name="同意协议并注册").click()
    expect(page.get_by_text("请阅读并同意用户协议和隐私政策")).to_be_visible()
    assert not User.objects.exists()

    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page.get_by_role("heading", name="我的账号")).to_be_visible()
    expect(page.get_by_text("137****1234")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("ICP备案号")
    user = User.objects.get()
    assert LegalAcceptance.objects.filter(user=user).count() == 3
