from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("oversight_inspection_assigned", "inbox", "您被随机分配了抽查任务",
     "双随机抽查任务“{{ draw.title }}”已随机分配给您 {{ count }} 个检查对象。请按时完成检查，"
     "并在聘桥监管工作台记录检查结果。", "双随机抽查：检查人员分配"),
]


def forward(apps, schema_editor):
    install(apps, ROWS)


def backward(apps, schema_editor):
    remove(apps, ROWS)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial"),
                    ("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(forward, backward)]
