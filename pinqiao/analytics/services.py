"""What changes data in the analytics app: the audit entries of every look at the figures and
of every export (issue 18 item 6: staff and regulator access audited; an export names its
reason). The rollups themselves are written by ``pinqiao.analytics.rollup``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from pinqiao.analytics import exports
from pinqiao.analytics.selectors import Filters, chart_table
from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm

#: An export's reason must say something.
MIN_REASON = 4


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    body: bytes


def figures_viewed(*, actor: Any, what: str, filters: Filters | None = None,
                   extra: dict[str, Any] | None = None) -> None:
    """Record that ``actor`` looked at a dashboard page, a drill-down list or the figures API
    (ANA-1; the access is audited like any staff access)."""
    require_perm(actor, "analytics.view")
    log_action(actor, "analytics.view", ("analytics.dashboard", what),
               {**(filters.as_params() if filters else {}), **(extra or {})})


def figures_export(*, actor: Any, chart: str, filters: Filters, fmt: str,
                   reason: str) -> Download:
    """One chart's table as CSV or XLSX, suppressed as drawn, with its reason audited."""
    require_perm(actor, "analytics.export")
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ServiceError("reason_required",
                           "请填写导出事由（至少 4 个字），例如「月度运营分析」。",
                           fields={"reason": ["请写明导出用途。"]})
    if fmt not in exports.FORMATS:
        raise ServiceError("invalid_format", "导出格式只能是 CSV 或 XLSX。",
                           fields={"format": ["请选择 CSV 或 XLSX。"]})
    table = chart_table(viewer=actor, chart=chart, filters=filters)
    body = exports.table_file(table, fmt=fmt, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d")
    log_action(actor, "analytics.export", ("analytics.chart", chart),
               {**filters.as_params(), "format": fmt, "reason": reason, "rows": len(table.rows)})
    return Download(f"pinqiao-{chart}-{filters.start}-{filters.end}-{stamp}.{fmt}",
                    exports.FORMATS[fmt], body)
