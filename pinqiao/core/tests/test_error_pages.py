"""Real error pages (issue 15, item 5): with DEBUG off every error is a Chinese page with a title
of its own, whatever language the browser asks for; ``/favicon.ico`` is served; ``make run``
serves with DEBUG off unless ``DJANGO_DEBUG`` turns it on."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from pinqiao.accounts.models import User

EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _boom(request: object) -> None:
    raise RuntimeError("a bug")


def _forbidden(request: object) -> None:
    raise PermissionDenied


def _bad(request: object) -> None:
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("boom/", _boom), path("forbidden/", _forbidden), path("bad/", _bad),
    path("", include("pinqiao.urls")),
]
handler400 = "pinqiao.core.error_pages.bad_request"
handler403 = "pinqiao.core.error_pages.permission_denied"
handler404 = "pinqiao.core.error_pages.page_not_found"
handler500 = "pinqiao.core.error_pages.server_error"


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return match.group(1).strip()


@pytest.fixture
def errors_urlconf(settings: object) -> None:
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status", "title"), [
    ("/bad/", 400, "请求有误"), ("/forbidden/", 403, "无权访问"),
    ("/no-such-page/", 404, "页面不存在"), ("/boom/", 500, "服务暂时出错"),
])
def test_each_error_is_a_chinese_page_with_its_own_title(errors_urlconf: None, url: str,
                                                         status: int, title: str) -> None:
    response = Client(raise_request_exception=False).get(url, **EN)
    html = response.content.decode()
    assert response.status_code == status
    assert _title(html) == f"{title} · 聘桥"
    assert "返回首页" in html
    assert "URLconf" not in html and "Traceback" not in html and "Not Found" not in html


@pytest.mark.django_db
def test_a_refused_page_names_the_refusal_under_the_status_title(seeker: User) -> None:
    client = Client()
    client.force_login(seeker)
    response = client.get("/recruiter/jobs/", **EN)
    assert response.status_code == 403
    assert _title(response.content.decode()) == "无权访问 · 聘桥"
    assert "您的账号类型不能使用此功能" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_csrf_check_is_a_chinese_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {}, **EN)
    assert response.status_code == 403
    assert "请刷新页面后重新提交" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


@pytest.mark.django_db
def test_the_favicon_is_served() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


@pytest.mark.parametrize(("environment", "debug"), [({}, "False"),
                                                    ({"DJANGO_DEBUG": "1"}, "True")])
def test_make_run_serves_with_debug_off_unless_asked(environment: dict[str, str],
                                                     debug: str) -> None:
    """``make run`` uses the dev settings (manage.py's default); ``make dev`` sets DJANGO_DEBUG."""
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pinqiao.settings.dev'; "
            "django.setup(); from django.conf import settings; print(settings.DEBUG)")
    env = {"PATH": "/usr/bin:/bin", **environment}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == debug


@pytest.mark.django_db
def test_django_messages_are_chinese_for_an_english_browser() -> None:
    """The password validators and Django's own form errors answer in Chinese for en-US."""
    data = {"phone": "13912345678", "code": "123456", "password": "a1", "accept_terms": "on"}
    html = Client().post("/accounts/signup/recruiter/", data, **EN).content.decode()
    assert "密码太短，至少需要 8 个字符。" in html
    assert "This password is too short" not in html
    html = Client().post("/accounts/signup/recruiter/", {**data, "email": "not-an-email"},
                         **EN).content.decode()
    assert "请输入有效的电子邮箱地址。" in html
    assert "Enter a valid" not in html


def test_numbers_keep_the_chinese_style_for_an_english_browser() -> None:
    """``intcomma`` under the forced Chinese locale never writes 1,720."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("zh-hans"):
        assert intcomma(1720) == "1720"
    assert translation.get_language_from_request(
        type("R", (), {"COOKIES": {}, "META": EN, "path_info": "/"})()) == "zh-hans"
