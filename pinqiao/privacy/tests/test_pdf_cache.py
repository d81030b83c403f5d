"""Issue 15, item 7: a résumé's PDF is rendered once per version and cached (encrypted); every
download still gets its own watermark and hidden marker, so leak tracing names each one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from pinqiao.privacy.models import ResumeDownload
from pinqiao.privacy.testing import applied
from pinqiao.privacy.watermark import read_marker
from pinqiao.resumes import rendering, services
from pinqiao.resumes.testing import complete_resume

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count résumé renders (each still renders for real; the watermark overlay of each
    download is WeasyPrint too, and is not counted)."""
    cache.clear()
    counted: list[int] = []
    original = rendering.render_pdf

    def render_pdf(html: str) -> bytes:
        counted.append(1)
        return original(html)

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    return counted


def test_one_render_per_version_and_a_marker_per_download(
        user_client: Any, seeker: Any, employer: Any, recruiter: Any,
        renders: list[int]) -> None:
    resume = complete_resume(seeker)
    applied(seeker, employer)
    web = user_client(recruiter)
    url = reverse("privacy:recruiter_resume_pdf", args=[resume.public_id])
    first, second = web.get(url), web.get(url)
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1
    markers = {read_marker(first.content), read_marker(second.content)}
    assert markers == set(ResumeDownload.objects.values_list("marker", flat=True))
    assert len(markers) == 2

    # A new version of the résumé is rendered again; another template too.
    services.resume_update(actor=seeker, resume=resume,
                           data={"self_introduction": "十年仓储经验，熟悉冷链物流。"})
    assert web.get(url).status_code == 200 and len(renders) == 2
    assert web.get(url + "?template=business").status_code == 200 and len(renders) == 3
    assert web.get(url + "?template=business").status_code == 200 and len(renders) == 3


def test_the_cached_pdf_is_kept_encrypted(seeker: Any, renders: list[int]) -> None:
    resume = complete_resume(seeker)
    pdf = rendering.resume_pdf(resume)
    assert pdf.startswith(b"%PDF")
    stored = [value for value in cache._cache.values()  # LocMemCache keeps pickled values
              if isinstance(value, bytes)]
    assert stored and not any(b"%PDF" in value for value in stored)
    assert rendering.resume_pdf(resume) == pdf and len(renders) == 1
