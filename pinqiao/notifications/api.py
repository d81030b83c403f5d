"""The user's inbox and notification preferences (MSG-3)."""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpRequest
from ninja import Router, Schema

from pinqiao.api.auth import user_auth
from pinqiao.notifications.selectors import inbox_for, preference_for
from pinqiao.notifications.services import inbox_mark_read, preference_update

router = Router(tags=["通知"], auth=user_auth)


class NotificationOut(Schema):
    id: int
    event: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class PreferenceIO(Schema):
    email_enabled: bool = True
    sms_enabled: bool = True
    push_enabled: bool = True
    quiet_start: time | None = None
    quiet_end: time | None = None


class MarkReadIn(Schema):
    ids: list[int] | None = None


class CountOut(Schema):
    updated: int


@router.get("/inbox", response=list[NotificationOut], summary="站内信（最近100条）")
def inbox(request: HttpRequest) -> object:
    return list(inbox_for(user=request.auth)[:100])


@router.post("/inbox/read", response=CountOut, summary="标记为已读")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict:
    return {"updated": inbox_mark_read(user=request.auth, notification_ids=payload.ids)}


@router.get("/preferences", response=PreferenceIO, summary="通知偏好")
def preferences(request: HttpRequest) -> object:
    return preference_for(user=request.auth)


@router.put("/preferences", response=PreferenceIO, summary="修改通知偏好")
def preferences_update(request: HttpRequest, payload: PreferenceIO) -> object:
    return preference_update(user=request.auth, **payload.dict())
