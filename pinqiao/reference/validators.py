"""Unified social credit code (统一社会信用代码, USCC) checks per GB 32100-2015 (ORG-1, ORG-9).

A USCC has 18 characters from ``0-9A-HJ-NPQRTUWXY`` (no I, O, Z, S, V):

====== ==========================================================
1      registration authority (登记管理部门), e.g. 9 市场监管, 5 民政
2      organisation type (机构类别) within that authority, e.g. 91 企业
3–8    division code of the registering authority (GB/T 2260)
9–17   organisation code (主体标识码, GB 11714 组织机构代码)
18     check character
====== ==========================================================

The check character: each of the first 17 characters has the value of its position in the
charset (0–30); multiply by the weights 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10,
30, 28, sum, and the check value is ``31 - sum % 31`` (31 becomes 0).

Input is normalised first: full-width characters folded (NFKC), whitespace removed, letters
upper-cased, so ``" 91350100m000100y43 "`` is accepted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pinqiao.reference import divisions

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: value for value, char in enumerate(CHARSET)}

#: GB 32100-2015 table 1: registration authorities and the organisation types each registers.
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体"}),
    "2": ("外交", {"1": "外国常驻新闻机构"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校"}),
    "8": ("工会", {"1": "基层工会"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织"},
    ),
    "Y": ("其他", {}),
}


@dataclass(frozen=True, slots=True)
class UsccInfo:
    """The parts of a valid USCC; the ``*_name`` fields are ``None`` for codes not in table 1."""

    code: str
    registration_authority: str
    registration_authority_name: str | None
    organisation_type: str
    organisation_type_name: str | None
    division_code: str
    organisation_code: str
    check_char: str


def normalise(code: str) -> str:
    """Fold full-width characters, drop whitespace and upper-case."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def _check_chars(code: str, length: int, what: str) -> None:
    if len(code) != length:
        raise ValueError(f"{what}长度不对：应为{length}位，实际为{len(code)}位")
    for position, char in enumerate(code, start=1):
        if char not in _VALUES:
            raise ValueError(
                f"{what}含非法字符：第{position}位“{char}”"
                "（只能是数字0-9和大写字母，且不含I、O、Z、S、V）"
            )


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters; ``ValueError`` if they are malformed."""
    body = normalise(first17)
    _check_chars(body, 17, "统一社会信用代码前17位")
    total = sum(_VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_uscc(first17: str) -> str:
    """A valid USCC made of the first 17 characters and their check character (test/demo data)."""
    return normalise(first17) + uscc_check_char(first17)


def uscc_parse(code: str) -> UsccInfo:
    """Split a USCC into its parts; ``ValueError`` with a Chinese message if it is invalid.

    The messages name the failure: 长度不对, 含非法字符 or 校验码错误 (ORG-1).
    """
    normalised = normalise(code)
    _check_chars(normalised, 18, "统一社会信用代码")
    expected = uscc_check_char(normalised[:17])
    if normalised[17] != expected:
        raise ValueError(
            f"统一社会信用代码校验码错误：第18位应为“{expected}”，实际为“{normalised[17]}”"
        )
    authority, org_type = normalised[0], normalised[1]
    authority_name, types = AUTHORITIES.get(authority, (None, {}))
    return UsccInfo(
        code=normalised,
        registration_authority=authority,
        registration_authority_name=authority_name,
        organisation_type=org_type,
        organisation_type_name=types.get(org_type),
        division_code=normalised[2:8],
        organisation_code=normalised[8:17],
        check_char=normalised[17],
    )


def uscc_is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed USCC with the right check character."""
    try:
        uscc_parse(code)
    except ValueError:
        return False
    return True


def division_of_uscc(code: str) -> divisions.Division | None:
    """The division of the registering authority, or ``None`` (national-level or unknown code).

    Raises ``ValueError`` if the code itself is invalid.
    """
    return divisions.get(uscc_parse(code).division_code)
