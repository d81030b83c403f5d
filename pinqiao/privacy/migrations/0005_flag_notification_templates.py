from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("resume_access_flagged", "inbox", "简历访问量异常提醒",
     "{{ organisation }}{% if account %}的账号 {{ account }}{% endif %}今天的简历查看或下载出现异常："
     "{{ reason }}。平台已记录并将人工复核。网络招聘平台禁止批量收集、转卖求职者简历；"
     "如非本单位正常招聘需要，请立即检查该账号的使用情况。", "简历访问异常预警"),
    ("resume_access_flag_confirmed", "inbox", "简历访问被认定为异常",
     "经平台复核，{{ organisation }}{% if account %}账号 {{ account }} {% endif %}的简历访问被认定为异常："
     "{{ note }}。请立即停止批量收集简历；再次发生将按平台规则处理并记入信用记录。",
     "简历访问异常确认"),
]


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_access_limits_and_flags"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
