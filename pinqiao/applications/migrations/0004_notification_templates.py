from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("application_stage_changed", "inbox", "投递进度更新",
     "您投递的职位“{{ posting.title }}”进度更新为：{{ stage }}。", "投递阶段变化"),
]


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_initial"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
