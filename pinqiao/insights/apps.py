from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Market insights for users (ANA-4): the salary index, hiring trends and job-search
    guides."""

    name = "pinqiao.insights"
    label = "insights"
    verbose_name = "就业市场洞察"
    default_auto_field = "django.db.models.BigAutoField"
