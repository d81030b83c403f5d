"""PRIV-1, PRIV-2: AES-GCM field encryption, blind indexes, masking."""

import pytest

from pinqiao.core.crypto import DecryptionError, blind_index, decrypt, encrypt
from pinqiao.core.masking import (
    mask_contacts_in_text,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)


def test_it_round_trips_and_uses_a_fresh_nonce_each_time() -> None:
    a, b = encrypt("13812345678", context="phone"), encrypt("13812345678", context="phone")
    assert a != b and "13812345678" not in a
    assert decrypt(a, context="phone") == "13812345678"


def test_it_refuses_tampered_ciphertext_and_the_wrong_context() -> None:
    token = encrypt("110105199003071239", context="id_number")
    prefix, key_id, body = token.split(":", 2)
    flipped = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt(f"{prefix}:{key_id}:{flipped}", context="id_number")
    with pytest.raises(DecryptionError):
        decrypt(token, context="phone")


def test_blind_index_is_stable_and_separated_by_purpose() -> None:
    assert blind_index("13812345678", purpose="phone") == blind_index("13812345678",
                                                                      purpose="phone")
    assert blind_index("13812345678", purpose="phone") != blind_index("13812345678",
                                                                      purpose="other")


@pytest.mark.parametrize(("func", "value", "expected"), [
    (mask_phone, "13812341234", "138****1234"),
    (mask_id_number, "110105199003071239", "1101**********1239"),
    (mask_email, "zhang@example.com", "z***@example.com"),
    (mask_name, "欧阳修", "欧**"),
    (mask_name, "张三", "张*"),
])
def test_it_masks_by_default(func, value: str, expected: str) -> None:  # noqa: ANN001
    assert func(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("电话：13812345678，邮箱 zhang.san@example.com",
     "电话：138****5678，邮箱 z***@example.com"),
    ("手机 +86 138-1234-5678 / 138 1234 5678", "手机 +86 138****5678 / 138****5678"),
    ("联系：１３８１２３４５６７８", "联系：138****5678"),
    ("身份证 110105199003071239，工资卡 6222021234567890123",
     "身份证 1101**********1239，工资卡 6222***********0123"),
    ("座机 020-87654321", "座机 020****4321"),
    ("微信：zhangsan_wx，QQ 12345678", "微信：z***，QQ 1***"),
    # dates, pay ranges and already masked forms stay as they are
    ("2018.07-2020.06 月薪 8000-12000 元 138****5678", "2018.07-2020.06 月薪 8000-12000 元 "
                                                       "138****5678"),
])
def test_contact_details_in_free_text_are_masked(text: str, expected: str) -> None:
    assert mask_contacts_in_text(text) == expected
    assert mask_contacts_in_text(expected) == expected
