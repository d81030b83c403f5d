"""ACC-1: GB 11643 ID numbers and mainland mobile numbers."""

import pytest
from django.core.exceptions import ValidationError

from pinqiao.core.validators import normalize_phone, parse_id_number


def test_it_accepts_a_valid_id_number_and_reads_it() -> None:
    info = parse_id_number("110105199003071239")
    assert info.birth_date.isoformat() == "1990-03-07" and info.area_code == "110105"


@pytest.mark.parametrize(("number", "code"), [
    ("110105199003071238", "id_checksum"),
    ("11010519900307123", "id_format"),
    ("110105199002301234", "id_birth"),
    ("990105199003071239", "id_area"),
    ("110105299003071235", "id_birth"),
])
def test_it_refuses_bad_id_numbers_with_a_reason(number: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert exc.value.code == code


def test_it_accepts_a_lower_case_x_check_character() -> None:
    assert parse_id_number("11010519900301041x").number == "11010519900301041X"


@pytest.mark.parametrize("raw", ["13812345678", "+86 138-1234-5678", "１３８１２３４５６７８",
                                 "0086 13812345678"])
def test_it_normalises_phone_numbers(raw: str) -> None:
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "phone", ""])
def test_it_refuses_malformed_phones_in_chinese(raw: str) -> None:
    with pytest.raises(ValidationError, match="手机号"):
        normalize_phone(raw)
