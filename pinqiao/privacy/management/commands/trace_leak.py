"""``manage.py trace_leak FILE`` (or ``--marker CODE`` read off a printout): the download record
behind a leaked résumé — a rendered PDF or an uploaded PDF or DOCX handed out watermarked —
who, which organisation, which résumé, when (RES-6; DB4401 7.3.3). Exits non-zero when the
file has no marker or no record matches."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pinqiao.core.audit import log_action
from pinqiao.privacy.selectors import download_for_marker
from pinqiao.privacy.watermark import read_marker


class Command(BaseCommand):
    help = "Name the download record behind a leaked résumé PDF or DOCX (RES-6)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="the leaked PDF or DOCX")
        parser.add_argument("--marker", help="a download number read off a printed copy")

    def handle(self, *args: Any, **options: Any) -> None:
        data = None
        if options["file"]:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"文件不存在：{path}")
            data = path.read_bytes()
            marker = read_marker(data)
            if marker is None:
                raise CommandError(
                    "文件中没有找到聘桥下载标记（不是平台下载的简历，或标记已被破坏）。")
        elif options["marker"]:
            marker = options["marker"].strip().lower()
        else:
            raise CommandError("请给出 PDF 或 DOCX 文件，或用 --marker 给出下载编号。")
        download = download_for_marker(marker=marker)
        if download is None:
            raise CommandError(f"没有与标记 {marker} 对应的下载记录。")
        access = download.access
        same = data is not None and hashlib.sha256(data).hexdigest() == download.sha256
        log_action(None, "privacy.leak_traced", download,
                   {"marker": marker, "file_unchanged": same, "access": access.pk})
        if data is None:
            integrity = "未提供文件"
        elif same:
            integrity = "与下载时的文件完全一致"
        else:
            integrity = "文件已被改动（标记仍在）"
        lines = [
            f"下载记录 #{download.pk}（标记 {marker}）",
            f"下载时间：{timezone.localtime(download.created_at):%Y-%m-%d %H:%M:%S %Z}",
            f"下载账号：{access.viewer.username}（用户 #{access.viewer_id}，"
            f"{access.viewer.get_role_display()}）",
            f"所属单位：{access.organisation.name}（统一社会信用代码 "
            f"{access.organisation.credit_code}，单位 #{access.organisation_id}）",
            f"简历：{access.resume.public_id}（求职者 #{access.resume.owner_id}）",
            f"IP 地址：{access.ip or '—'}",
            f"文件：{download.get_source_display()}；模板：{download.template or '—'}；"
            f"展示内容：{'、'.join(access.fields)}",
            f"文件校验：{integrity}",
        ]
        self.stdout.write("\n".join(lines))
