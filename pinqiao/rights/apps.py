from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Personal-information rights (PRIV-4 … PRIV-6, ACC-5): download my data, correction and
    deletion with legal retention, and every request tracked against its deadline; legal holds
    and the retention schedule (RET-1)."""

    name = "pinqiao.rights"
    label = "rights"
    verbose_name = "个人信息权利与保存期限"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pinqiao.rights import erasers, exporters

        exporters.install()
        erasers.install()
