"""ACC-4: staff search the login log by phone, account, IP and date; phones stay masked and
never travel in a URL (SEC-3, finding 4)."""

import pytest
from django.test import Client

from conftest import PASSWORD
from pinqiao.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(seeker: object) -> object:
    Client().post("/api/v1/auth/login", {"identifier": seeker.test_phone, "password": PASSWORD},
                  content_type="application/json", REMOTE_ADDR="10.1.2.3")
    return seeker


def test_it_finds_logins_by_phone_and_masks_it(staff_client, reviewer, logged) -> None:  # noqa: ANN001
    response = staff_client(reviewer).post("/staff/login-log/", {"phone": logged.test_phone})
    page = response.content.decode()
    assert response.status_code == 200 and "10.1.2.3" in page
    table = page[page.index("<table"):]
    assert logged.test_phone not in table
    assert f"{logged.test_phone[:3]}****{logged.test_phone[-4:]}" in table
    assert AuditEntry.objects.filter(verb="accounts.login_log_searched").exists()


def test_it_filters_by_ip(staff_client, reviewer, logged) -> None:  # noqa: ANN001
    page = staff_client(reviewer).post("/staff/login-log/", {"ip": "10.9.9.9"}).content.decode()
    assert "没有符合条件的记录" in page


def test_a_malformed_phone_gets_a_chinese_error(staff_client, reviewer) -> None:  # noqa: ANN001
    page = staff_client(reviewer).post("/staff/login-log/", {"phone": "12"}).content.decode()
    assert "请输入正确的11位手机号码" in page


def test_it_requires_a_staff_role(user_client, seeker) -> None:  # noqa: ANN001
    assert user_client(seeker).get("/staff/login-log/").status_code == 403


def test_regulators_cannot_read_the_login_log(staff_client, regulator) -> None:  # noqa: ANN001
    assert staff_client(regulator).get("/staff/login-log/").status_code == 403


def test_the_search_form_posts_so_the_phone_stays_out_of_urls(staff_client, reviewer,  # noqa: ANN001
                                                               logged) -> None:  # noqa: ANN001
    client = staff_client(reviewer)
    page = client.get("/staff/login-log/").content.decode()
    assert 'method="post" id="login-log-search"' in page and "csrfmiddlewaretoken" in page
    ignored = client.get("/staff/login-log/", {"phone": logged.test_phone}).content.decode()
    assert "10.1.2.3" not in ignored
    assert not AuditEntry.objects.filter(verb="accounts.login_log_searched").exists()


def test_paging_posts_the_criteria_again(staff_client, reviewer, seeker) -> None:  # noqa: ANN001
    for _ in range(51):
        Client().post("/api/v1/auth/login", {"identifier": seeker.test_phone,
                                             "password": PASSWORD},
                      content_type="application/json", REMOTE_ADDR="10.7.7.7")
    client = staff_client(reviewer)
    first = client.post("/staff/login-log/", {"phone": seeker.test_phone}).content.decode()
    assert 'form="login-log-search" name="page" value="2"' in first and "1 / 2" in first
    second = client.post("/staff/login-log/", {"phone": seeker.test_phone, "page": "2"})
    assert "2 / 2" in second.content.decode()
