"""Rights endpoints (PRIV-4 … PRIV-6, RET-1): the same services and selectors as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.rights import destinations, exports, requests, retention
from pinqiao.rights.models import DataExport, RightsRequest

router = Router(tags=["个人信息权利"])


class ExportOut(Schema):
    id: int
    status: str
    progress: int
    step: str
    joined: bool = False
    expires_at: datetime | None
    sha256: str
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        export = obj["export"] if isinstance(obj, dict) else obj
        if export.status != "ready" or export.is_expired or not export.file:
            return ""
        return reverse("api:rights_export_download", args=[export.token])


def _export(export: DataExport, joined: bool = False) -> dict[str, Any]:
    return {"id": export.pk, "status": export.status, "progress": export.progress,
            "step": export.step, "joined": joined, "expires_at": export.expires_at,
            "sha256": export.sha256, "export": export}


class RequestIn(Schema):
    kind: str
    details: str


class RequestOut(Schema):
    id: int
    kind: str
    status: str
    details: str
    received_at: datetime
    due_on: date
    answer: str
    refusal_reason: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: RightsRequest) -> bool:
        return obj.is_overdue()


class RightsAnswerIn(Schema):
    answer: str
    refusal_reason: str = ""


class RuleIn(Schema):
    days: int
    action: str


class RuleOut(Schema):
    kind: str
    label: str
    days: int
    action: str
    minimum_days: int
    basis: str


@router.post("/me/data-exports", response={202: ExportOut}, auth=user_auth,
             summary="申请下载我的数据（生成中再次申请会合并到同一份）")
def export_request(request: HttpRequest) -> Status:
    requested = exports.export_request(user=request.auth)
    return Status(202, _export(requested.export, requested.joined))


@router.get("/me/data-exports/{export_id}", response=ExportOut, auth=user_auth,
            summary="数据下载的进度")
def export_status(request: HttpRequest, export_id: int) -> dict:
    return _export(exports.export_for_owner(user=request.auth, export_id=export_id))


@router.get("/me/data-exports/download/{token}", auth=user_auth,
            url_name="rights_export_download", summary="下载 ZIP（仅本人，链接过期后 404）")
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    _export_row, data = exports.export_download(user=request.auth, token=token)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="pinqiao-my-data.zip"'
    return response


@router.get("/me/rights-requests", response=list[RequestOut], auth=user_auth,
            summary="我的个人信息权利请求")
def my_requests(request: HttpRequest) -> Any:
    return requests.rights_requests_for_user(user=request.auth)


@router.post("/me/rights-requests", response={201: RequestOut}, auth=user_auth,
             summary="提出查阅、更正或解释请求（15 个工作日内答复）")
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    return Status(201, requests.rights_request_create(user=request.auth, kind=payload.kind,
                                               details=payload.details))


@router.get("/staff/rights-requests", response=list[RequestOut], auth=user_auth,
            summary="工作人员：权利请求（status=open|overdue|completed|refused）")
def staff_requests(request: HttpRequest, status: str = "open") -> Any:
    return list(requests.rights_requests_for_staff(viewer=request.auth, status=status)[:200])


@router.post("/staff/rights-requests/{request_id}/answer", response=RequestOut,
             auth=user_auth, summary="工作人员：答复或拒绝（须说明理由）")
def staff_answer(request: HttpRequest, request_id: int, payload: RightsAnswerIn) -> Any:
    return requests.rights_request_answer(actor=request.auth, request_id=request_id,
                                          answer=payload.answer,
                                          refusal_reason=payload.refusal_reason)


@router.put("/staff/retention/rules/{kind}", response=RuleOut, auth=user_auth,
            summary="工作人员：修改保存期限（不得短于法定最短期限）")
def rule_set(request: HttpRequest, kind: str, payload: RuleIn) -> dict:
    retention.retention_rule_set(actor=request.auth, kind=kind, days=payload.days,
                                 action=payload.action)
    return next(r for r in retention.schedule() if r["kind"] == kind)


class DestinationIn(Schema):
    kind: str
    target: str
    name: str
    recipient: str
    region: str = "cn"
    basis: str


class DestinationOut(Schema):
    id: int
    kind: str
    target: str
    name: str
    recipient: str
    region: str
    basis: str
    enabled: bool
    recorded_at: datetime


class DestinationEnabledIn(Schema):
    enabled: bool


@router.get("/staff/export-destinations", response=list[DestinationOut], auth=user_auth,
            summary="工作人员：个人信息导出目的地清单（PRIV-9）")
def destination_list(request: HttpRequest) -> Any:
    return list(destinations.destinations_for_staff(viewer=request.auth))


@router.post("/staff/export-destinations", response={201: DestinationOut}, auth=user_auth,
             summary="工作人员：登记导出目的地（境外目的地只登记、不启用）")
def destination_record(request: HttpRequest, payload: DestinationIn) -> Status:
    return Status(201, destinations.destination_record(actor=request.auth, **payload.dict()))


@router.put("/staff/export-destinations/{destination_id}/enabled", response=DestinationOut,
            auth=user_auth, summary="工作人员：启用或停用导出目的地")
def destination_enabled(request: HttpRequest, destination_id: int,
                        payload: DestinationEnabledIn) -> Any:
    return destinations.destination_set_enabled(actor=request.auth,
                                                destination_id=destination_id,
                                                enabled=payload.enabled)
