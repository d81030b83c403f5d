"""Reading SMS codes the way a person would: from the phone's inbox (the local provider)."""

import re

from pinqiao.accounts.services import sms_code_request
from pinqiao.notifications.providers import LocalSmsProvider


def last_code(phone: str) -> str:
    return re.search(r"\d{6}", LocalSmsProvider.inbox(phone)[0]).group(0)


def request_code(phone: str, purpose: str = "signup") -> str:
    sms_code_request(phone=phone, purpose=purpose)
    return last_code(phone)
