from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """The complaint, report and appeal desk (TKT-1 … TKT-8) with the seven-working-day clock."""

    name = "pinqiao.tickets"
    label = "tickets"
    verbose_name = "投诉举报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.tickets import receivers  # noqa: F401 - connects the receivers
