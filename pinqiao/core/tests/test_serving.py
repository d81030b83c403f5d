"""RET-3, DB4401 4.5.2: graceful under overload (a bounded queue, then a Chinese 503 page or the
API's JSON 503 with ``Retry-After``), static files served in front of Django (pre-compressed,
hashed names cached for a year, ``304`` on a matching ``ETag``), the ASGI application wired
with both."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pinqiao.core.serving import IMMUTABLE, REVALIDATE, ConcurrencyLimit, StaticFiles


def _scope(path: str, headers: dict[str, str] | None = None, method: str = "GET") -> dict:
    return {"type": "http", "method": method, "path": path,
            "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}


async def _call(app: Any, scope: dict) -> dict[str, Any]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    return {"status": start["status"], "headers": dict(start["headers"]),
            "body": b"".join(m.get("body", b"") for m in sent[1:])}


class _SlowApp:
    """Answers 200 once ``release`` is set; counts the requests it got."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.served = 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        await self.release.wait()
        self.served += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_beyond_the_queue_a_page_gets_a_chinese_503_and_the_api_a_json_503() -> None:
    async def scenario() -> tuple[dict, dict, list[dict]]:
        app = _SlowApp()
        limited = ConcurrencyLimit(app, active=1, queued=1, wait=5, retry_after=7)
        first = asyncio.create_task(_call(limited, _scope("/jobs/")))
        second = asyncio.create_task(_call(limited, _scope("/jobs/")))  # waits in the queue
        await asyncio.sleep(0.01)
        page = await _call(limited, _scope("/jobs/"))
        api = await _call(limited, _scope("/api/v1/jobs/search"))
        app.release.set()
        return page, api, [await first, await second]

    page, api, served = asyncio.run(scenario())
    assert page["status"] == 503
    assert page["headers"][b"retry-after"] == b"7"
    assert page["headers"][b"content-type"] == b"text/html; charset=utf-8"
    assert "服务器繁忙，请稍后再试" in page["body"].decode()
    assert api["status"] == 503
    assert api["headers"][b"retry-after"] == b"7"
    assert json.loads(api["body"])["error"]["code"] == "overloaded"
    assert [r["status"] for r in served] == [200, 200]


def test_a_request_that_waits_too_long_for_a_slot_gets_503_instead_of_a_time_out() -> None:
    async def scenario() -> tuple[dict, dict]:
        app = _SlowApp()
        limited = ConcurrencyLimit(app, active=1, queued=10, wait=0.05)
        first = asyncio.create_task(_call(limited, _scope("/")))
        await asyncio.sleep(0.01)
        waited = await _call(limited, _scope("/"))
        app.release.set()
        return waited, await first

    waited, first = asyncio.run(scenario())
    assert waited["status"] == 503
    assert first["status"] == 200


def test_slots_are_given_back_so_later_requests_are_served() -> None:
    async def scenario() -> list[int]:
        app = _SlowApp()
        app.release.set()
        limited = ConcurrencyLimit(app, active=2, queued=0, wait=1)
        results = [await _call(limited, _scope("/")) for _n in range(5)]
        return [r["status"] for r in results] + [limited.running, limited.waiting]

    assert asyncio.run(scenario()) == [200, 200, 200, 200, 200, 0, 0]


def _static(tmp_path: Path) -> tuple[StaticFiles, _SlowApp]:
    (tmp_path / "js").mkdir()
    body = b"console.log('htmx');" * 50
    (tmp_path / "js" / "htmx.0123456789ab.js").write_bytes(body)
    (tmp_path / "js" / "htmx.0123456789ab.js.br").write_bytes(b"brotli" * 3)
    (tmp_path / "js" / "htmx.0123456789ab.js.gz").write_bytes(b"gzip" * 5)
    (tmp_path / "js" / "htmx.js").write_bytes(body)
    (tmp_path.parent / "secret.txt").write_text("secret")
    downstream = _SlowApp()
    downstream.release.set()
    return StaticFiles(downstream, root=tmp_path, prefix="/static/"), downstream


def test_static_files_come_precompressed_and_hashed_names_are_cached_for_a_year(
        tmp_path: Path) -> None:
    app, downstream = _static(tmp_path)
    br = asyncio.run(_call(app, _scope("/static/js/htmx.0123456789ab.js",
                                       {"Accept-Encoding": "gzip, deflate, br"})))
    gz = asyncio.run(_call(app, _scope("/static/js/htmx.0123456789ab.js",
                                       {"Accept-Encoding": "gzip"})))
    plain = asyncio.run(_call(app, _scope("/static/js/htmx.js")))
    assert (br["status"], br["body"], br["headers"][b"content-encoding"]) == (
        200, b"brotli" * 3, b"br")
    assert br["headers"][b"cache-control"] == IMMUTABLE
    assert br["headers"][b"content-type"].startswith(b"text/javascript")
    assert br["headers"][b"vary"] == b"Accept-Encoding"
    assert gz["headers"][b"content-encoding"] == b"gzip"
    assert b"content-encoding" not in plain["headers"]
    assert plain["headers"][b"cache-control"] == REVALIDATE
    assert plain["headers"][b"content-length"] == str(len(plain["body"])).encode()
    assert downstream.served == 0


def test_a_matching_etag_gets_304_and_head_gets_no_body(tmp_path: Path) -> None:
    app, _downstream = _static(tmp_path)
    first = asyncio.run(_call(app, _scope("/static/js/htmx.js")))
    again = asyncio.run(_call(app, _scope("/static/js/htmx.js",
                                          {"If-None-Match": first["headers"][b"etag"].decode()})))
    head = asyncio.run(_call(app, _scope("/static/js/htmx.js", method="HEAD")))
    assert (again["status"], again["body"]) == (304, b"")
    assert (head["status"], head["body"]) == (200, b"")
    assert head["headers"][b"content-length"] == first["headers"][b"content-length"]


def test_unknown_files_and_paths_outside_the_root_go_on_to_django(tmp_path: Path) -> None:
    app, downstream = _static(tmp_path)
    for path in ("/static/nothing.js", "/static/../secret.txt", "/static/js/htmx.js.br",
                 "/jobs/"):
        assert asyncio.run(_call(app, _scope(path)))["body"] == b"ok"
    assert downstream.served == 4


def test_the_asgi_application_serves_static_files_before_django_and_limits_requests() -> None:
    from pinqiao.asgi import application
    from pinqiao.core.pagecache import HealthCheckCache, PublicCache

    http = application.application_mapping["http"]
    assert isinstance(http, StaticFiles)
    assert isinstance(http.app, HealthCheckCache)
    assert isinstance(http.app.app, PublicCache)
    assert isinstance(http.app.app.app, ConcurrencyLimit)


def test_requests_run_on_the_same_few_threads_so_database_connections_last() -> None:
    import threading

    from asgiref.sync import sync_to_async

    seen: list[int] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        seen.append(await sync_to_async(threading.get_ident)())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def scenario() -> None:
        limited = ConcurrencyLimit(app, active=2, queued=50, wait=5)
        for _round in range(5):
            await asyncio.gather(*(_call(limited, _scope("/")) for _n in range(6)))

    asyncio.run(scenario())
    assert len(seen) == 30
    assert len(set(seen)) == 2
    assert threading.get_ident() not in seen
