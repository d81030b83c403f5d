"""Home page, health check and the staff landing page."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pinqiao.core.permissions import ROLE_PERMISSIONS, staff_required
from pinqiao.disclosure.selectors import licence_panel_for_operator


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
    """RET-3: database reachability and pending migrations; 503 when unhealthy."""
    report: dict[str, object] = {"status": "ok"}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
        report["pending_migrations"] = pending = _Migrations.pending(connection)
        if pending:
            report["status"] = "degraded"
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
