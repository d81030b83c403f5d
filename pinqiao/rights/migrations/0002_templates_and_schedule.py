from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("data_export_ready", "inbox", "您的数据下载已生成",
     "您申请的个人数据副本已生成，请在「我的个人信息权利」页面下载。下载链接有效期至 "
     "{{ expires_at }}，仅限本人登录后使用。", "个人数据下载已生成"),
    ("rights_request_received", "inbox", "您的个人信息请求已受理",
     "您的“{{ kind }}”请求已受理，我们将在 {{ due_on }} 前答复。", "权利请求已受理"),
    ("rights_request_answered", "inbox", "您的个人信息请求已答复",
     "您的“{{ kind }}”请求已答复（{{ status }}），请在「我的个人信息权利」页面查看答复和理由。",
     "权利请求已答复"),
    ("rights_request_overdue", "inbox", "个人信息权利请求已逾期",
     "第 {{ number }} 号“{{ kind }}”请求的答复期限为 {{ due_on }}，现已逾期，请尽快处理"
     "（《个人信息保护法》第五十条）。", "权利请求逾期提醒（工作人员）"),
]

THREE_YEARS = 3 * 365 + 1
SCHEDULE = [
    ("applications", THREE_YEARS, "anonymise", "DB4401 7.2.6：服务记录、评价、投诉等保存不少于三年"),
    ("evaluations", THREE_YEARS, "anonymise", "直播带岗 4.4.1 f)、DB4401 7.2.6：评价保存不少于三年"),
    ("scorecards", THREE_YEARS, "anonymise", "DB4401 7.2.6：服务记录、评价、投诉等保存不少于三年"),
    ("login_logs", THREE_YEARS, "purge", "DB4401 7.2.6、ACC-4：登录日志保存不少于三年"),
    ("access_trail", THREE_YEARS, "purge", "DB4401 7.3.3：访问记录可追溯，保存三年"),
    ("exposures", 180, "purge", "ALG-1 偏差监测只读近 30 天；保留 180 天以便复算"),
]


def schedule(apps, schema_editor):
    rule = apps.get_model("rights", "RetentionRule")
    for kind, days, action, basis in SCHEDULE:
        rule.objects.get_or_create(kind=kind, defaults={"days": days, "action": action,
                                                        "basis": basis})


def unschedule(apps, schema_editor):
    apps.get_model("rights", "RetentionRule").objects.filter(
        kind__in=[row[0] for row in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
        migrations.RunPython(schedule, unschedule),
    ]
