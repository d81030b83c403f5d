"""The live rule set is kept per process by (id, version) (issue 12: the lookup was a third of a
chat message's screening CPU), yet every screening asks the database which version is live."""

from __future__ import annotations

import pytest

from pinqiao.moderation import services
from pinqiao.moderation.models import RuleSet

pytestmark = pytest.mark.django_db


def test_a_version_made_live_by_another_process_screens_the_next_text() -> None:
    first = services.live_rule_set()
    assert services.live_rule_set().pk == first.pk  # the kept one
    data = {**RuleSet.objects.get(pk=first.pk).data, "version": "elsewhere-1"}
    other = RuleSet.objects.create(version="elsewhere-1", data=data)
    # What another process's publication does to the table (no service call in this one).
    RuleSet.objects.filter(pk=first.pk).update(status=RuleSet.Status.RETIRED)
    RuleSet.objects.filter(pk=other.pk).update(status=RuleSet.Status.LIVE)
    assert services.live_rule_set().pk == other.pk
    record = services.screen_text(text="招聘仓库管理员，五险一金", context="chat")
    assert (record.rule_set_id, record.rule_version) == (other.pk, "elsewhere-1")


def test_callers_get_their_own_copy_of_the_kept_rule_set() -> None:
    first = services.live_rule_set()
    first.version = "changed by a caller"
    assert services.live_rule_set().version != "changed by a caller"
