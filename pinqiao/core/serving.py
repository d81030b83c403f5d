"""The ASGI layers in front of Django (RET-3, DB4401 4.5.2; decision 0014).

``StaticFiles`` answers ``/static/`` from the collected files held in memory, before any
middleware or thread: the pre-compressed variant the client accepts (Brotli, gzip), ``ETag`` and
``304``, and a year's ``immutable`` caching for the content-hashed names. Anything it does not
hold goes on to Django.

``ConcurrencyLimit`` bounds the work a process accepts: at most ``active`` requests in Django at
once, at most ``queued`` more waiting (first come, first served), each for at most ``wait``
seconds. A request that finds the queue full, or waits too long, gets an immediate 503 with
``Retry-After`` — a Chinese page, or the API's JSON error body under ``/api/`` — instead of a
time-out. Each admitted request runs its synchronous code (Django's middleware and views) on one
of ``active`` long-lived threads, not on a thread made for it: asgiref starts and joins a thread
per request otherwise, and Django's database connections belong to their thread, so only fixed
threads can keep theirs open between requests (``CONN_MAX_AGE``) without leaking one per request.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import mimetypes
import re
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any

from asgiref.sync import ThreadSensitiveContext

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: ``name.0123456789ab.ext``: ManifestStaticFilesStorage's hashed names never change content.
_HASHED = re.compile(r"\.[0-9a-f]{12}\.[^/.]+$")
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
IMMUTABLE = b"public, max-age=31536000, immutable"
REVALIDATE = b"public, max-age=60"


@dataclass(frozen=True)
class _Variant:
    body: bytes
    encoding: str


@dataclass(frozen=True)
class _StaticFile:
    content_type: bytes
    etag: bytes
    last_modified: bytes
    cache_control: bytes
    variants: tuple[_Variant, ...]  # best first; the identity variant last

    def pick(self, accept_encoding: str) -> _Variant:
        for variant in self.variants:
            if not variant.encoding or variant.encoding in accept_encoding:
                return variant
        return self.variants[-1]


def _load(path: Path) -> _StaticFile:
    body = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript",
                                                            "application/json"):
        content_type += "; charset=utf-8"
    variants = [_Variant(compressed.read_bytes(), encoding)
                for encoding, suffix in _ENCODINGS
                if (compressed := path.with_name(path.name + suffix)).is_file()]
    variants = [v for v in variants if len(v.body) < len(body)]
    return _StaticFile(
        content_type=content_type.encode(),
        etag=f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'.encode(),
        last_modified=formatdate(path.stat().st_mtime, usegmt=True).encode(),
        cache_control=IMMUTABLE if _HASHED.search(path.name) else REVALIDATE,
        variants=(*variants, _Variant(body, "")))


class StaticFiles:
    """Serve the files under ``root`` at ``prefix`` from memory; pass everything else on."""

    def __init__(self, app: ASGIApp, *, root: Path, prefix: str = "/static/") -> None:
        self.app = app
        self.root = root.resolve()
        self.prefix = prefix
        self._files: dict[str, _StaticFile | None] = {}

    def _find(self, name: str) -> _StaticFile | None:
        if name in self._files:
            return self._files[name]
        path = (self.root / name).resolve()
        found = None
        if (path.is_relative_to(self.root) and path.is_file()
                and not path.name.endswith((".gz", ".br"))):
            found = _load(path)
        if found is not None or len(self._files) < 10_000:  # misses are remembered, bounded
            self._files[name] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix):
            return await self.app(scope, receive, send)
        found = self._find(path[len(self.prefix):])
        if found is None or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        variant = found.pick(headers.get(b"accept-encoding", b"").decode("latin-1"))
        common = [(b"cache-control", found.cache_control), (b"etag", found.etag),
                  (b"vary", b"Accept-Encoding"), (b"x-content-type-options", b"nosniff")]
        if headers.get(b"if-none-match") == found.etag:
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        response = [*common, (b"content-type", found.content_type),
                    (b"content-length", str(len(variant.body)).encode()),
                    (b"last-modified", found.last_modified)]
        if variant.encoding:
            response.append((b"content-encoding", variant.encoding.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else variant.body})


OVERLOAD_MESSAGE = "访问人数较多，服务器繁忙，请稍后再试。"
OVERLOAD_PAGE = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>服务繁忙 · 聘桥</title></head>
<body><main><h1>服务繁忙</h1>
<p>{OVERLOAD_MESSAGE}请稍等片刻后刷新本页；如果刚才在提交表单，请返回上一页再提交一次。</p>
<p><a href="/">返回聘桥首页</a></p></main></body></html>
""".encode()
OVERLOAD_JSON = json.dumps({"error": {"code": "overloaded", "message": OVERLOAD_MESSAGE,
                                      "fields": {}}}, ensure_ascii=False).encode()


class ConcurrencyLimit:
    """At most ``active`` requests in the application, each on one of ``active`` fixed threads;
    ``queued`` more waiting up to ``wait`` seconds each; the rest answered 503 at once
    (WebSocket connections are not counted)."""

    _names = itertools.count(1)

    def __init__(self, app: ASGIApp, *, active: int, queued: int, wait: float,
                 retry_after: int = 5) -> None:
        self.app = app
        self.active = active
        self.queued = queued
        self.wait = wait
        self.retry_after = str(retry_after).encode()
        self.running = 0
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None
        prefix = f"pinqiao-web-{next(self._names)}"
        self._threads = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=prefix)
                         for _n in range(active)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.active)
        if self._slots.locked():
            if self.waiting >= self.queued:
                return await self.refuse(scope, send)
            self.waiting += 1
            try:
                await asyncio.wait_for(self._slots.acquire(), self.wait)
            except TimeoutError:
                return await self.refuse(scope, send)
            finally:
                self.waiting -= 1
        else:
            await self._slots.acquire()
        self.running += 1
        thread = self._threads.pop()  # one is free for every slot taken
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.app(scope, receive, send)
        finally:
            self._threads.append(thread)
            self.running -= 1
            self._slots.release()

    async def refuse(self, scope: Scope, send: Send) -> None:
        api = scope.get("path", "").startswith("/api/")
        body = OVERLOAD_JSON if api else OVERLOAD_PAGE
        content_type = b"application/json" if api else b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"retry-after", self.retry_after), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})
