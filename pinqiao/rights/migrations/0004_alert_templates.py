from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("security_alert", "inbox", "数据访问风险预警",
     "账号 {{ account }} 在 {{ day }} 出现“{{ kind }}”，请在「数据访问风险预警」页面核查。",
     "数据访问风险预警（审计员）"),
    ("breach_notice", "inbox", "关于您个人信息安全的重要通知",
     "{{ occurred_at }} 发生了一起个人信息安全事件：{{ title }}。涉及的信息：{{ data_involved }}。"
     "我们已采取的措施：{{ measures }}。建议您：{{ advice }}。如有疑问请联系平台客服。",
     "个人信息安全事件通知"),
    ("breach_notice", "sms", "聘桥个人信息安全通知",
     "【聘桥】{{ occurred_at }} 发生个人信息安全事件（{{ title }}），详情及建议请登录聘桥查看站内通知。",
     "个人信息安全事件通知（短信）"),
]


class Migration(migrations.Migration):
    dependencies = [("rights", "0003_alerts_breaches"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
