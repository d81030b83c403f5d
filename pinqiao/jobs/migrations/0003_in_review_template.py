from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("posting_in_review", "inbox", "职位正在人工审核",
     "您的职位“{{ posting.title }}”已提交，需要人工审核（{{ reasons }}）。"
     "审核通常在24小时内完成，结果会通知您。", "职位转人工审核"),
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_notification_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
