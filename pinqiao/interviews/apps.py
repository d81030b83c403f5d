from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    """Interviews (APP-3 … APP-5, DISC-6): slots, reminders, rooms, check-in, scorecards."""

    name = "pinqiao.interviews"
    label = "interviews"
    verbose_name = "面试"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.interviews import receivers  # noqa: F401 - connects the receivers
