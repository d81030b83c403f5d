"""``{{ event.reason_code|posting_reason }}``: the Chinese label of a posting event's reason
code (issue 15: no raw codes such as ``submitted`` or ``screening.discrimination.age``)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from pinqiao.jobs.models import RemovalReason
from pinqiao.moderation.services import CATEGORY_LABELS

register = template.Library()

REASONS = {
    "submitted": _("提交审核"), "approved": _("审核通过"), "appeal": _("提出申诉"),
    "edited": _("修改后转为草稿"), "base_change": _("修改了关键信息，重新审核"),
    "edit_requested": _("审核员要求修改"), "renew": _("续期，重新审核"),
    "expired": _("有效期届满"), "filled": _("已招满"), "pause": _("暂停招聘"),
    "resume": _("恢复招聘"), "close": _("关闭职位"), "withdraw": _("撤回审核"),
    "confirm": _("确认信息仍然有效"), "reject": _("机器审核未通过"),
}


@register.filter
def posting_reason(code: str) -> str:
    """Chinese for a posting event's reason code; an unknown code shows as 「其他」."""
    if not code:
        return ""
    if code.startswith("screening."):
        category = code.removeprefix("screening.")
        label = CATEGORY_LABELS.get(category) or REASONS.get(category, _("其他"))
        return str(_("机器审核：%(label)s") % {"label": label})
    if code in RemovalReason.values:
        return str(RemovalReason(code).label)
    return str(REASONS.get(code, _("其他")))
