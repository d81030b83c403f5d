"""The search outbox: one row per change to an indexed object, written in the same transaction
as the change and deleted only after the index has committed it (SRCH-1)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    """Object ``object_id`` of index ``index`` changed; re-read it from the database."""

    index = models.CharField(_("索引"), max_length=20)
    object_id = models.BigIntegerField(_("对象ID"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("搜索索引待办")
        verbose_name_plural = _("搜索索引待办")
        indexes = [models.Index(fields=["index", "id"], name="search_outbox_index_id")]
