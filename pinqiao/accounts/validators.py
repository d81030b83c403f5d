"""Password rules beyond Django's: letters and digits both present (ACC-3)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    def validate(self, password: str, user: object = None) -> None:
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_weak")

    def get_help_text(self) -> str:
        return _("密码必须同时包含字母和数字。")
