"""Home page, health check and the staff landing page."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as django_page_not_found

from pinqiao.core.permissions import ROLE_PERMISSIONS, staff_required
from pinqiao.disclosure.selectors import licence_panel_for_operator
from pinqiao.ops.selectors import task_health


def home(request: HttpRequest) -> HttpResponse:
    """The home page: search entry, the 「许可及监管」 panel (DISC-3) and fraud tips (DISC-6)."""
    return render(request, "core/home.html", {"panel": licence_panel_for_operator()})


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
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        report["pending_migrations"] = len(plan)
        if plan:
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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under ``/api/`` an address that matches no operation (``/jobs/null``)
    answers with the API's JSON error body, as the OpenAPI document says; pages keep theirs."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("请求的内容不存在。"), "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return django_page_not_found(request, exception)
