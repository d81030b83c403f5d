"""RET-3, DB4401 4.5.2: visitors' public pages and API answers come from memory until what they
show changes (a posting published, edited or removed, the operator's record), never a signed-in
visitor's page, nor one that carries a CSRF token or sets a cookie; ``/healthz`` answers from a
check at most a few seconds old. Through the real ASGI application and Django's handler."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import AnonymousUser
from django.core import signals
from django.core.asgi import get_asgi_application
from django.db import close_old_connections, connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from pinqiao.core.pagecache import (
    MARK_HEADER,
    HealthCheckCache,
    PublicCache,
    PublicCacheMiddleware,
    mark_public,
    public_version,
)
from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.orgs.models import Organisation
from pinqiao.search.testing import search_index  # noqa: F401

pytestmark = pytest.mark.django_db


def get(app: Any, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One GET through ``app`` as uvicorn hands it over; status, headers, text, queries run."""
    target, _sep, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": target, "raw_path": target.encode(),
             "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1"),
                         *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    sent: list[dict] = []
    received: list[bool] = []

    async def receive() -> dict:
        if received:  # Django listens for a disconnect until the answer is sent
            await asyncio.Event().wait()
        received.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    # As Django's own test clients do: a request must not close the test's connection (on
    # PostgreSQL that would end the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as captured:
            async_to_sync(app)(scope, receive, send)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    start = sent[0]
    return {"status": start["status"], "headers": dict(start["headers"]),
            "text": b"".join(m.get("body", b"") for m in sent[1:]).decode(),
            "queries": len(captured.captured_queries)}


@pytest.fixture
def app() -> PublicCache:
    return PublicCache(get_asgi_application(), ttl=60)


@pytest.fixture
def posting(recruiter: Any, employer: Any, search_index: Callable[[], int]) -> Any:  # noqa: F811
    made = published_posting(recruiter, employer, title="仓库管理员")
    search_index()
    return made


def test_a_visitor_gets_repeats_of_public_pages_from_memory(app: PublicCache,
                                                            posting: Any) -> None:
    for path in ("/", f"/jobs/{posting.pk}/", "/jobs/?q=仓库", "/api/v1/jobs/search?q=仓库"):
        first = get(app, path)
        again = get(app, path)
        assert first["status"] == again["status"] == 200, path
        assert again["text"] == first["text"] and again["queries"] == 0, path
        assert MARK_HEADER.lower().encode() not in first["headers"], path
    assert app.hits == 4
    assert "仓库管理员" in get(app, "/jobs/?q=仓库")["text"]


def test_a_pause_a_removal_and_an_organisations_new_name_show_at_once(
        app: PublicCache, posting: Any, recruiter: Any, reviewer: Any) -> None:
    page, api = f"/jobs/{posting.pk}/", "/api/v1/jobs/search?q=仓库"
    shown = get(app, page)["text"]
    assert json.loads(get(app, api)["text"])["total"] == 1
    version = public_version()
    services.posting_pause(actor=recruiter, posting=posting)
    assert public_version() > version
    paused = get(app, page)
    assert paused["queries"] > 0 and paused["text"] != shown
    services.posting_resume(actor=recruiter, posting=Posting.objects.get(pk=posting.pk))
    services.posting_remove(actor=otp_verified(reviewer),
                            posting=Posting.objects.get(pk=posting.pk), reason_code="fraud",
                            note="核查属实")
    assert Posting.objects.get(pk=posting.pk).status == PostingStatus.REMOVED
    assert get(app, page)["status"] == 404
    assert json.loads(get(app, api)["text"])["results"] == []  # re-checked at once
    other = published_posting(recruiter, posting.organisation, title="叉车司机",
                              work_content="驾驶叉车完成仓库货物的装卸和搬运。")
    assert posting.organisation.name in get(app, f"/jobs/{other.pk}/")["text"]
    hits = app.hits
    organisation = Organisation.objects.get(pk=posting.organisation_id)
    organisation.name = "广州聘桥示范物流有限公司"
    organisation.save()
    assert "广州聘桥示范物流有限公司" in get(app, f"/jobs/{other.pk}/")["text"]
    assert app.hits == hits


def test_signed_in_visitors_and_tokens_always_reach_django(
        app: PublicCache, posting: Any, seeker: Any) -> None:
    client = Client()
    client.force_login(seeker)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for path in ("/jobs/?q=仓库", f"/jobs/{posting.pk}/"):
        get(app, path)  # a visitor's copy is held
        signed_in = get(app, path, {"Cookie": cookie})
        assert signed_in["queries"] > 0
        assert seeker.display_name in signed_in["text"] or "退出" in signed_in["text"]
        assert MARK_HEADER.lower().encode() not in signed_in["headers"]
    for _n in range(2):
        token = get(app, "/api/v1/jobs/search?q=仓库", {"Authorization": "Bearer nonsense"})
        assert token["queries"] > 0
    get(app, "/", {"Cookie": "messages=abc"})
    get(app, "/", {"Cookie": "messages=abc"})
    assert app.hits == 0


def test_a_visitors_csrf_or_language_cookie_keeps_the_shared_answer(
        app: PublicCache, posting: Any) -> None:
    get(app, f"/jobs/{posting.pk}/")
    assert get(app, f"/jobs/{posting.pk}/", {"Cookie": "csrftoken=abc"})["queries"] == 0
    english = get(app, f"/jobs/{posting.pk}/", {"Cookie": "django_language=en"})
    assert english["queries"] > 0  # another language is another answer


