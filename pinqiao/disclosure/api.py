"""Public disclosure endpoints (DISC-1, DISC-2, DISC-5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from pinqiao.accounts.services import client_ip
from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound
from pinqiao.disclosure.selectors import (
    legal_documents_current,
    legal_documents_pending,
    operator_profile,
    service_offerings,
)
from pinqiao.disclosure.services import legal_accept_current

router = Router(tags=["公示"])


class OperatorOut(Schema):
    company_name: str
    credit_code: str
    business_licence_no: str
    hr_licence_no: str
    hr_licence_authority: str
    hr_licence_valid_until: date
    icp_no: str
    complaint_hotline: str
    complaint_email: str
    credit_score: int
    credit_grade: str
    violation_summary: str
    regulator_name: str
    regulator_url: str


class ServiceOut(Schema):
    name: str
    audience: str
    description: str
    is_free: bool
    price_yuan: Decimal
    price_unit: str


class LegalOut(Schema):
    kind: str
    version: str
    title: str
    published_at: datetime


@router.get("/disclosure/operator", response=OperatorOut, summary="运营主体资质与监管信息")
def operator(request: HttpRequest) -> object:
    profile = operator_profile()
    if profile is None:
        raise NotFound("运营主体信息尚未公示。")
    return profile


@router.get("/disclosure/services", response=list[ServiceOut], summary="服务项目与收费标准")
def services(request: HttpRequest) -> object:
    return list(service_offerings())


@router.get("/legal/current", response=list[LegalOut], summary="现行协议与规则")
def legal_current(request: HttpRequest) -> object:
    return legal_documents_current()


@router.get("/legal/pending", response=list[LegalOut], auth=user_auth,
            summary="待同意的新版协议")
def legal_pending(request: HttpRequest) -> object:
    return legal_documents_pending(user=request.auth)


@router.post("/legal/accept", response=list[LegalOut], auth=user_auth,
             summary="同意现行版本的协议与规则")
def legal_accept(request: HttpRequest) -> object:
    return [a.document for a in legal_accept_current(user=request.auth, ip=client_ip(request))]
