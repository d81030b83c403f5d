"""Two simultaneous registrations of one credit code: exactly one wins (ORG-1, constraint
``orgs_credit_code_unique_open``). Real threads with their own connections need a server
database; on SQLite the constraint is covered by ``test_registration.py``."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections

from pinqiao.core.errors import ServiceError
from pinqiao.orgs import registry, testing
from pinqiao.orgs.models import Membership, Organisation
from pinqiao.orgs.services import organisation_draft_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent connections")
def test_it_lets_exactly_one_of_two_simultaneous_registrations_win(recruiter, recruiter2,
                                                                   monkeypatch):
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    record = testing.company("聘桥示范科技")
    barrier = threading.Barrier(2, timeout=10)
    real_lookup = registry.lookup

    def lookup_in_step(*args, **kwargs):
        result = real_lookup(*args, **kwargs)
        barrier.wait()  # both requests are past the checks before either inserts
        return result

    monkeypatch.setattr(registry, "lookup", lookup_in_step)
    outcomes: list[str] = []

    def attempt(user):
        try:
            organisation_draft_create(actor=user, data=testing.org_input(record))
            outcomes.append("won")
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in (recruiter, recruiter2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["credit_code_taken", "won"]
    assert Organisation.objects.filter(credit_code=record.credit_code).count() == 1
    assert Membership.objects.count() == 1
