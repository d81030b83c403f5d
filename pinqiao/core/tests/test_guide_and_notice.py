"""ACC-6: the registration notice (用户注册须知) before the sign-up form, for each role, and
the user guide (用户操作指引) with a section per role, linked from every page's footer."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "says"), [("/accounts/signup/", "求职服务永久免费"),
                                           ("/accounts/signup/recruiter/", "经办人身份证明")])
def test_the_registration_notice_comes_before_the_form(url: str, says: str) -> None:
    html = Client().get(url).content.decode()
    assert "用户注册须知" in html and says in html
    assert html.index('id="signup-notice"') < html.index('<form method="post"')


@pytest.mark.django_db
def test_the_guide_has_a_section_per_role_and_every_page_links_to_it() -> None:
    html = Client().get("/guide/").content.decode()
    for anchor in ("seeker", "recruiter", "agency", "staff"):
        assert f'id="{anchor}"' in html
    assert 'href="/guide/"' in Client().get("/jobs/").content.decode()
