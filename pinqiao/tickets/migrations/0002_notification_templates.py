"""Notification templates of the desk (TKT-3, TKT-4). Complainant events go to the complainant
only; staff events name the case by its reference. None carries the complainant's identity to
the party complained about (TKT-5)."""

from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("case_received", "inbox", "我们已收到您的{{ case.get_kind_display }}",
     "您的{{ case.get_kind_display }}（编号 {{ case.reference }}）已收到。平台将在 {{ deadline }} "
     "前受理并给出处理结果（7 个工作日，节假日顺延）。", "案件已接收（投诉人）"),
    ("case_accepted", "inbox", "您的{{ case.get_kind_display }}已受理",
     "编号 {{ case.reference }} 已受理，经办人员正在核查，处理时限：{{ deadline }}。",
     "案件已受理（投诉人）"),
    ("case_accepted", "sms", "案件已受理",
     "【聘桥】您的{{ case.get_kind_display }}{{ case.reference }}已受理，将于{{ deadline }}前处理完毕。",
     "案件已受理（投诉人）"),
    ("case_resolved", "inbox", "您的{{ case.get_kind_display }}有了处理结果",
     "编号 {{ case.reference }}：{{ upheld }}。{{ result }} 如对结果有异议，可在 15 天内在"
     "「我的投诉」中提出，案件将重新处理。", "处理结果（投诉人）"),
    ("case_closed", "inbox", "案件已办结，请评价",
     "编号 {{ case.reference }} 已办结。欢迎在「我的投诉」中评价本次处理的流程、效率、结果和服务态度。",
     "案件办结（投诉人）"),
    ("case_assigned", "inbox", "新的待办案件 {{ case.reference }}",
     "案件 {{ case.reference }}（{{ case.get_kind_display }}）待您处理，办结时限 {{ deadline }}。",
     "案件分配（经办人）"),
    ("case_escalated", "inbox", "案件 {{ case.reference }} 已到第 5 个工作日",
     "案件 {{ case.reference }} 尚未办结，办结时限 {{ deadline }}，请督办。", "案件升级（主管）"),
    ("case_overdue", "inbox", "案件 {{ case.reference }} 已超期",
     "案件 {{ case.reference }} 已超过办结时限 {{ deadline }}，请立即处理。", "案件超期（主管、经办人）"),
]


def forward(apps, schema_editor):
    install(apps, ROWS)


def backward(apps, schema_editor):
    remove(apps, ROWS)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial"), ("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(forward, backward)]
