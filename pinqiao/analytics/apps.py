from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Operations figures (ANA-1, ANA-2): daily and hourly rollup tables, the suppression rule
    for small cells, the operations dashboard and the live monitoring page."""

    name = "pinqiao.analytics"
    label = "analytics"
    verbose_name = "运营数据"
    default_auto_field = "django.db.models.BigAutoField"
