"""Staff pages: task health (RET-3) and the maintenance log (SEC-5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pinqiao.core.permissions import staff_required
from pinqiao.ops import selectors
from pinqiao.ops.models import MaintenanceKind


@staff_required("view.audit")
def task_health_view(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/task_health.html", {
        "health": selectors.task_health(),
        "stuck": selectors.stuck_tasks(viewer=request.user),
        "alert_seconds": selectors.PENDING_AGE_ALERT_SECONDS,
    })


@staff_required()
def audit_checkpoints_view(request: HttpRequest) -> HttpResponse:
    body, verdict = selectors.audit_checkpoints_export(viewer=request.user)
    response = HttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-checkpoints.jsonl"'
    response["X-Audit-Chain"] = verdict
    return response


@staff_required("view.login_log")
def maintenance_log_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in MaintenanceKind.values:
        kind = ""
    page_number = request.GET.get("page", "1")
    page = selectors.maintenance_log(viewer=request.user, kind=kind,
                                     page=int(page_number) if page_number.isdigit() else 1)
    return render(request, "ops/maintenance_log.html",
                  {"page": page, "kind": kind, "kinds": MaintenanceKind.choices})
