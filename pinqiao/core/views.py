"""Home page, health check and the staff landing page."""

from __future__ import annotations

from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache

from pinqiao.core import workspace
from pinqiao.core.pagecache import mark_public
from pinqiao.core.permissions import ROLE_PERMISSIONS, Role, is_staff_role, staff_required
from pinqiao.disclosure.selectors import licence_panel_for_operator
from pinqiao.ops.selectors import task_health

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


def home(request: HttpRequest) -> HttpResponse:
    """The home page: search entry, the 「许可及监管」 panel (DISC-3) and fraud tips (DISC-6).
    Signed in, each role lands on its own workspace (issue 15): the seeker's home, the
    recruiter's 工作台, the staff's queues."""
    user = request.user
    if user.is_authenticated and is_staff_role(user.role):
        return redirect("core:staff_home")
    if user.is_authenticated and user.role == Role.SEEKER:
        return render(request, "core/seeker_home.html", {
            **workspace.seeker_workspace(seeker=user), "panel": licence_panel_for_operator()})
    if user.is_authenticated and user.role == Role.RECRUITER:
        return render(request, "core/recruiter_home.html", {
            **workspace.recruiter_workspace(user=user), "panel": licence_panel_for_operator()})
    mark_public(request)
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


def guide(request: HttpRequest) -> HttpResponse:
    """ACC-6: the user guide (用户操作指引), one section per role."""
    return render(request, "core/guide.html")


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff landing page; the links shown follow the role's permissions."""
    return render(request, "core/staff_home.html",
                  {"perms_granted": ROLE_PERMISSIONS.get(request.user.role, frozenset())})


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """``/favicon.ico``: browsers ask for it at the root whatever the page links to."""
    return FileResponse(open(FAVICON, "rb"), content_type="image/x-icon")
