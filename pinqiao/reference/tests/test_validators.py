"""USCC checks per GB 32100-2015 (ORG-1, ORG-9)."""

import pytest

from pinqiao.reference.validators import (
    division_of_uscc,
    make_uscc,
    uscc_check_char,
    uscc_is_valid,
    uscc_parse,
)

# Codes of registered organisations, covering several authorities and check characters.
REAL_CODES = [
    "91350100M000100Y43",  # the code most often quoted as a valid example
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91341000MA2N0ABGXX",  # enterprise, check character X
    "51610700305332460K",  # 民政: 社会团体
    "11610923MB2900168E",  # 机构编制: 机关
    "92510100MA61WJ3204",  # 个体工商户
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_it_accepts_real_codes(code):
    assert uscc_is_valid(code)
    assert uscc_check_char(code[:17]) == code[17]


def test_it_rejects_a_wrong_check_char():
    assert not uscc_is_valid("91350100M000100Y44")
    with pytest.raises(ValueError, match="校验码错误.*应为“3”.*实际为“4”"):
        uscc_parse("91350100M000100Y44")


def test_it_rejects_a_wrong_length():
    with pytest.raises(ValueError, match="长度不对：应为18位，实际为17位"):
        uscc_parse("91350100M000100Y4")
    assert not uscc_is_valid("")


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-"])
def test_it_rejects_characters_outside_the_charset(bad):
    code = "91350100M000100Y4" + bad
    with pytest.raises(ValueError, match=f"含非法字符：第18位“{bad}”"):
        uscc_parse(code)


def test_it_accepts_lowercase_whitespace_and_full_width():
    assert uscc_is_valid(" 91350100m000100y43\n")
    assert uscc_is_valid("9135 0100 M000 100Y 43")
    assert uscc_is_valid("９１３５０１００Ｍ０００１００Ｙ４３")
    assert uscc_parse(" 91350100m000100y43 ").code == "91350100M000100Y43"


def test_it_parses_the_parts():
    info = uscc_parse("91440300708461136T")
    assert info.registration_authority == "9"
    assert info.registration_authority_name == "工商（市场监管）"
    assert info.organisation_type_name == "企业"
    assert info.division_code == "440300"
    assert info.organisation_code == "708461136"
    assert info.check_char == "T"
    assert uscc_parse("51610700305332460K").organisation_type_name == "社会团体"
    assert uscc_parse("92510100MA61WJ3204").organisation_type_name == "个体工商户"


def test_it_finds_the_division_of_a_code():
    assert division_of_uscc("91440300708461136T").name == "深圳市"
    assert division_of_uscc("91110108551385082Q").name == "海淀区"
    with pytest.raises(ValueError):
        division_of_uscc("91110108551385082A")


def test_it_makes_valid_codes():
    code = make_uscc("91440106MA5ABCDE1")
    assert len(code) == 18 and uscc_is_valid(code)
    assert make_uscc("91350100m000100y4") == "91350100M000100Y43"
    with pytest.raises(ValueError, match="前17位长度不对"):
        make_uscc("9135")
    with pytest.raises(ValueError, match="含非法字符"):
        make_uscc("91350100M000100I4")


def test_it_maps_check_value_31_to_zero():
    # Find a body whose weighted sum is divisible by 31: its check character must be "0".
    body = next(
        f"9144010600000{n:04d}"
        for n in range(10_000)
        if uscc_check_char(f"9144010600000{n:04d}") == "0"
    )
    assert uscc_is_valid(body + "0")
