"""Notification fixtures: an event with a template on every channel, quiet hours around now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial

import pytest
from django.utils import timezone
from django_otp.middleware import is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from pinqiao.accounts.models import User
from pinqiao.notifications.models import Channel, NotificationPreference, NotificationTemplate


@pytest.fixture
def event_templates(db: None) -> dict[str, NotificationTemplate]:
    """``interview_invited`` on the inbox, e-mail, SMS and push, using the context."""
    return {channel: NotificationTemplate.objects.create(
        event="interview_invited", channel=channel, subject=f"面试邀请（{channel}）",
        body="{{ user.display_name }}，{{ organisation }}邀请您于{{ time }}面试。")
        for channel in Channel.values}


@pytest.fixture
def quiet_now() -> Callable[[User], datetime]:
    """``quiet_now(user)`` → the user's quiet hours run from an hour ago to an hour from now;
    returns the moment they end (what held deliveries wait for)."""

    def set_quiet(user: User) -> datetime:
        local = timezone.localtime()
        start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
        end_at = (local + timedelta(hours=1)).replace(second=0, microsecond=0)
        NotificationPreference.objects.update_or_create(user=user, defaults={
            "quiet_start": start, "quiet_end": time(end_at.hour, end_at.minute)})
        return end_at

    return set_quiet


@pytest.fixture
def past_second_factor() -> Callable[[User], User]:
    """``past_second_factor(user)`` → the staff user as a request sees them after the TOTP
    step (what ``OTPMiddleware`` attaches), for calling staff services directly."""

    def verify(user: User) -> User:
        user.otp_device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        user.is_verified = partial(is_verified, user)  # type: ignore[method-assign]
        return user

    return verify
