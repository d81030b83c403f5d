"""Home page, health check and the staff landing page."""

from __future__ import annotations

import sys

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error

from pinqiao.core.busy import busy_response, is_database_refusal
from pinqiao.core.permissions import ROLE_PERMISSIONS, staff_required
from pinqiao.disclosure.selectors import licence_panel_for_operator
from pinqiao.ops.selectors import task_health


def home(request: HttpRequest) -> HttpResponse:
    """The home page: search entry, the 「许可及监管」 panel (DISC-3) and fraud tips (DISC-6)."""
    return render(request, "core/home.html", {"panel": licence_panel_for_operator()})


class _Migrations:
    """Whether this process's code has migrations the database lacks. Loading the migration
    graph costs more than the rest of the health check, and once everything is applied it
    stays applied for the life of the process (its code does not change), so the check runs
    at the process's first health check and again only while something is pending."""

    all_applied = False

    @classmethod
    def pending(cls, connection: BaseDatabaseWrapper) -> int:
        if cls.all_applied:
            return 0
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        cls.all_applied = pending == 0
        return pending


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """RET-3: database reachability and pending migrations (503 when unhealthy), and the task
    queue's health: depth, age of the oldest pending task, stuck tasks (reported, not fatal)."""
    report: dict[str, object] = {"status": "ok"}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
        report["pending_migrations"] = pending = _Migrations.pending(connection)
        if pending:
            report["status"] = "degraded"
        report["tasks"] = task_health().as_dict()
    except Exception as exc:  # any database failure makes the service unhealthy
        report["database"] = f"error: {type(exc).__name__}"
        report["status"] = "error"
    status = 200 if report["status"] == "ok" else 503
    return JsonResponse(report, status=status)


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff landing page; the links shown follow the role's permissions."""
    return render(request, "core/staff_home.html",
                  {"perms_granted": ROLE_PERMISSIONS.get(request.user.role, frozenset())})


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an error raised outside a view (in a middleware: the session save, the
    token lookup) that is a database refusal is a 503 too, not a 500."""
    exc = sys.exc_info()[1]
    if is_database_refusal(exc):
        return busy_response(request, exc)
    return django_server_error(request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under ``/api/`` an address that matches no operation (``/jobs/null``)
    answers with the API's JSON error body, as the OpenAPI document says; pages keep theirs."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("请求的内容不存在。"), "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return django_page_not_found(request, exception)
