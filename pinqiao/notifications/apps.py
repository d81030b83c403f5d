from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pinqiao.notifications"
    label = "notifications"
    verbose_name = "通知"
