"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser).

Registered for the whole suite by the root conftest; import the helpers from here.

Shared by every app's browser tests (``pytest -m browser``). Django refuses database access from
a thread with a running event loop; Playwright's sync API runs one, hence the flag below.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from pinqiao.core.testing import TEST_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def new_page(browser: Browser, live_server: object, *, width: int = 412,
             height: int = 900) -> Page:
    """A page in a browser context of its own (its own cookies: another person), Chinese
    locale, phone-sized by default, 10 s per step."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def login_password(page: Page, identifier: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("手机号或邮箱").fill(identifier)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def login_staff(page: Page, user: object) -> None:
    """Log a staff user in through the pages and pass the second factor with a real TOTP code."""
    from django_otp.oath import totp

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="browser",
                                                 defaults={"confirmed": True})
    login_password(page, user.email)
    page.wait_for_url("**/staff/otp/**")
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("动态验证码").fill(f"{token:06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url("**/staff/**")
