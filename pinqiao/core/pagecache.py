"""Public pages and API answers for visitors, and the health check, answered from process memory
(RET-3, DB4401 4.5.2; decision 0014).

``PublicCache`` is an ASGI layer in front of Django. A view that shows only public content (the
home page, a posting page, the job search page and API) marks its response with
``mark_public(request)``; ``PublicCacheMiddleware`` (the outermost middleware) turns the mark
into a private header only when the answer is really the same for every visitor: a GET, status
200, nobody signed in, no cookie set — which also leaves out every page that renders a CSRF
token (a form's token carries the visitor's secret, and Django sends the CSRF cookie with it).
The layer keeps such an answer for ``ttl`` seconds under the request's path,
query, host, language and htmx headers and the **public content version**, and answers the
same request from memory without entering Django. Once an answer is three quarters of its time
old, the next request for it still gets it while one request in the background renders it
again (so a page asked for all the time is never older than ``ttl``); when the
version changes (or nothing is held), one request renders and the others for the same address
wait for its answer. Without both, every open connection of a process asked Django for the
same page whenever it expired, and waited behind all the others (docs/benchmarks.md, "Web
tier", fourth pass). A request with a cookie other than the CSRF
or language cookie (a session, flash messages) or with ``Authorization`` always goes to Django,
and nothing of it is kept: personal data is never held.

The public content version is a counter in the cache, raised (at once and again on commit) by
every save or delete of what these pages show: postings and their versions, organisations and
their licences, sanctions (risk labels, hidden content), the operator's disclosure record,
its services and legal documents, and by every posting status change. With Redis
(``REDIS_URL``) every process and machine sees the new version at once; with the local-memory
cache a change made in another process (the task worker) is seen within ``ttl`` seconds, which
also bounds what depends on the clock (expiry dates, sanctions ending).

``HealthCheckCache`` answers ``/healthz`` from the last real check (the view, with its
database query and task-queue figures) for ``max_age`` seconds; then one check at a time runs
in the background while the last answer (with its ``Age``) is still given, up to twice
``max_age``; beyond that, requests wait for the running check's answer. It writes nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from pinqiao.core.serving import ASGIApp, Receive, Scope, Send

VERSION_KEY = "pinqiao:public-version"
MARK_HEADER = "X-Pinqiao-Public"
_MARK = MARK_HEADER.lower().encode()
#: Request headers that select a different answer for the same address.
_KEY_HEADERS = (b"host", b"accept-language", b"hx-request", b"hx-target", b"hx-trigger")
#: Cookies that do not change a public answer; any other cookie sends the request to Django.
_NEUTRAL_COOKIES = frozenset(("csrftoken",))
#: Models whose rows the public pages show; a save or delete raises the version.
PUBLIC_MODELS = ("jobs.Posting", "jobs.PostingVersion", "orgs.Organisation", "orgs.Licence",
                 "moderation.Sanction", "disclosure.OperatorProfile",
                 "disclosure.ServiceOffering", "disclosure.LegalDocument")


# --- the public content version -------------------------------------------------------------

def public_version() -> int:
    return cache.get(VERSION_KEY, 0)


def public_changed(*_args: object, **_kwargs: object) -> None:
    """Signal receiver: every held public answer is stale. Raised now and again after the
    commit (a request may have rendered the old rows in between)."""
    _raise_version()
    transaction.on_commit(_raise_version)


def _raise_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        cache.set(VERSION_KEY, 1, timeout=None)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from pinqiao.jobs.signals import posting_status_changed

    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(public_changed, sender=model, dispatch_uid=f"public.{label}.save")
        post_delete.connect(public_changed, sender=model, dispatch_uid=f"public.{label}.del")
    posting_status_changed.connect(public_changed, dispatch_uid="public.posting_status")


# --- marking in Django ----------------------------------------------------------------------

def mark_public(request: HttpRequest) -> None:
    """This view's answer shows only public content (the middleware checks the rest)."""
    request.public_answer = True  # type: ignore[attr-defined]


