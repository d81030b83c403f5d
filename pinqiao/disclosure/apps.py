from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "pinqiao.disclosure"
    label = "disclosure"
    verbose_name = "公示"
