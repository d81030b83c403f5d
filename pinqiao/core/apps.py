from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pinqiao.core"
    label = "core"
    verbose_name = "核心"
