"""Disclosure fixtures: the demo operator profile, legal documents v1.0 and services."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pytest
from django_otp.middleware import is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from pinqiao.accounts.models import User
from pinqiao.disclosure import demo
from pinqiao.disclosure.models import OperatorProfile
from pinqiao.disclosure.services import legal_accept_current


@pytest.fixture(autouse=True)
def disclosure(db: None) -> OperatorProfile:
    """The operator profile, the five legal documents (1.0) and the services of the demo."""
    demo.load(io.StringIO())
    return OperatorProfile.objects.get()


@pytest.fixture
def accepted() -> Callable[[User], User]:
    """``accepted(user)`` → the user has accepted every document now in force."""

    def accept(user: User) -> User:
        legal_accept_current(user=user)
        return user

    return accept



@pytest.fixture
def past_second_factor() -> Callable[[User], User]:
    """``past_second_factor(user)`` → the staff user as a request sees them after the TOTP
    step (what ``OTPMiddleware`` attaches), for calling staff services directly."""

    def verify(user: User) -> User:
        user.otp_device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        user.is_verified = partial(is_verified, user)  # type: ignore[method-assign]
        return user

    return verify


@pytest.fixture
def verified_operator(operator: User, past_second_factor: Callable[[User], User]) -> User:
    return past_second_factor(operator)
