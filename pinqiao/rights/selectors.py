"""Reads for the rights pages (PRIV-4 … PRIV-6, RET-1); each takes the actor."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pinqiao.core.permissions import require_perm
from pinqiao.rights.corrections import corrections_for_user
from pinqiao.rights.models import DataExport, Erasure, LegalHold, RetentionRun, RightsRequest
from pinqiao.rights.registry import ANONYMISED, ERASED, RESTRICTED

#: The browser that closed an account keeps the erasure's id to show the confirmation once.
ERASURE_SESSION_KEY = "rights_erasure"

ACTION_LABELS = {ERASED: _("已删除"), ANONYMISED: _("已匿名化"), RESTRICTED: _("限制处理")}


def rights_overview(*, user: Any) -> dict[str, Any]:
    return {
        "requests": list(RightsRequest.objects.filter(user=user).order_by("-received_at")[:50]),
        "export": DataExport.objects.filter(user=user).order_by("-created_at").first(),
        "corrections": corrections_for_user(user=user),
    }


def latest_erasure(*, user: Any) -> Erasure | None:
    return Erasure.objects.filter(user=user).order_by("-pk").first()


def erasure_from_session(erasure_id: Any) -> Erasure | None:
    return Erasure.objects.filter(pk=erasure_id).first() if isinstance(erasure_id, int) else None


def erasure_rows(erasure: Erasure) -> list[dict[str, Any]]:
    return [{**item, "action_label": str(ACTION_LABELS.get(item["action"], item["action"]))}
            for item in erasure.items]


def retention_overview(*, viewer: Any) -> dict[str, Any]:
    require_perm(viewer, "retention.manage")
    return {
        "holds": list(LegalHold.objects.filter(released_at=None)
                      .select_related("user", "organisation", "placed_by")),
        "runs": list(RetentionRun.objects.order_by("-started_at")[:10]),
    }
