"""Masking of personal data on screen and in exports (PRIV-2).

Masked by default: every page and API shows these forms unless a selector that checks
permission decided otherwise.
"""

import re


def mask_phone(phone: str) -> str:
    """138****1234 for mainland mobiles; keeps the first 3 and last 4 digits."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(id_number: str) -> str:
    """1101**********1234: keeps the first 4 and the last 4 characters."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def mask_email(email: str) -> str:
    """z***@example.com: keeps the first character of the local part and the domain."""
    local, sep, domain = email.partition("@")
    if not sep:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """张*, 欧阳** : keeps the first character (the family name in most cases)."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


# --- free text (extracted from uploaded files) ----------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
#: ID numbers (18 characters, the last may be X; the old 15-digit form) and bank cards: any
#: run of 15 to 19 digits.
_LONG_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{14,18}[\dXx](?![\dA-Za-z])")
#: Mainland mobiles with an optional +86 and spaces or dashes between the digits.
_MOBILE = re.compile(r"(?<!\d)(?P<prefix>(?:\+|00)?86[\s\-]?)?(?P<number>1[3-9]\d(?:[\s\-]?\d){8})"
                     r"(?!\d)")
#: Landlines: area code 0xx or 0xxx (possibly in brackets), then 7 or 8 digits.
_LANDLINE = re.compile(r"(?<!\d)(?P<number>[(（]?0\d{2,3}[)）]?[\s\-]?\d{7,8})(?!\d)")
#: An IM handle after its label: 微信：abc123, QQ 12345678, wx: abc_def.
_IM = re.compile(r"(?<![A-Za-z])(?P<label>微信号?|WeChat|weixin|QQ号?|wx|vx)"
                 r"(?P<gap>\s*[:：]?\s*)(?P<handle>[A-Za-z0-9_\-]{5,20})", re.IGNORECASE)


#: Full-width digits, letters and ＋－．＠＿ read as ASCII (not the Chinese punctuation ：，).
_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                  *range(0xFF41, 0xFF5B), 0xFF0B, 0xFF0D,
                                                  0xFF0E, 0xFF20, 0xFF3F)}


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def mask_contacts_in_text(text: str) -> str:
    """``text`` with e-mail addresses, ID and bank-card numbers, phone numbers and labelled IM
    handles replaced by their masked forms (z***@example.com, 1101**********1234, 138****5678,
    微信：w***); full-width digits and letters are read as ASCII first. Used on text extracted from
    uploaded résumés, which nobody typed into a field: the contact details a seeker enters in
    the résumé's own fields are encrypted and released by consent instead."""
    text = text.translate(_HALF_WIDTH)
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    text = _LONG_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: (m.group("prefix") or "") + mask_phone(_digits(m.group("number"))),
                       text)
    text = _LANDLINE.sub(lambda m: mask_phone(_digits(m.group("number"))), text)
    return _IM.sub(lambda m: f"{m.group('label')}{m.group('gap')}{m.group('handle')[:1]}***", text)