class PublicCacheMiddleware:
    """Outermost: sees the final response, cookies included, and marks it for the layer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (getattr(request, "public_answer", False) and request.method == "GET"
                and response.status_code == 200 and not response.cookies
                and not response.streaming and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and not request.user.is_authenticated):
            response[MARK_HEADER] = "1"
        return response


# --- the ASGI layers ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Answer:
    version: int
    made: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _cookies(headers: MutableMapping[bytes, bytes]) -> dict[str, str] | None:
    raw = headers.get(b"cookie")
    if not raw:
        return {}
    try:
        parsed = SimpleCookie(raw.decode("latin-1"))
    except Exception:  # an unparsable cookie header: let Django deal with it
        return None
    return {name: morsel.value for name, morsel in parsed.items()}


def _request_once() -> Receive:
    sent = False

    async def receive() -> MutableMapping[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    return receive


class PublicCache:
    """Hold the marked answers for visitors; answer repeats from memory (see the module)."""

    def __init__(self, app: ASGIApp, *, ttl: float, entries: int = 2000,
                 largest: int = 1 << 20, version: Callable[[], int] = public_version) -> None:
        self.app = app
        self.ttl = ttl
        self.entries = entries
        self.largest = largest
        self.version = version
        self._held: OrderedDict[tuple, _Answer] = OrderedDict()
        #: Keys being rendered, and what waits for them (the background renders kept alive).
        self._rendering: dict[tuple, asyncio.Future] = {}
        self._background: set[asyncio.Task] = set()
        self.hits = self.misses = 0

    def _key(self, scope: Scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.ttl <= 0:
            return None
        headers = dict(scope["headers"])
        if b"authorization" in headers:
            return None
        cookies = _cookies(headers)
        language = settings.LANGUAGE_COOKIE_NAME
        if cookies is None or set(cookies) - _NEUTRAL_COOKIES - {language}:
            return None
        return (scope["path"], scope.get("query_string", b""), cookies.get(language, ""),
                *(headers.get(name, b"") for name in _KEY_HEADERS))

    def _usable(self, key: tuple, version: int) -> _Answer | None:
        """The held answer if it shows ``version`` and is younger than ``ttl``."""
        held = self._held.get(key)
        if held is None or held.version != version or time.monotonic() - held.made >= self.ttl:
            return None
        return held

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            return await self.app(scope, receive, _unmarked(send))
        version = self.version()
        held = self._usable(key, version)
        if held is None and key in self._rendering:  # the same page is being rendered
            await asyncio.shield(self._rendering[key])
            version = self.version()
            held = self._usable(key, version)
        if held is None:
            self.misses += 1
            return await self._render(key, version, scope, receive, send, self._claim(key))
        self.hits += 1
        self._held.move_to_end(key)
        if time.monotonic() - held.made >= self.ttl * 0.75 and (claim := self._claim(key)):
            task = asyncio.get_running_loop().create_task(
                self._render(key, version, dict(scope), _request_once(), _discard, claim))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        await send({"type": "http.response.start", "status": held.status,
                    "headers": held.headers})
        await send({"type": "http.response.body", "body": held.body})

    def _claim(self, key: tuple) -> asyncio.Future | None:
        """Mark ``key`` as being rendered (the others asking for it wait), unless it is."""
        if key in self._rendering:
            return None
        claim = self._rendering[key] = asyncio.get_running_loop().create_future()
        return claim

    async def _render(self, key: tuple, version: int, scope: Scope, receive: Receive,
                      send: Send, claim: asyncio.Future | None) -> None:
        """Django's answer to this request, sent on, and kept when marked; ``claim`` (this
        request's mark on ``key``) is settled at the end."""
        made = time.monotonic()
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                marked = any(name.lower() == _MARK for name, _value in headers)
                headers = [(n, v) for n, v in headers if n.lower() != _MARK]
                message = {**message, "headers": headers}
                if marked and not any(n.lower() == b"set-cookie" for n, _v in headers):
                    start.update(message)
            elif message["type"] == "http.response.body" and start:
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and sum(map(len, chunks)) <= self.largest:
                    self._keep(key, _Answer(version, made, start["status"], start["headers"],
                                            b"".join(chunks)))
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            if claim is not None:
                del self._rendering[key]
                claim.set_result(None)

    def _keep(self, key: tuple, answer: _Answer) -> None:
        self._held[key] = answer
        self._held.move_to_end(key)
        while len(self._held) > self.entries:
            self._held.popitem(last=False)


async def _discard(_message: MutableMapping[str, Any]) -> None:
    """``send`` of a request made by the layer itself: the answer is only kept."""


def _unmarked(send: Send) -> Send:
    """Drop the mark from an answer the layer does not keep."""

    async def forward(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [(n, v) for n, v in message.get("headers", [])
                                              if n.lower() != _MARK]}
        await send(message)

    return forward


class HealthCheckCache:
    """``/healthz`` from the last real check, refreshed once ``max_age`` seconds old, never
    given when twice that (see the module)."""

    def __init__(self, app: ASGIApp, *, path: str = "/healthz", max_age: float = 2.0) -> None:
        self.app = app
        self.path = path
        self.max_age = max_age
        self._last: tuple[float, dict[str, Any], bytes] | None = None
        self._checking: asyncio.Task | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != self.path
                or scope["method"] not in ("GET", "HEAD") or self.max_age <= 0):
            return await self.app(scope, receive, send)
        last = self._last
        age = None if last is None else time.monotonic() - last[0]
        if age is None or age >= self.max_age:
            if self._checking is None:
                self._checking = asyncio.get_running_loop().create_task(self._check(scope))
            if age is None or age >= 2 * self.max_age:  # too old to give: wait for the check
                checking = self._checking
                try:
                    answer = await asyncio.shield(checking)
                except Exception:  # the check itself failed: this request asks Django
                    return await self.app(scope, receive, send)
                return await self._send(scope, send, *answer)
        checked, start, body = last
        await self._send(scope, send, {**start, "headers": [
            *start["headers"], (b"age", str(int(time.monotonic() - checked)).encode())]}, body)

    @staticmethod
    async def _send(scope: Scope, send: Send, start: dict[str, Any], body: bytes) -> None:
        await send(start)
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})

    async def _check(self, scope: Scope) -> tuple[dict[str, Any], bytes]:
        """One real check through Django; its answer, kept when it is the check's own JSON."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app({**scope, "method": "GET"}, _request_once(), keep)
            body = b"".join(chunks)
            headers = {name.lower(): value for name, value in start.get("headers", [])}
            # Only the check's own JSON answer is shared (not, say, the overload page).
            if headers.get(b"content-type", b"").startswith(b"application/json"):
                self._last = (time.monotonic(), start, body)
            return start, body
        finally:
            self._checking = None
