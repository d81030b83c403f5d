"""Core models: the append-only, hash-chained audit log (SEC-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditChainHead(models.Model):
    """One row holding the latest sequence number and hash; locked while an entry is appended."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN001, ANN201
        raise TypeError("The audit log is append-only.")

    def delete(self):  # noqa: ANN201
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One audited action. ``hash`` = SHA-256(previous hash ‖ canonical JSON of this entry)."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_label = models.CharField(max_length=120, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise TypeError("The audit log is append-only.")
