from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("welcome", "inbox", "欢迎加入聘桥",
     "{{ user.display_name|default:'您好' }}，欢迎来到聘桥。完善资料后即可开始求职或招聘。"
     "平台不会以任何名义向求职者收费，请警惕收费招聘。", "注册成功"),
    ("welcome", "sms", "欢迎加入聘桥",
     "【聘桥】注册成功。平台求职服务免费，任何收费招聘请举报。", "注册成功"),
    ("welcome", "email", "欢迎加入聘桥",
     "{{ user.display_name|default:'您好' }}，欢迎来到聘桥。", "注册成功"),
    ("account_closed", "inbox", "账号已注销", "您的账号已按申请注销。", "账号注销"),
    ("account_closed", "sms", "聘桥账号已注销",
     "【聘桥】您的账号已按申请注销。如非本人操作，请立即联系客服。", "账号注销"),
]


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
