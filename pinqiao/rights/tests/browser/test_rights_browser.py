"""In Chromium (PRIV-4, PRIV-5, ACC-5): a seeker downloads their data — the ZIP holds their
résumé as JSON Resume and their applications — then closes the account. Their application stays,
anonymised, for the employer and the statistics; their phone and ID number can no longer be
found through log-in or any blind index; what the law requires to keep is restricted, with its
end date shown on the confirmation."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pinqiao.accounts.backends import find_user_by_identifier
from pinqiao.accounts.realname import id_number_index
from pinqiao.applications.models import Application
from pinqiao.applications.testing import applied, reinstall_data_migrations
from pinqiao.core.crypto import encrypt
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.rights import testing as rights_testing
from pinqiao.rights.models import Erasure
from pinqiao.rights.tests.test_erasure import ID_NUMBER, _blind_index_holders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(seeker: Any, recruiter: Any, org_reviewer: Any, settings: Any,
                tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    reinstall_data_migrations()
    rights_testing.install_data_rows()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    seeker.id_number_ciphertext = encrypt(ID_NUMBER, context="id_number")
    seeker.id_number_index = id_number_index(ID_NUMBER)
    seeker.save()
    return applied(seeker, published_posting(recruiter, employer))


def test_a_seeker_downloads_their_data_then_closes_the_account(
        page: Page, live_server: Any, seeker: Any, application: Any) -> None:
    from pinqiao.accounts.identity import phone_index

    login_password(page, seeker.test_phone)
    page.goto("/me/privacy/rights/")
    page.get_by_role("button", name="申请下载我的数据").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 ZIP 文件").click()
    archive = zipfile.ZipFile(download.value.path())
    resume = json.loads(archive.read("resume.json"))
    assert resume["$schema"].endswith("schema.json") and resume["basics"]["phone"]
    assert [a["posting"] for a in json.loads(archive.read("applications.json"))] == [
        application.posting.title]
    assert "README.txt" in archive.namelist()

    page.goto("/accounts/close/")
    page.get_by_label("请输入“确认注销”").fill("确认注销")
    page.get_by_role("button", name="确认注销").click()
    expect(page.get_by_role("heading", name="账号已注销")).to_be_visible()
    erasure = Erasure.objects.get(user=seeker)
    restricted = [i for i in erasure.items if i["action"] == "restricted"]
    assert restricted
    for item in restricted:
        expect(page.locator("#erasure-items")).to_contain_text(item["until"])
    expect(page.locator("#erasure-items tr[data-action=anonymised]")).to_contain_text("投递记录")

    kept = Application.objects.get(pk=application.pk)
    assert kept.stage == application.stage and kept.organisation_id == application.organisation_id
    assert find_user_by_identifier(seeker.test_phone) is None
    assert _blind_index_holders(phone_index(seeker.test_phone),
                                id_number_index(ID_NUMBER)) == []
    login_password(page, seeker.test_phone)
    expect(page.get_by_role("alert").first).to_be_visible()
    assert "/accounts/login/" in page.url
