from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "pinqiao.orgs"
    label = "orgs"
    verbose_name = "用人单位与机构"

    def ready(self) -> None:
        from pinqiao.orgs import brochures

        brochures.install_moderation_hooks()
