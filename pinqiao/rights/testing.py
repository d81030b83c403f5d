"""Helpers for transactional and browser tests of the rights app."""

from __future__ import annotations

import importlib

from django.apps import apps


def install_data_rows() -> None:
    """Transactional tests flush every table: put back this app's notification templates, the
    seeded retention schedule and the export destinations."""
    from pinqiao.notifications.defaults import install

    migration = importlib.import_module("pinqiao.rights.migrations.0002_templates_and_schedule")
    install(apps, migration.ROWS)
    migration.schedule(apps, None)
    install(apps, importlib.import_module("pinqiao.rights.migrations.0004_alert_templates").ROWS)
    later = importlib.import_module("pinqiao.rights.migrations.0007_destinations_and_schedule")
    later.seed(apps, None)
    later.schedule(apps, None)
