"""Notification templates every event needs. Idempotent: edited templates are kept."""

from pinqiao.notifications.models import NotificationTemplate

TEMPLATES = [
    ("welcome", "inbox", "欢迎加入聘桥", "{{ user.display_name|default:'您好' }}，欢迎来到聘桥。"
     "完善资料后即可开始求职或招聘。平台不会以任何名义向求职者收费，请警惕收费招聘。",
     "注册成功"),
    ("welcome", "sms", "欢迎加入聘桥", "【聘桥】注册成功。平台求职服务免费，任何收费招聘请举报。",
     "注册成功"),
    ("welcome", "email", "欢迎加入聘桥", "{{ user.display_name|default:'您好' }}，欢迎来到聘桥。",
     "注册成功"),
    ("legal_updated", "inbox", "协议已更新：{{ document }}",
     "我们更新了《{{ document }}》，下次访问时请阅读并同意新版本。", "协议版本更新"),
    ("account_closed", "inbox", "账号已注销", "您的账号已按申请注销。", "账号注销"),
    ("account_closed", "sms", "聘桥账号已注销",
     "【聘桥】您的账号已按申请注销。如非本人操作，请立即联系客服。",
     "账号注销"),
]


def load(stdout) -> None:  # noqa: ANN001
    for event, channel, subject, body, description in TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=event, channel=channel, language="zh-hans",
            defaults={"subject": subject, "body": body, "description": description})
    stdout.write(f"notifications: {len(TEMPLATES)} templates")
