"""RET-3: the migration linter fails on backward-incompatible operations in new migrations,
unless the migration carries a reviewed exemption; the existing migrations are baselined."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from pinqiao.rights.migration_lint import lint, load_config, migration_problems


@pytest.fixture(scope="module")
def state() -> object:
    return MigrationLoader(None, ignore_no_migrations=True).project_state()


def _problems(state: object, *operations: object) -> list[str]:
    migration = migrations.Migration("0999_test", "rights")
    migration.operations = list(operations)
    return [f.problem for f in migration_problems(migration, state)]


@pytest.mark.parametrize(("operation", "expected"), [
    (migrations.RemoveField("retentionrule", "basis"), "drops a column"),
    (migrations.DeleteModel("retentionrun"), "drops a table"),
    (migrations.RenameField("retentionrule", "basis", "grounds"), "renames a column"),
    (migrations.RenameModel("retentionrun", "retentionpass"), "renames a table"),
    (migrations.AlterModelTable("retentionrun", "rights_runs"), "renames a table"),
    (migrations.AddField("retentionrule", "owner", models.CharField(max_length=20)),
     "adds a NOT NULL column without a default"),
    (migrations.AlterField("retentionrule", "days", models.CharField(max_length=10)),
     "changes the column type"),
    (migrations.AlterField("retentionrule", "kind", models.CharField(max_length=8,
                                                                     unique=True)),
     "shortens the column"),
    (migrations.AlterField("legalhold", "released_at", models.DateTimeField()),
     "makes a column NOT NULL"),
])
def test_it_flags_backward_incompatible_operations(state: object, operation: object,
                                                   expected: str) -> None:
    assert any(p.startswith(expected) for p in _problems(state, operation))


@pytest.mark.parametrize("operation", [
    migrations.AddField("retentionrule", "note", models.CharField(max_length=20, default="")),
    migrations.AddField("retentionrule", "owner", models.CharField(max_length=20, null=True)),
    migrations.AlterField("retentionrule", "kind", models.CharField(max_length=64,
                                                                    unique=True)),
    migrations.CreateModel("Scratch", [("id", models.BigAutoField(primary_key=True))]),
    migrations.AddIndex("retentionrun", models.Index(fields=["started_at"], name="rr_idx")),
])
def test_it_accepts_expand_only_operations(state: object, operation: object) -> None:
    assert _problems(state, operation) == []


def test_the_baseline_and_reviewed_exemptions_are_skipped_and_others_linted() -> None:
    config = load_config()
    findings, checked, errors = lint(config)
    assert findings == [] and errors == []
    assert "rights.0001_initial" not in checked  # baselined
    unbaselined = {**config, "baseline": [b for b in config["baseline"]
                                          if b != "rights.0001_initial"]}
    assert "rights.0001_initial" in lint(unbaselined)[1]
    exempted = {**unbaselined, "exempt": {"rights.0001_initial": {"reason": "新表"}}}
    findings, checked, errors = lint(exempted)
    assert "rights.0001_initial" not in checked
    assert errors == ["exemption rights.0001_initial needs a reason and reviewed_by"]


def test_the_command_passes_on_the_project() -> None:
    out = io.StringIO()
    call_command("lint_migrations", stdout=out)
    assert "no backward-incompatible operation" in out.getvalue()
