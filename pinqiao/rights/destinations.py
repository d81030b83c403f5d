"""Export destinations (PRIV-9; PIPL Arts. 23, 38–40, DB4401 7.4.4).

Every path that sends personal data off the platform names its destination and calls
``destination_check`` first: the person's own download, the credit-sharing and case-referral
exports to the authorities, a backup written to a directory, and any HTTP export. The check finds
an enabled, domestic row of ``ExportDestination`` that matches, or refuses with a clear error and
an audit entry. No destination abroad is listed by default; one can be recorded (to document a
request) but stays disabled, and the check refuses it: cross-border transfer needs a security
assessment or certification and separate consent, which the platform does not have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.rights.models import DestinationKind, DestinationRegion, ExportDestination

#: The fixed targets of the paths that have no address of their own.
SELF_DOWNLOAD = "self"
CREDIT_SHARING = "credit-sharing"
CASE_REFERRAL = "case-referral"


def _directory(target: str) -> Path:
    path = Path(target).expanduser()
    return (path if path.is_absolute() else Path(settings.BASE_DIR) / path).resolve()


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def normalise_target(kind: str, target: str) -> str:
    """The form a target is stored and compared in: a resolved directory, a URL's origin, or
    the channel name as given."""
    target = normalize_text(target or "").strip()
    if kind == DestinationKind.BACKUP and target:
        return str(_directory(target))
    if kind == DestinationKind.HTTP:
        return _origin(target)
    return target


def _matches(row: ExportDestination, kind: str, target: str) -> bool:
    if kind == DestinationKind.BACKUP:
        listed = _directory(row.target)
        return target == str(listed) or Path(target).is_relative_to(listed)
    return row.target == target


def _refuse(actor: Any, kind: str, target: str, what: str, code: str, message: str) -> None:
    log_action(actor, "rights.export_refused", None,
               {"kind": kind, "target": target[:200], "what": what, "reason": code})
    raise ServiceError(code, message, status=403)


def destination_check(*, kind: str, target: str, what: str, actor: Any = None
                      ) -> ExportDestination:
    """PRIV-9: the listed destination ``target`` of ``kind`` matches, or a refusal.

    Called before any personal data leaves; the refusal is audited in the caller's
    transaction (callers check before they open one)."""
    normal = normalise_target(kind, target)
    rows = [row for row in ExportDestination.objects.filter(kind=kind)
            if normal and _matches(row, kind, normal)]
    if not rows:
        shown = normal or target
        _refuse(actor, kind, shown, what, "export_destination_unlisted",
                _("导出目的地“%(target)s”不在个人信息导出目的地清单中，已拒绝导出。如确需导出，"
                  "请由运营负责人在“个人信息导出目的地”页登记后再试。") % {"target": shown})
    abroad = next((r for r in rows if r.region == DestinationRegion.ABROAD), None)
    if abroad is not None:
        _refuse(actor, kind, normal, what, "export_destination_abroad",
                _("“%(name)s”位于境外。向境外提供个人信息须通过安全评估或认证并取得个人的单独"
                  "同意（《个人信息保护法》第三十八至三十九条），平台未开通，已拒绝导出。")
                % {"name": abroad.name})
    enabled = next((r for r in rows if r.enabled), None)
    if enabled is None:
        _refuse(actor, kind, normal, what, "export_destination_disabled",
                _("导出目的地“%(name)s”已停用，已拒绝导出。") % {"name": rows[0].name})
    return enabled


def destination_record(*, actor: Any, kind: str, target: str, name: str, recipient: str,
                       region: str, basis: str) -> ExportDestination:
    """PRIV-9: list a destination. One abroad is recorded disabled and stays refused."""
    require_perm(actor, "retention.manage")
    errors: dict[str, list[str]] = {}
    if kind not in DestinationKind.values:
        errors["kind"] = [_("请选择导出途径。")]
    if region not in DestinationRegion.values:
        errors["region"] = [_("请选择所在地。")]
    normal = normalise_target(kind, target) if not errors else ""
    if not errors and not normal:
        errors["target"] = [_("请填写目的地：备份目录的路径，或接口地址（如 https://example.cn）。")
                            if kind in (DestinationKind.BACKUP, DestinationKind.HTTP)
                            else _("请填写报送渠道代号。")]
    text = {"name": normalize_text(name or "").strip()[:120],
            "recipient": normalize_text(recipient or "").strip()[:120],
            "basis": normalize_text(basis or "").strip()[:300]}
    for field, value in text.items():
        if not value:
            errors[field] = [_("请填写此项。")]
    if not errors and ExportDestination.objects.filter(kind=kind, target=normal).exists():
        errors["target"] = [_("该目的地已登记。")]
    if errors:
        raise ServiceError("invalid_destination", next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        destination = ExportDestination.objects.create(
            kind=kind, target=normal, region=region, recorded_by=actor,
            enabled=region == DestinationRegion.DOMESTIC, **text)
        log_action(actor, "rights.destination_recorded", destination,
                   {"kind": kind, "target": normal[:200], "region": region})
    return destination


def destination_set_enabled(*, actor: Any, destination_id: int, enabled: bool
                            ) -> ExportDestination:
    """Switch a destination off (or back on; one abroad cannot be switched on)."""
    require_perm(actor, "retention.manage")
    with transaction.atomic():
        destination = ExportDestination.objects.select_for_update().filter(
            pk=destination_id).first()
        if destination is None:
            raise NotFound(_("没有找到该导出目的地。"))
        if enabled and destination.region == DestinationRegion.ABROAD:
            raise ServiceError("export_destination_abroad",
                               _("境外目的地不能启用：平台未开通个人信息出境。"))
        destination.enabled = enabled
        destination.save(update_fields=["enabled"])
        log_action(actor, "rights.destination_enabled" if enabled
                   else "rights.destination_disabled", destination, {})
    return destination


def destinations_for_staff(*, viewer: Any) -> QuerySet[ExportDestination]:
    require_perm(viewer, "retention.manage")
    return ExportDestination.objects.select_related("recorded_by")
