from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk scores (RISK-1, RISK-4) and sanction notices with evidence and appeal (RISK-2)."""

    name = "pinqiao.risk"
    label = "risk"
    verbose_name = "风险管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.risk import receivers  # noqa: F401 - connects the receivers
