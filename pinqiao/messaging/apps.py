from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Real-time chat between seekers and organisations (MSG-1, MSG-2, MSG-4, DISC-6)."""

    name = "pinqiao.messaging"
    label = "messaging"
    verbose_name = "即时沟通"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.messaging import receivers  # noqa: F401 - desk targets and receivers
