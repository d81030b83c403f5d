from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal information (RES-5 … RES-7, PRIV-1 … PRIV-3): consents, masking, the résumé
    access trail, download watermarks and bulk-collection limits."""

    name = "pinqiao.privacy"
    label = "privacy"
    verbose_name = "个人信息保护"
    default_auto_field = "django.db.models.BigAutoField"
