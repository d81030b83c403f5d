from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pinqiao.accounts"
    label = "accounts"
    verbose_name = "账号"