def test_answers_that_carry_a_token_or_set_a_cookie_are_not_marked() -> None:
    factory = RequestFactory()

    def with_form(request: HttpRequest) -> HttpResponse:
        mark_public(request)
        return HttpResponse(get_token(request))

    def with_cookie(request: HttpRequest) -> HttpResponse:
        mark_public(request)
        response = HttpResponse("ok")
        response.set_cookie("seen", "1")
        return response

    def plain(request: HttpRequest) -> HttpResponse:
        mark_public(request)
        return HttpResponse("ok")

    def answer(view: Callable[[HttpRequest], HttpResponse]) -> HttpResponse:
        request = factory.get("/")
        request.user = AnonymousUser()
        return PublicCacheMiddleware(CsrfViewMiddleware(view))(request)

    assert MARK_HEADER not in answer(with_form)
    assert MARK_HEADER not in answer(with_cookie)
    assert answer(plain)[MARK_HEADER] == "1"


def test_the_answer_expires_after_its_time(posting: Any) -> None:
    app = PublicCache(get_asgi_application(), ttl=0.0001)
    get(app, f"/jobs/{posting.pk}/")
    assert get(app, f"/jobs/{posting.pk}/")["queries"] > 0
    assert (app.hits, app.misses) == (0, 2)


def test_healthz_answers_from_a_check_at_most_max_age_old(db: None) -> None:
    app = HealthCheckCache(get_asgi_application(), max_age=60)
    first = get(app, "/healthz")
    again = get(app, "/healthz")
    assert first["status"] == again["status"] == 200
    assert json.loads(again["text"]) == json.loads(first["text"])
    assert json.loads(again["text"])["database"] == "ok"
    assert first["queries"] > 0 and again["queries"] == 0
    assert b"age" in again["headers"]
    fresh = HealthCheckCache(get_asgi_application(), max_age=0.0001)
    get(fresh, "/healthz")
    assert get(fresh, "/healthz")["queries"] > 0


class _Counted:
    """A page marked public that takes ``seconds`` to render; counts the renders."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.renders = 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.renders += 1
        body = f"render {self.renders}".encode()
        await asyncio.sleep(self.seconds)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(MARK_HEADER.lower().encode(), b"1")]})
        await send({"type": "http.response.body", "body": body})


async def _visit(app: Any, path: str = "/") -> str:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"",
             "headers": [(b"host", b"127.0.0.1")]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return b"".join(m.get("body", b"") for m in sent[1:]).decode()


def test_visitors_asking_for_a_page_being_rendered_wait_for_that_one_render() -> None:
    async def scenario() -> tuple[list[str], list[str], int]:
        version = [1]
        page = _Counted()
        app = PublicCache(page, ttl=60, version=lambda: version[0])
        first = await asyncio.gather(*(_visit(app) for _n in range(20)))
        version[0] = 2  # a posting changed: every held page is stale at once
        second = await asyncio.gather(*(_visit(app) for _n in range(20)))
        return first, second, page.renders

    first, second, renders = asyncio.run(scenario())
    assert first == ["render 1"] * 20
    assert second == ["render 2"] * 20
    assert renders == 2


def test_an_ageing_answer_is_given_while_one_render_in_the_background_replaces_it() -> None:
    async def scenario() -> tuple[list[str], str, str, int]:
        page = _Counted(seconds=0.05)
        app = PublicCache(page, ttl=1.0, version=lambda: 1)
        await _visit(app)
        await asyncio.sleep(0.8)  # past three quarters of its time: given, and rendered again
        loop = asyncio.get_running_loop()
        started = loop.time()
        meanwhile = await asyncio.gather(*(_visit(app) for _n in range(10)))
        waited = loop.time() - started
        assert waited < page.seconds  # nobody waited for the render
        await asyncio.sleep(0.1)
        renewed = await _visit(app)
        await asyncio.sleep(1.1)  # past its whole time: never given, rendered for the visitor
        expired = await _visit(app)
        return meanwhile, renewed, expired, page.renders

    meanwhile, renewed, expired, renders = asyncio.run(scenario())
    assert meanwhile == ["render 1"] * 10
    assert renewed == "render 2"
    assert expired == "render 3" and renders == 3


def test_healthz_gives_the_last_answer_while_the_next_check_runs(db: None) -> None:
    checks: list[float] = []

    async def check(scope: dict, receive: Any, send: Any) -> None:
        checks.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": f'{{"n": {len(checks)}}}'.encode()})

    async def scenario() -> list[str]:
        app = HealthCheckCache(check, max_age=0.2)
        answers = [await _visit(app, "/healthz")]
        await asyncio.sleep(0.25)  # over max_age, under twice: the last answer, checked anew
        answers += await asyncio.gather(*(_visit(app, "/healthz") for _n in range(10)))
        await asyncio.sleep(0.1)
        answers.append(await _visit(app, "/healthz"))
        await asyncio.sleep(0.5)  # over twice max_age: waits for a new check
        answers.append(await _visit(app, "/healthz"))
        return answers

    answers = asyncio.run(scenario())
    assert answers == ['{"n": 1}'] * 11 + ['{"n": 2}', '{"n": 3}']
    assert len(checks) == 3
