"""Chat fixtures: a verified employer with a published posting, a second member who may chat,
a seeker with an approved résumé and a phone number, another seeker outside the conversation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from pinqiao.core.permissions import Role
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.messaging import services
from pinqiao.orgs.models import Membership


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and presence live in the cache; each test starts clean."""
    cache.clear()


@pytest.fixture
def reinstalled_data() -> None:
    """Transactional tests flush every table: put the data migrations' rows back, chat's
    notification templates among them."""
    import importlib

    from django.apps import apps

    from pinqiao.applications.testing import reinstall_data_migrations
    from pinqiao.notifications.defaults import install

    reinstall_data_migrations()
    install(apps, importlib.import_module(
        "pinqiao.messaging.migrations.0002_notification_templates").ROWS)


@pytest.fixture
def posting(recruiter: Any, employer: Any) -> Any:
    return published_posting(recruiter, employer)


@pytest.fixture
def colleague(make_user: Any, employer: Any) -> Any:
    """A second member of the organisation who may chat."""
    user = make_user(role=Role.RECRUITER, display_name="招聘者小王")
    Membership.objects.create(organisation=employer, user=user, can_chat=True)
    return user


@pytest.fixture
def outsider(make_user: Any) -> Any:
    return make_user(role=Role.SEEKER, display_name="路人")


@pytest.fixture
def conversation(seeker: Any, posting: Any) -> Any:
    conversation, _created = services.conversation_open(actor=seeker, posting_id=posting.pk)
    return conversation


def say(user: Any, conversation: Any, text: str) -> Any:
    return services.message_send(actor=user, conversation_id=conversation.pk, text=text).message
