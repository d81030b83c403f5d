"""Validators for Chinese identifiers (ACC-1).

ID numbers follow GB 11643-1999: 17 digits (6 area, 8 birth date, 3 sequence) and an ISO 7064
MOD 11-2 check character. Mobile numbers are mainland 11-digit numbers starting 13–19.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
}
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_JUNK_RE = re.compile(r"[\s\-()（）]")


def normalize_text(value: str) -> str:
    """NFKC-normalise user input (full-width digits and letters become ASCII) and strip it."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_phone(value: str) -> str:
    """Return the 11-digit mainland mobile number, or raise ``ValidationError`` in Chinese."""
    phone = _PHONE_JUNK_RE.sub("", normalize_text(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    if not _PHONE_RE.match(phone):
        raise ValidationError(_("请输入正确的11位手机号码。"), code="invalid_phone")
    return phone


def id_check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    area_code: str
    birth_date: date
    is_male: bool


def parse_id_number(value: str) -> IdNumberInfo:
    """Validate an 18-character resident ID number and return what it encodes."""
    number = normalize_text(value).upper()
    if len(number) != 18 or not number[:17].isdigit() or not (
        number[17].isdigit() or number[17] == "X"
    ):
        raise ValidationError(_("身份证号码应为18位，最后一位可以是数字或X。"), code="id_format")
    if number[:2] not in _PROVINCE_CODES:
        raise ValidationError(_("身份证号码的地区代码无效。"), code="id_area")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth") from exc
    today = timezone.localdate()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth")
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位错误，请核对。"), code="id_checksum")
    return IdNumberInfo(
        number=number, area_code=number[:6], birth_date=birth, is_male=int(number[16]) % 2 == 1
    )
