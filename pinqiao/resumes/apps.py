from django.apps import AppConfig


class ResumesConfig(AppConfig):
    """Résumés (RES-1 … RES-4, MOD-8): build online or upload, templates, PDF, completeness."""

    name = "pinqiao.resumes"
    label = "resumes"
    verbose_name = "简历"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.resumes import services

        services.install_moderation_hooks()
