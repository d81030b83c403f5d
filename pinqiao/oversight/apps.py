from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The regulator's view (ANA-3, RISK-3 credit view): read-only masked lists, exports with a
    reason, the annual report data set, and 双随机、一公开 sampling with published results."""

    name = "pinqiao.oversight"
    label = "oversight"
    verbose_name = "监管查看与双随机抽查"
    default_auto_field = "django.db.models.BigAutoField"
