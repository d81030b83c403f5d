from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search (SRCH-1 … SRCH-3): the embedded Tantivy index, its outbox, job and talent search."""

    name = "pinqiao.search"
    label = "search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.search import alert_receivers, receivers
        from pinqiao.search.talent import receivers as talent_receivers

        receivers.connect()
        talent_receivers.connect()
        alert_receivers.connect()
