"""Reports from users (TKT-1): a reason code and a note; the report lands in the review queue
with a risk that grows with the number of reporters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.moderation.models import REPORT_RISK, Report, ReportReason, ReviewItem
from pinqiao.moderation.services.reviews import review_item_open


@transaction.atomic
def report_create(*, reporter: Any, target: models.Model, reason: str, detail: str = "",
                  title: str = "", text: str = "") -> Report:
    """A user reports ``target`` with a reason code; the report lands in the review queue."""
    if not getattr(reporter, "is_authenticated", False):
        raise NotPermitted(_("请先登录后再举报。"))
    if reason not in ReportReason.values:
        raise ServiceError("invalid_reason", _("请选择举报原因。"),
                           fields={"reason": [_("请选择举报原因。")]})
    detail = (detail or "").strip()
    if len(detail) > 1000:
        raise ServiceError("too_long", _("补充说明最多 1000 字。"),
                           fields={"detail": [_("补充说明最多 1000 字。")]})
    content_type = ContentType.objects.get_for_model(target)
    if Report.objects.filter(reporter=reporter, content_type=content_type,
                             object_id=str(target.pk),
                             created_at__gte=timezone.now() - timedelta(days=1)).exists():
        raise ServiceError("already_reported", _("您已举报过该内容，平台正在核查，请勿重复举报。"),
                           status=429)
    report = Report.objects.create(reporter=reporter, content_type=content_type,
                                   object_id=str(target.pk), reason=reason, detail=detail)
    others = Report.objects.filter(content_type=content_type, object_id=str(target.pk)).count()
    risk = min(100, REPORT_RISK.get(reason, 30) + 5 * (others - 1))
    item = review_item_open(
        kind=ReviewItem.Kind.REPORT, target=target, title=title or str(target), text=text,
        reasons=[{"code": f"report.{reason}", "message": str(ReportReason(reason).label)}],
        risk=risk)
    report.review_item = item
    report.save(update_fields=["review_item"])
    log_action(reporter, "report.create", report, {"reason": reason, "target": str(target.pk)})
    return report
