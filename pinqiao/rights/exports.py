"""Download my data (PRIV-4; PIPL Art. 45): a background task builds a ZIP of JSON files, one
per registered exporter, with a README; the file is encrypted at rest and reachable only by its
owner through an unguessable link that expires. A second request while one is being built joins
it. Every request, download and refused download is audited."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt_bytes, encrypt_bytes
from pinqiao.core.errors import NotFound
from pinqiao.notifications.services import notify
from pinqiao.resumes.models import private_storage
from pinqiao.rights.destinations import SELF_DOWNLOAD, destination_check
from pinqiao.rights.models import (
    LIVE_EXPORT,
    DataExport,
    DestinationKind,
    ExportStatus,
    RequestKind,
    RequestStatus,
)
from pinqiao.rights.registry import EXPORTERS
from pinqiao.rights.requests import rights_request_open

LINK_VALID = timedelta(days=7)
EXPORT_CONTEXT = "data_export"


@dataclass(frozen=True)
class ExportRequested:
    export: DataExport
    joined: bool


def _live(user: Any) -> DataExport | None:
    return DataExport.objects.filter(user=user, status__in=LIVE_EXPORT).first()


def export_request(*, user: Any) -> ExportRequested:
    """PRIV-4: start building the person's data download, or join the one being built. The
    person's own download must be a listed destination (PRIV-9)."""
    destination_check(kind=DestinationKind.DATA_SUBJECT, target=SELF_DOWNLOAD,
                      what="data_export", actor=user)
    live = _live(user)
    if live is None:
        try:
            with transaction.atomic():
                request = rights_request_open(user=user, kind=RequestKind.COPY,
                                              status=RequestStatus.IN_PROGRESS)
                export = DataExport.objects.create(request=request, user=user,
                                                   token=secrets.token_urlsafe(32),
                                                   step=_("排队中"))
                log_action(user, "rights.export_requested", export, {"request": request.pk})
                transaction.on_commit(lambda: _enqueue(export.pk))
            return ExportRequested(export, joined=False)
        except IntegrityError:  # a parallel request created it first
            live = _live(user)
            if live is None:
                raise
    log_action(user, "rights.export_joined", live, {})
    return ExportRequested(live, joined=True)


def _enqueue(export_id: int) -> None:
    from pinqiao.rights.tasks import build_export

    build_export.enqueue(export_id)


def _progress(export: DataExport, *, status: str, progress: int, step: str) -> None:
    DataExport.objects.filter(pk=export.pk).update(status=status, progress=progress, step=step)


def _readme(user: Any, files: list[tuple[str, str]], now: Any) -> str:
    return render_to_string("rights/export_readme.txt", {
        "user": user, "files": files, "generated_at": timezone.localtime(now),
        "expires_at": timezone.localtime(now + LINK_VALID)})


def export_build(*, export_id: int) -> DataExport:
    """Run every exporter, showing progress, and store the encrypted ZIP (the task's body)."""
    export = DataExport.objects.select_related("user", "request").get(pk=export_id)
    if export.status not in LIVE_EXPORT:
        return export
    user = export.user
    exporters = list(EXPORTERS.values())
    buffer = io.BytesIO()
    files: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, exporter in enumerate(exporters):
                _progress(export, status=ExportStatus.RUNNING,
                          progress=int(90 * done / len(exporters)), step=str(exporter.title))
                data = exporter.collect(user)
                archive.writestr(exporter.filename, json.dumps(
                    data, ensure_ascii=False, indent=2, default=str))
                files.append((exporter.filename, str(exporter.title)))
            now = timezone.now()
            archive.writestr("README.txt", _readme(user, files, now))
    except Exception:
        _progress(export, status=ExportStatus.FAILED, progress=0, step=_("生成失败"))
        log_action(None, "rights.export_failed", export, {})
        raise
    blob = buffer.getvalue()
    name = private_storage.save(f"exports/{secrets.token_hex(16)}.bin",
                                ContentFile(encrypt_bytes(blob, context=EXPORT_CONTEXT)))
    try:
        with transaction.atomic():
            export.status, export.progress, export.step = ExportStatus.READY, 100, _("已完成")
            export.file, export.size = name, len(blob)
            export.sha256 = hashlib.sha256(blob).hexdigest()
            export.finished_at, export.expires_at = now, now + LINK_VALID
            export.save()
            request = export.request
            request.status, request.answered_at = RequestStatus.COMPLETED, now
            request.answer = _("已生成个人数据副本，下载链接有效期至 %(day)s。") % {
                "day": timezone.localtime(export.expires_at).strftime("%Y-%m-%d %H:%M")}
            request.save(update_fields=["status", "answered_at", "answer"])
            log_action(None, "rights.export_ready", export,
                       {"files": [f for f, _t in files], "sha256": export.sha256})
            notify(user, "data_export_ready",
                   {"expires_at": timezone.localtime(export.expires_at).strftime(
                       "%Y-%m-%d %H:%M")}, link="/me/privacy/rights/")
    except Exception:
        private_storage.delete(name)
        raise
    return export


def export_for_owner(*, user: Any, export_id: int) -> DataExport:
    """The owner's export (its progress); anyone else's is not found."""
    export = DataExport.objects.filter(pk=export_id, user=user).first()
    if export is None:
        raise NotFound(_("没有找到该数据下载。"))
    return export


def export_download(*, user: Any, token: str) -> tuple[DataExport, bytes]:
    """PRIV-4: the decrypted ZIP for its owner while the link is valid. Someone else's link,
    an expired one or an unknown one is a 404, and the refusal is audited."""
    export = DataExport.objects.filter(token=token).first()
    reason = ("unknown" if export is None else "not_owner" if export.user_id != user.pk
              else "expired" if export.is_expired or not export.file
              else "not_ready" if export.status != ExportStatus.READY else "")
    if reason:
        log_action(user, "rights.export_download_refused",
                   export if export is not None and reason != "not_owner"
                   else ("rights.dataexport", export.pk if export else ""),
                   {"reason": reason})
        raise NotFound(_("下载链接无效或已过期，请重新申请下载。"))
    destination_check(kind=DestinationKind.DATA_SUBJECT, target=SELF_DOWNLOAD,
                      what="data_export", actor=user)
    with private_storage.open(export.file, "rb") as handle:
        data = decrypt_bytes(handle.read(), context=EXPORT_CONTEXT)
    DataExport.objects.filter(pk=export.pk).update(downloads=export.downloads + 1)
    log_action(user, "rights.export_downloaded", export, {"sha256": export.sha256})
    return export, data


def export_files_delete(*, user: Any = None, expired_only: bool = False) -> int:
    """Delete stored export files (all of one person's, or every expired one)."""
    rows = DataExport.objects.exclude(file="")
    if user is not None:
        rows = rows.filter(user=user)
    if expired_only:
        rows = rows.filter(expires_at__lte=timezone.now())
    count = 0
    for export in rows:
        private_storage.delete(export.file)
        DataExport.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
