"""Account endpoints: SMS code, sign-up, log-in, log-out, token, me, real-name, close (ACC-1..5)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from pinqiao.accounts.models import SmsPurpose, User
from pinqiao.accounts.selectors import user_summary
from pinqiao.accounts.services import (
    SignupInput,
    account_close,
    account_signup,
    api_token_issue,
    client_ip,
    login_with_password,
    login_with_sms,
    real_name_verify,
    session_end,
    sms_code_request,
)
from pinqiao.api.auth import json_from_this_site, user_auth

router = Router(tags=["账号"])


class SmsCodeIn(Schema):
    phone: str = Field(max_length=32)
    purpose: Literal["signup", "login"] = SmsPurpose.SIGNUP


class OkOut(Schema):
    ok: bool = True


class SignupIn(Schema):
    phone: str = Field(max_length=32)
    code: str = Field(max_length=10)
    password: str = Field("", max_length=128)
    accept_terms: bool = False
    role: Literal["seeker", "recruiter"] = "seeker"
    display_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)


class MeOut(Schema):
    id: int
    username: str
    role: str
    display_name: str
    phone_masked: str
    email_masked: str
    real_name_verified: bool
    real_name_masked: str
    id_number_masked: str


class LoginIn(Schema):
    identifier: str = Field(max_length=254, description="手机号或电子邮箱")
    password: str = Field(max_length=128)
    otp_token: str = Field("", max_length=10,
                           description="工作人员必填：身份验证器上的动态验证码（第二因素）")


class SmsLoginIn(Schema):
    phone: str = Field(max_length=32)
    code: str = Field(max_length=10)


class TokenIn(LoginIn):
    name: str = Field("api", max_length=50)


class TokenOut(Schema):
    token: str
    user: MeOut


class RealNameIn(Schema):
    name: str = Field(max_length=60)
    id_number: str = Field(max_length=30)


class RealNameOut(Schema):
    matched: bool


class CloseIn(Schema):
    confirmation: str = Field(max_length=20)
    reason: str = Field("", max_length=500)


def _me(user: User) -> dict:
    return user_summary(viewer=user, user=user)


@router.post("/auth/sms-code", response=OkOut, summary="发送短信验证码")
@decorate_view(json_from_this_site)
def sms_code(request: HttpRequest, payload: SmsCodeIn) -> dict:
    sms_code_request(phone=payload.phone, purpose=payload.purpose, ip=client_ip(request))
    return {"ok": True}


@router.post("/auth/signup", response={201: MeOut}, summary="注册（手机号 + 短信验证码）")
@decorate_view(json_from_this_site)
def signup(request: HttpRequest, payload: SignupIn) -> Status:
    user = account_signup(data=SignupInput(**payload.dict()), ip=client_ip(request))
    return Status(201, _me(user))


@router.post("/auth/login", response=MeOut, summary="密码登录（手机号或邮箱）")
@decorate_view(json_from_this_site)
def login(request: HttpRequest, payload: LoginIn) -> dict:
    user = login_with_password(request=request, identifier=payload.identifier,
                               password=payload.password, otp_token=payload.otp_token)
    return _me(user)


@router.post("/auth/login/sms", response=MeOut, summary="短信验证码登录")
@decorate_view(json_from_this_site)
def login_sms(request: HttpRequest, payload: SmsLoginIn) -> dict:
    return _me(login_with_sms(request=request, phone=payload.phone, code=payload.code))


@router.post("/auth/token", response={201: TokenOut}, summary="用密码换取 API 令牌")
@decorate_view(json_from_this_site)
def token(request: HttpRequest, payload: TokenIn) -> Status:
    user = login_with_password(request=request, identifier=payload.identifier,
                               password=payload.password, otp_token=payload.otp_token)
    raw = api_token_issue(user=user, name=payload.name)
    session_end(request=request, reason="token_issued")
    return Status(201, {"token": raw, "user": _me(user)})


@router.post("/auth/logout", response=OkOut, auth=user_auth, summary="退出登录")
def logout(request: HttpRequest) -> dict:
    session_end(request=request)
    return {"ok": True}


@router.get("/me", response=MeOut, auth=user_auth, summary="当前账号（个人信息已脱敏）")
def me(request: HttpRequest) -> dict:
    return _me(request.auth)


@router.post("/me/real-name", response=RealNameOut, auth=user_auth, summary="实名认证")
def real_name(request: HttpRequest, payload: RealNameIn) -> dict:
    return {"matched": real_name_verify(user=request.auth, name=payload.name,
                                        id_number=payload.id_number)}


@router.post("/me/close", response=OkOut, auth=user_auth, summary="注销账号")
def close(request: HttpRequest, payload: CloseIn) -> dict:
    account_close(user=request.auth, confirmation=payload.confirmation, reason=payload.reason)
    if request.user.is_authenticated:
        session_end(request=request, reason="account_closed")
    return {"ok": True}
