from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("application_rejected", "inbox", "投递结果通知",
     "感谢您投递“{{ posting.title }}”（{{ organisation }}）。{{ message }}", "投递被婉拒"),
    ("application_closed", "inbox", "投递已结束",
     "您投递的职位“{{ posting.title }}”（{{ organisation }}）：{{ reason }}本次投递已结束，"
     "感谢您的关注。您可以在“我的投递”中查看记录，也欢迎继续浏览其他职位。",
     "职位停止招聘时的结束通知"),
    ("application_withdrawn", "inbox", "求职者撤回了投递",
     "求职者撤回了对职位“{{ posting.title }}”的投递（投递编号 {{ application.pk }}）。",
     "求职者撤回投递"),
    ("offer_sent", "inbox", "您收到一份录用通知",
     "{{ organisation }} 向您发出岗位“{{ offer.position }}”的录用通知：薪资 {{ pay }}，"
     "入职日期 {{ offer.start_date|date:'Y-m-d' }}。请于 {{ offer.reply_by|date:'Y-m-d' }} "
     "前登录聘桥答复。{% if offer.note %}说明：{{ offer.note }}{% endif %}", "录用通知"),
    ("offer_sent", "sms", "录用通知",
     "【聘桥】{{ organisation }}向您发出“{{ offer.position }}”录用通知，请于"
     "{{ offer.reply_by|date:'Y-m-d' }}前登录聘桥答复。", "录用通知"),
    ("offer_answered", "inbox", "录用通知已答复",
     "候选人已{{ answer }}职位“{{ posting.title }}”的录用通知（岗位：{{ offer.position }}）。"
     "{% if offer.status == 'accepted' %}入职后请记录入职结果。{% endif %}", "候选人答复录用通知"),
    ("offer_expired", "inbox", "录用通知已过答复期限",
     "{{ organisation }} 发出的“{{ offer.position }}”录用通知已于 "
     "{{ offer.reply_by|date:'Y-m-d' }} 过了答复期限。如仍有意向，请与招聘单位联系。",
     "录用通知过期"),
    ("applications_unhandled", "inbox", "有投递超过{{ days }}天未处理",
     "{{ organisation }} 有 {{ count }} 份投递超过 {{ days }} 天未处理。求职者将看到这些投递显示为"
     "“未处理”，请尽快查看并给出答复。", "投递长期未处理提醒"),
    ("hiring_outcomes_due", "inbox", "请记录面试和录用结果",
     "{{ organisation }} 有 {{ count }} 份投递的面试或录用结果尚未记录，请及时更新，"
     "让求职者知道结果。", "面试、录用结果待记录提醒"),
    ("posting_filled", "inbox", "职位已招满",
     "职位“{{ posting.title }}”已录用 {{ posting.hired_count }} 人，达到招聘人数，已自动关闭。"
     "仍在流程中的投递已收到结束通知。", "职位招满自动关闭"),
]

STAGE_OLD = "您投递的职位“{{ posting.title }}”进度更新为：{{ stage }}。"
STAGE_NEW = ("您投递的职位“{{ posting.title }}”（{{ organisation }}）进度更新为：{{ stage }}。"
             "{% if message %}招聘方留言：{{ message }}{% endif %}")


def stage_body(apps, old, new):
    """The stage-change notice names the organisation and carries the recruiter's message,
    unless staff already edited it."""
    model = apps.get_model("notifications", "NotificationTemplate")
    model.objects.filter(event="application_stage_changed", channel="inbox",
                         language="zh-hans", body=old).update(body=new)


def forward(apps, schema_editor):
    install(apps, ROWS)
    stage_body(apps, STAGE_OLD, STAGE_NEW)


def backward(apps, schema_editor):
    remove(apps, ROWS)
    stage_body(apps, STAGE_NEW, STAGE_OLD)


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_pipeline_offers_questions")]

    operations = [migrations.RunPython(forward, backward)]
