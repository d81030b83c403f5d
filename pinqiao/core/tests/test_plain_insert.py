"""The plain INSERT (``core/plain_insert.py``) writes the row the ORM's ``create`` writes:
defaults, foreign keys, JSON, datetimes and a generic target, read back equal, on SQLite and on
PostgreSQL; a model with save signal receivers is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from pinqiao.core.plain_insert import insert
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.moderation.services import live_rule_set

pytestmark = pytest.mark.django_db


def _row(pk: int) -> dict[str, Any]:
    values = model_to_dict(ScreeningRecord.objects.get(pk=pk))
    values.pop("id")
    return values


def test_it_writes_what_the_orm_writes(seeker: Any) -> None:
    rule_set = live_rule_set()
    fields = {"rule_set": rule_set, "rule_version": rule_set.version, "context": "chat",
              "content_type": ContentType.objects.get_for_model(seeker),
              "object_id": str(seeker.pk), "text": "请加微信 abc12345，交押金 300 元",
              "decision": "review", "categories": ["contact_info", "fee_charging"],
              "evidence": [{"start": 2, "end": 4, "text": "微信", "category": "contact_info"}],
              "rule_ids": ["contact.wechat"],
              "created_at": datetime(2026, 12, 7, 8, 30, tzinfo=UTC)}
    by_orm = ScreeningRecord.objects.create(**fields)
    plain = insert(ScreeningRecord(**fields))
    assert plain.pk and plain.pk != by_orm.pk
    assert not plain._state.adding and plain._state.db == "default"
    assert _row(plain.pk) == _row(by_orm.pk)
    assert ScreeningRecord.objects.get(pk=plain.pk).target == seeker


def test_defaults_are_filled_as_the_orm_fills_them() -> None:
    record = insert(ScreeningRecord(rule_version="x", context="posting", text="t",
                                    decision="pass"))
    stored = ScreeningRecord.objects.get(pk=record.pk)
    assert (stored.categories, stored.evidence, stored.rule_ids) == ([], [], [])
    assert stored.created_at == record.created_at and stored.rule_set_id is None


def test_a_model_with_save_signal_receivers_is_refused() -> None:
    """Receivers would not run for a plain INSERT (the pagecache's version bump, for one)."""
    from pinqiao.jobs.models import Posting

    with pytest.raises(TypeError, match="signal receivers"):
        insert(Posting())
