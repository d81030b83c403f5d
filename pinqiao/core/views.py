"""Home page, health check and the staff landing page."""

from __future__ import annotations

from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache

from pinqiao.core import workspace
from pinqiao.core.permissions import ROLE_PERMISSIONS, Role, is_staff_role, staff_required
from pinqiao.disclosure.selectors import licence_panel_for_operator

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
    return render(request, "core/home.html", {"panel": licence_panel_for_operator()})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """RET-3: database reachability and pending migrations; 503 when unhealthy."""
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
