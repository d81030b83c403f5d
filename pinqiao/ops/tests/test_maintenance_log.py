"""SEC-5: maintenance logs — deploys, migrations, configuration changes and restarts — kept
beside the login log, append-only, on a staff page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pinqiao.ops.models import MaintenanceKind, MaintenanceRecord
from pinqiao.ops.services import maintenance_record, record_start
from pinqiao.ops.signals import record_migrations

pytestmark = pytest.mark.django_db


def test_a_start_is_logged_with_the_configuration(settings: Any) -> None:
    (record,) = record_start(process="web")
    assert record.kind == MaintenanceKind.RESTART and record.summary == "web 启动"
    assert record.details["config"]["DEBUG"] == repr(settings.DEBUG)
    assert record.host


def test_a_configuration_change_between_starts_is_logged(settings: Any) -> None:
    record_start(process="web")
    settings.ALLOWED_HOSTS = ["jobs.example.cn"]
    settings.SECRET_KEY = "rotated-" + "x" * 50
    change, restart = record_start(process="web")
    assert change.kind == MaintenanceKind.CONFIG_CHANGE
    assert change.details["changed"] == ["ALLOWED_HOSTS", "SECRET_KEY"]
    assert "jobs.example.cn" in change.details["after"]["ALLOWED_HOSTS"]
    assert "rotated" not in str(change.details)  # secrets only as a digest
    assert restart.kind == MaintenanceKind.RESTART
    assert len(record_start(process="web")) == 1  # unchanged: just the restart


def test_applied_migrations_are_logged() -> None:
    from django.apps import apps

    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("ops", "0001_initial")
    record_migrations(sender=apps.get_app_config("ops"), plan=[(migration, False)])
    record_migrations(sender=apps.get_app_config("core"), plan=[(migration, False)])
    record_migrations(sender=apps.get_app_config("ops"), plan=None)  # a flush
    (record,) = MaintenanceRecord.objects.filter(kind=MaintenanceKind.MIGRATION,
                                                 details__migrations=["ops.0001_initial"])
    assert record.summary == "数据库迁移：1 项"


def test_a_deploy_is_recorded_from_the_command_line() -> None:
    call_command("record_maintenance", kind="deploy", summary="发布 1.4.0", operator="ops-li")
    record = MaintenanceRecord.objects.get(kind=MaintenanceKind.DEPLOY)
    assert record.operator == "ops-li" and record.summary == "发布 1.4.0"


def test_the_log_is_append_only() -> None:
    record = maintenance_record(kind=MaintenanceKind.DEPLOY, summary="x")
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        MaintenanceRecord.objects.all().delete()


def test_staff_who_read_the_login_log_read_the_maintenance_log(
        staff_client: Any, customer_service: Any, regulator: Any) -> None:
    maintenance_record(kind=MaintenanceKind.DEPLOY, summary="发布 1.4.0")
    maintenance_record(kind=MaintenanceKind.RESTART, summary="web 启动")
    client = staff_client(customer_service)
    page = client.get("/staff/maintenance-log/?kind=deploy").content.decode()
    assert "发布 1.4.0" in page and "web 启动" not in page
    assert "运维日志" in client.get("/staff/").content.decode()
    assert staff_client(regulator).get("/staff/maintenance-log/").status_code == 403
