from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("algorithm_bias_flagged", "inbox", "算法偏差预警",
     "截至 {{ period_end }} 的30天算法偏差监测发现 {{ count }} 项差异低于最优群体的五分之四："
     "{{ summary }}。请查看报告，评估原因并记录处理措施。", "算法偏差预警（ALG-1）"),
    ("algorithm_bias_flagged", "email", "【聘桥】算法偏差预警",
     "截至 {{ period_end }} 的30天算法偏差监测发现 {{ count }} 项差异低于最优群体的五分之四："
     "{{ summary }}。请登录工作台查看报告。", "算法偏差预警（ALG-1）"),
]


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_algorithm_register"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
