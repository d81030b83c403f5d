from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Applications (APP-1, APP-2, APP-6, APP-7): apply, the pipeline, offers and outcomes."""

    name = "pinqiao.applications"
    label = "applications"
    verbose_name = "投递与招聘流程"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.applications import receivers  # noqa: F401 - connects the receivers
