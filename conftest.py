"""Shared test fixtures: one named user per role, staff clients past the second factor.

Outside services are the local providers (they keep state in the test database), never mocks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import factory
import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import User
from pinqiao.core.permissions import Role
from pinqiao.core.testdb import schema_from_models
from pinqiao.core.testing import TEST_PASSWORD

PASSWORD = TEST_PASSWORD

# Browser fixtures (`browser`, `page`) and helpers (`login_password`, `login_staff`) for every
# app's `@pytest.mark.browser` tests.
pytest_plugins = ["pinqiao.core.tests.browser.fixtures"]

# What makes a test a database test (pytest-django's marker and fixtures).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences",
                               "django_db_serialized_rollback", "live_server"})


def uses_database(item: pytest.Item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL half of ``make test`` (``DATABASE_URL`` set) run only the database
    tests: the others (the screening engine, validators, calendars…) touch no database and
    have already run on SQLite, so running them again would only lengthen CI."""
    if not os.environ.get("DATABASE_URL"):
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if uses_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(request: pytest.FixtureRequest, django_test_environment: None,
                    django_db_blocker: Any, django_db_modify_db_settings: None) -> Iterator[None]:
    """pytest-django's test database set-up, with the schema made from the models and the
    migrations' rows seeded (``pinqiao.core.testdb``) instead of replaying every migration."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock(), schema_from_models():
        db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False,
                                 aliases=aliases, serialized_aliases=serialized_aliases)
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    role = Role.SEEKER
    display_name = factory.Sequence(lambda n: f"用户{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = None

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        phone = kwargs.pop("phone")
        password = kwargs.pop("password", PASSWORD)
        if phone:
            kwargs["phone_ciphertext"] = encrypt_phone(phone)
            kwargs["phone_index"] = phone_index(phone)
        user = model_class.objects.create_user(password=password, **kwargs)
        user.test_phone = phone
        return user


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    return UserFactory


@pytest.fixture
def seeker(make_user: Callable[..., User]) -> User:
    return make_user(role=Role.SEEKER, display_name="求职者小张")


@pytest.fixture
def recruiter(make_user: Callable[..., User]) -> User:
    return make_user(role=Role.RECRUITER, display_name="招聘者小李",
                     email="hr@company.example")


def _staff(make_user: Callable[..., User], role: str, email: str) -> User:
    return make_user(role=role, phone=None, email=email)


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return _staff(make_user, Role.REVIEWER, "reviewer@test.example")


@pytest.fixture
def operator(make_user: Callable[..., User]) -> User:
    return _staff(make_user, Role.OPERATOR, "operator@test.example")


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return _staff(make_user, Role.AUDITOR, "auditor@test.example")


@pytest.fixture
def regulator(make_user: Callable[..., User]) -> User:
    return _staff(make_user, Role.REGULATOR, "regulator@test.example")


@pytest.fixture
def customer_service(make_user: Callable[..., User]) -> User:
    return _staff(make_user, Role.CUSTOMER_SERVICE, "service@test.example")


def verify_staff(client: Client, user: User) -> Client:
    """Log ``user`` in on ``client`` and mark the session as past the TOTP second factor."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test",
                                                 defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client() -> Callable[[User], Client]:
    """``staff_client(user)`` → a client logged in as ``user`` with the second factor passed."""
    return lambda user: verify_staff(Client(), user)


@pytest.fixture
def user_client() -> Callable[[User], Client]:
    """``user_client(user)`` → a client logged in as ``user`` (seekers and recruiters)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test signs audit checkpoints into its own file: a checkpoint names a chain that only
    exists inside that test's transaction."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "checkpoints.jsonl"


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Values kept in memory by version (``pinqiao.core.memo``) start empty in every test: a
    rolled-back test transaction sends no signal to drop them; nor the page frame's rendered
    pieces (a test may change the links or the static storage)."""
    from django.core.cache import cache, caches

    from pinqiao.core.memo import forget_all

    forget_all()
    cache.clear()
    caches["chrome"].clear()
