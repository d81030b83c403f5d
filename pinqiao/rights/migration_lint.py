"""The migration linter (RET-3: rolling deploys). During a rolling deploy the old code runs
against the migrated schema, so a new migration may not drop or rename a column or table, add
a NOT NULL column without a default, make a column NOT NULL, or change a column's type — unless
it carries an explicit, reviewed exemption in ``migration-lint.toml`` (the reason and who
reviewed it). Migrations older than the linter are listed there as the baseline.

The check reads Django's own migration operations against the project state before each
migration, so it needs no database and takes well under a second per migration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED

CONFIG = "migration-lint.toml"


@dataclass(frozen=True)
class Finding:
    migration: str
    operation: str
    problem: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation} — {self.problem}"


def _has_default(field: Any) -> bool:
    return field.has_default() or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


def _old_field(state: ProjectState, app: str, model: str, name: str) -> Any:
    return state.models[app, model.lower()].fields[name]


def operation_problems(app: str, operation: Any, state: ProjectState) -> list[str]:
    """What makes ``operation`` (applied on ``state``) unsafe for a rolling deploy."""
    if isinstance(operation, ops.SeparateDatabaseAndState):
        found: list[str] = []
        for inner in operation.database_operations:
            found += operation_problems(app, inner, state)
        return found
    if isinstance(operation, ops.RemoveField):
        return ["drops a column (old code still reads it)"]
    if isinstance(operation, ops.DeleteModel):
        return ["drops a table (old code still reads it)"]
    if isinstance(operation, ops.RenameField):
        return ["renames a column"]
    if isinstance(operation, (ops.RenameModel, ops.AlterModelTable)):
        return ["renames a table"]
    if isinstance(operation, ops.AddField):
        field = operation.field
        if not field.many_to_many and not field.null and not _has_default(field):
            return ["adds a NOT NULL column without a default (old code's inserts fail)"]
        return []
    if isinstance(operation, ops.AlterField):
        old = _old_field(state, app, operation.model_name, operation.name)
        new = operation.field
        problems = []
        if old.is_relation or new.is_relation:
            if (old.get_internal_type() != new.get_internal_type()
                    or str(getattr(old.remote_field, "model", "")).lower()
                    != str(getattr(new.remote_field, "model", "")).lower()):
                problems.append("changes the column type (another relation)")
        elif old.max_length and new.max_length and new.max_length < old.max_length:
            problems.append(f"shortens the column ({old.max_length} → {new.max_length})")
        elif not (old.get_internal_type() == new.get_internal_type()
                  and old.max_length and new.max_length) \
                and old.db_type(connection) != new.db_type(connection):
            problems.append(f"changes the column type ({old.db_type(connection)} → "
                            f"{new.db_type(connection)})")
        if (old.db_column or operation.name) != (new.db_column or operation.name):
            problems.append("renames a column")
        if old.null and not new.null:
            problems.append("makes a column NOT NULL (old code may still write NULL)")
        return problems
    return []


def migration_problems(migration: Migration, state: ProjectState) -> list[Finding]:
    """Every unsafe operation of ``migration``, starting from the state before it."""
    label = f"{migration.app_label}.{migration.name}"
    state = state.clone()
    found = []
    for operation in migration.operations:
        found += [Finding(label, operation.describe(), problem)
                  for problem in operation_problems(migration.app_label, operation, state)]
        operation.state_forwards(migration.app_label, state)
    return found


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or Path(settings.BASE_DIR) / CONFIG
    with path.open("rb") as handle:
        return tomllib.load(handle)


def project_apps() -> set[str]:
    from django.apps import apps

    base = str(Path(settings.BASE_DIR) / "pinqiao")
    return {c.label for c in apps.get_app_configs() if str(c.path).startswith(base)}


def lint(config: dict[str, Any] | None = None) -> tuple[list[Finding], list[str], list[str]]:
    """Lint every project migration that is neither baselined nor exempted.

    Returns the findings, the migrations checked and the problems with the configuration
    itself (an exemption without its reason or reviewer)."""
    config = load_config() if config is None else config
    baseline = set(config.get("baseline", []))
    exempt: dict[str, dict[str, str]] = config.get("exempt", {})
    config_errors = [f"exemption {name} needs a reason and reviewed_by"
                     for name, entry in exempt.items()
                     if not (entry.get("reason", "").strip()
                             and entry.get("reviewed_by", "").strip())]
    loader = MigrationLoader(None, ignore_no_migrations=True)
    apps = project_apps()
    checked, findings = [], []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        label = f"{app}.{name}"
        if app not in apps or label in baseline or label in exempt:
            continue
        checked.append(label)
        findings += migration_problems(migration, loader.project_state((app, name),
                                                                        at_end=False))
    return findings, checked, config_errors
