from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Information review (MOD-1 … MOD-7): rule sets, screening records, the review queue,
    reports, sanctions and case files. The pure engine lives in ``engine.py``."""

    name = "pinqiao.moderation"
    label = "moderation"
    verbose_name = "信息审核"
    default_auto_field = "django.db.models.BigAutoField"
