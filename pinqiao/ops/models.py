"""Maintenance log (SEC-5): deploys, migrations, configuration changes and restarts.

Kept beside the login log (ACC-4) for the same retention; rows are never edited or deleted.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MaintenanceKind(models.TextChoices):
    DEPLOY = "deploy", _("部署")
    MIGRATION = "migration", _("数据库迁移")
    CONFIG_CHANGE = "config_change", _("配置变更")
    RESTART = "restart", _("启动/重启")
    TASK_RECLAIM = "task_reclaim", _("任务回收")


class MaintenanceRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN001, ANN201
        raise TypeError("The maintenance log is append-only.")

    def delete(self):  # noqa: ANN201
        raise TypeError("The maintenance log is append-only.")


class MaintenanceRecord(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=MaintenanceKind.choices,
                            db_index=True)
    summary = models.CharField(_("摘要"), max_length=300)
    operator = models.CharField(_("执行者"), max_length=120, blank=True)
    host = models.CharField(_("主机"), max_length=120, blank=True)
    revision = models.CharField(_("代码版本"), max_length=64, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    objects = MaintenanceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("运维日志")
        verbose_name_plural = _("运维日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.summary}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if not self._state.adding:
            raise TypeError("The maintenance log is append-only.")
        super().save(*args, **kwargs)
