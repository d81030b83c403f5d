from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pinqiao.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from pinqiao.core import pagecache

        pagecache.connect()
