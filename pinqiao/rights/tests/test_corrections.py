"""PRIV-5: a correction made through the normal edit pages is a rights record — which fields
changed, when, by whom, the values masked — and the person sees it on their rights page."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.rights.corrections import mask_value
from pinqiao.rights.models import Correction

pytestmark = pytest.mark.django_db


def test_an_edit_through_the_resume_page_is_recorded_masked_and_shown(
        user_client: Any, seeker: Any) -> None:
    client = user_client(seeker)
    assert client.post("/me/resume/basic/", {"full_name": "李雷", "gender": "male",
                                             "birth_date": "1995-01-01"}).status_code == 302
    assert client.post("/me/resume/basic/", {"full_name": "韩梅梅", "gender": "female",
                                             "birth_date": "1995-01-01"}).status_code == 302
    assert client.post("/me/resume/contact/", {"phone": "13912340000",
                                               "email": "", "im": ""}).status_code == 302

    latest_name = Correction.objects.filter(user=seeker, source="简历基本信息").first()
    assert latest_name.actor == seeker
    changes = {c["field"]: c for c in latest_name.changes}
    assert changes["full_name"]["before"] == "李*" and changes["full_name"]["after"] == "韩**"
    assert "birth_date" not in changes  # unchanged fields are not recorded
    stored = str(list(Correction.objects.values_list("changes", flat=True)))
    assert "李雷" not in stored and "韩梅梅" not in stored and "13912340000" not in stored
    assert AuditEntry.objects.filter(verb="rights.correction_recorded").count() == 3

    page = client.get("/me/privacy/rights/").content.decode()
    assert "我的更正记录" in page and "简历联系方式" in page and "韩**" in page
    assert "139****0000" in page and "韩梅梅" not in page


def test_values_are_masked_by_kind() -> None:
    from datetime import date

    assert mask_value("birth_date", date(1990, 5, 6)) == "1990-**-**"
    assert mask_value("email_masked", "") == "（空）"
    assert mask_value("self_introduction", "我在广州做了五年仓库管理") == "我******"
