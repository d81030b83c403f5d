"""SMS log-in after closing an account (issue 15): the page never claims a code was sent when
none is; the same neutral, truthful text is shown for every number, so it does not reveal which
numbers have accounts (ACC-1); a code for a number without an account fails with one message."""

from __future__ import annotations

import pytest
from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.accounts.services import account_close
from pinqiao.notifications.models import LocalSmsMessage
from pinqiao.notifications.providers import LocalSmsProvider

pytestmark = pytest.mark.django_db


def _ask_code(phone: str) -> str:
    return Client().post("/accounts/sms-code/", {"sms-phone": phone, "purpose": "login"}
                         ).content.decode()


def test_a_closed_account_is_told_the_truth_without_telling_which_numbers_exist(
        seeker: User) -> None:
    phone = seeker.test_phone
    live = _ask_code(phone)
    assert len(LocalSmsProvider.inbox(phone)) == 1
    account_close(user=seeker, confirmation="确认注销")
    # Closing runs the deletion workflow (PRIV-5), which also erases the phone's lookup index
    # on the local SMS outbox, so count what is sent from here on instead.
    sent = LocalSmsMessage.objects.count()
    closed = _ask_code(phone)
    never = _ask_code("13700000009")
    assert LocalSmsMessage.objects.count() == sent  # nothing more was sent
    assert LocalSmsProvider.inbox(phone) == []
    assert "验证码已发送" not in closed
    assert "如该手机号有聘桥账号" in closed and "账号已注销" in closed
    assert live == closed == never


def test_logging_in_with_a_code_for_a_closed_account_fails_with_the_neutral_message(
        seeker: User) -> None:
    phone = seeker.test_phone
    account_close(user=seeker, confirmation="确认注销")
    _ask_code(phone)
    html = Client().post("/accounts/login/", {"mode": "sms", "sms-phone": phone,
                                              "sms-code": "123456"}).content.decode()
    assert "没有可登录的账号（未注册或已注销）" in html
