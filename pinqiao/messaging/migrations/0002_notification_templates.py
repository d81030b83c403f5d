from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("chat_message", "inbox", "您有新的沟通消息",
     "关于职位“{{ posting }}”（{{ organisation }}）的沟通有新消息，请登录聘桥查看。"
     "正规招聘不会以任何名义收取费用，请勿转到平台外沟通。", "沟通新消息（离线时）"),
    ("chat_message", "push", "新的沟通消息",
     "“{{ posting }}”有新消息，点击查看。", "沟通新消息（离线时）"),
    ("chat_message", "sms", "新的沟通消息",
     "【聘桥】您在“{{ posting }}”的沟通有新消息，请登录查看。正规招聘不收取任何费用。",
     "沟通新消息（离线时）"),
    ("chat_restricted", "inbox", "沟通处罚通知",
     "您在沟通中的行为违反平台规则，已受到处罚：{{ kind }}。事由：{{ reason }}"
     "{% if ends_at %}截止 {{ ends_at }}。{% endif %}如有异议，可在「沟通处罚记录」中申诉。",
     "沟通违规处罚（警告、强制下线、禁止沟通）"),
]


def forward(apps, schema_editor):
    install(apps, ROWS)


def backward(apps, schema_editor):
    remove(apps, ROWS)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("notifications", "0002_default_templates"),
    ]

    operations = [migrations.RunPython(forward, backward)]
