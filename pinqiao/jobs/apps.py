from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Job postings (JOB-1 … JOB-9): fields, lifecycle, screening on submit, expiry, patrol."""

    name = "pinqiao.jobs"
    label = "jobs"
    verbose_name = "招聘信息"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.jobs import services

        services.install_moderation_hooks()
