"""Test databases made from the models, with the rows the migrations seed.

Replaying every migration costs about 45 s of CPU per test process: Django renders the model
state again after nearly every operation. Creating the tables from the current models takes a
few seconds. What the migrations write besides the schema (notification templates, registers,
help-centre defaults) is still written: each of the project's ``RunPython`` forward functions
runs, in migration order, against the final model state, and every migration is then recorded as
applied, as after ``migrate``. Other packages' data functions only convert existing rows
(django-tasks' result columns, stale permissions), which a new database has none of, and some
need the model state of their own time, so they are left out.
``pinqiao/core/tests/test_testdb.py`` builds a database both ways and compares tables, columns,
indexes and rows, so the shortcut cannot drift from the migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.db.migrations.recorder import MigrationRecorder


class _NoMigrations:
    """``MIGRATION_MODULES`` that names no module for any app: ``migrate`` makes every table
    from the models (``run_syncdb``)."""

    def __contains__(self, app_label: str) -> bool:
        return True

    def __getitem__(self, app_label: str) -> None:
        return None


def seed_and_record(connection: BaseDatabaseWrapper) -> None:
    """Run the migrations' data functions in order, then record every migration as applied."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = list(dict.fromkeys(key for leaf in loader.graph.leaf_nodes()
                              for key in loader.graph.forwards_plan(leaf)))
    final_apps = loader.project_state().apps
    with connection.schema_editor() as editor:
        for key in plan:
            if not django_apps.get_app_config(key[0]).name.startswith("pinqiao."):
                continue
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(final_apps, editor)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(recorder.Migration(app=app, name=name) for app, name in plan)


class _MigrateFromModels(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        original = settings.MIGRATION_MODULES
        settings.MIGRATION_MODULES = _NoMigrations()
        try:
            super().handle(*args, **{**options, "run_syncdb": True})
        finally:
            settings.MIGRATION_MODULES = original
        seed_and_record(connections[options["database"]])


@contextmanager
def schema_from_models() -> Iterator[None]:
    """Within this block, ``migrate`` (as Django's test database creation calls it) builds the
    schema from the models and seeds the migrations' rows."""
    original = migrate.Command
    migrate.Command = _MigrateFromModels
    try:
        yield
    finally:
        migrate.Command = original
