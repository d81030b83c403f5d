"""The all-pages crawler behind ``test_crawl.py``: follow every same-site link a role can reach
from its home page, the navigation and the argument-free routes of the URLconf, and report each
page that answers 5xx, shows English outside an allow-list, or shows a raw code.

Only GET requests; every request carries ``Accept-Language: en-US`` like an English browser.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

#: Brand names, technical terms and abbreviations a Chinese page may show in Latin letters.
ALLOWED_WORDS = frozenset(w.lower() for w in re.split(r"\s+", """
    Pinqiao PDF ICP ID HR IM QQ APP App TOTP API AI IT CEO CTO HRBP KPI OKR SaaS B2B O2O
    Java Python Django Flask SQL MySQL PostgreSQL Redis Git Linux Excel Word PPT Office CAD
    JavaScript TypeScript Vue React Go Golang Kafka Kubernetes Docker Spring Boot C PHP Node js
    iOS Android UI UX Photoshop Figma SEO SEM Web HTML CSS Nginx Hadoop Spark Scala Rust
    Unity Elasticsearch MongoDB Oracle ERP SAP CRM BI Tableau Shell Selenium Jmeter QA
    AutoCAD C++ CNC DevOps NET PLC PMC SolidWorks Axure Illustrator Premiere Sketch
    JSON JPEG JPG PNG ZIP MB KB docx doc CSV GB IP ics vs ok A B C D
    SimHash AES GCM HMAC SHA URL Ctrl""".strip()))
#: What a raw code looks like: snake_case or dotted identifiers, and time-zone names.
RAW_CODE = re.compile(
    r"\b[a-z]+(?:[._][a-z0-9]+)+\b|\b(?:Asia|Europe|America)/[A-Za-z_]+\b|\bUTC\b(?![+-])")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z+#]*")
#: Removed before looking for words: e-mail addresses (masked too), URLs, host names, template
#: placeholders shown to template editors ({{ user.display_name }}), requirement and clause
#: numbers (PRIV-1, DB4401) and other code numbers.
NOT_WORDS = re.compile(
    r"[\w.+*-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\b[\w-]+\.example\b|\{\{.*?\}\}"
    r"|\b[A-Z]{2,5}-\d+\b|\bUTC[+-]\d\d:\d\d|\S*\*\*\*\S*|JSON Resume|\b\w*\d\w*\b")
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/healthz", "/accounts/logout/")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


#: Elements whose text is code or data on purpose, not page language: what people typed
#: (``textarea``), code shown as code, and anything marked ``translate="no"`` (names, IDs, a
#: user's own entries such as a WeChat ID).
VOID_TAGS = ("input", "img", "br", "hr", "meta", "link", "source", "wbr")
DATA_TAGS = ("script", "style", "template", "textarea", "code", "pre", "kbd", "samp")


class _PageText(HTMLParser):
    """Visible text (text nodes outside code and data, plus labelling attributes) and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self._hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in VOID_TAGS and (tag in DATA_TAGS or values.get("translate") == "no"):
            self._hidden.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.chunks.append(values["value"] or "")
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.chunks.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.chunks.append(data.strip())


@dataclass
class Finding:
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.url}: {self.problem}"


@dataclass
class CrawlReport:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def page_problems(text: str, extra_allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words and raw codes in a page's visible ``text``."""
    problems = [f"raw code {code!r}" for code in sorted(set(RAW_CODE.findall(
        NOT_WORDS.sub(" ", text))))]
    allowed = ALLOWED_WORDS | extra_allowed
    words = {w for w in LATIN_WORD.findall(NOT_WORDS.sub(" ", text))
             if w.lower() not in allowed and w.lower().rstrip("s") not in allowed}
    problems += [f"English {word!r}" for word in sorted(words)]
    return problems


def argument_free_routes() -> list[str]:
    """Every page route of the URLconf that takes no argument."""
    routes: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route \
                    and "^" not in route:
                routes.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return [r for r in routes if not r.startswith(SKIP_PREFIXES)]


def crawl(client: Client, start: list[str], *, per_route: int = 3, limit: int = 400,
          extra_allowed: frozenset[str] = frozenset()) -> CrawlReport:
    """Breadth-first over same-site links from ``start``; at most ``per_route`` pages per named
    route (enough to see each template with different data) and ``limit`` pages in all."""
    report = CrawlReport()
    queue = deque(start)
    seen: set[str] = set()
    per_name: Counter[str] = Counter()
    while queue and len(report.visited) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen or parts.path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            name = parts.path
        if per_name[name] >= per_route:
            continue
        per_name[name] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        report.visited.append(url)
        if response.status_code >= 500:
            report.findings.append(Finding(url, f"status {response.status_code}"))
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(urljoin(url, response["Location"]))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _PageText()
        parser.feed(response.content.decode())
        for problem in page_problems("\n".join(parser.chunks), extra_allowed):
            report.findings.append(Finding(url, problem))
        for link in parser.links:
            if not link.startswith(("#", "mailto:", "tel:", "javascript:")):
                queue.append(urljoin(url, link))
    return report
