"""``manage.py moderate`` (MOD-1, MOD-6): the contract's JSON Lines out, and ``--score``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

DEV = Path(settings.BASE_DIR).parent / "shared" / "moderation" / "dev.jsonl"
LABELLED = Path(__file__).parent / "labelled"


def _dev() -> Path:
    if DEV.exists():
        return DEV
    return sorted(LABELLED.glob("*.jsonl"))[0]


@pytest.mark.django_db
def test_it_writes_one_line_per_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "招聘仓库管理员，限男性"}\n\n'
        '{"id": "b", "text": "诚聘收银员，性别不限，五险一金"}\n', encoding="utf-8")
    out = StringIO()
    call_command("moderate", str(source), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [{"id": "a", "decision": "reject", "categories": ["discrimination.gender"]},
                    {"id": "b", "decision": "pass", "categories": []}]


@pytest.mark.django_db
def test_it_screens_the_dev_set() -> None:
    out = StringIO()
    call_command("moderate", str(_dev()), stdout=out)
    lines = out.getvalue().splitlines()
    inputs = [line for line in _dev().read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == len(inputs)
    for line in lines:
        row = json.loads(line)
        assert set(row) == {"id", "decision", "categories"}
        assert row["decision"] in ("pass", "review", "reject")


@pytest.mark.django_db
def test_it_scores_against_a_labelled_set() -> None:
    out = StringIO()
    call_command("moderate", str(_dev()), "--score", str(_dev()), stdout=out)
    report = out.getvalue()
    assert "decision accuracy:" in report
    assert "false positives on clean items:" in report
    assert "discrimination.gender" in report and "precision" in report and "recall" in report


def test_it_refuses_malformed_input(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("not json\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("moderate", str(source), "--rules",
                     str(Path(settings.BASE_DIR) / "pinqiao/moderation/rules/default.json"))
