"""Masking of personal data on screen and in exports (PRIV-2).

Masked by default: every page and API shows these forms unless a selector that checks
permission decided otherwise.
"""


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
