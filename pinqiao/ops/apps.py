from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "pinqiao.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self) -> None:
        from pinqiao.ops import signals  # noqa: F401  (records applied migrations)
