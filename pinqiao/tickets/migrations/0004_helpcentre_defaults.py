"""The help centre's notification templates (TKT-8) and the FAQ it opens with: written by the
platform (version 1 of each entry, kept in the history like any later edit by staff)."""

from django.db import migrations
from django.utils import timezone

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("ticket_received", "inbox", "工单 {{ ticket.reference }} 已提交",
     "您的工单“{{ ticket.subject }}”已提交，客服回复后会通知您。", "工单已提交（用户）"),
    ("ticket_answered", "inbox", "客服回复了您的工单 {{ ticket.reference }}",
     "工单“{{ ticket.subject }}”：{{ body }}", "客服回复（用户）"),
    ("ticket_closed", "inbox", "工单 {{ ticket.reference }} 已关闭",
     "工单“{{ ticket.subject }}”已由客服关闭。如问题仍未解决，可在 30 天内在「我的工单」中重新打开。",
     "工单关闭（用户）"),
    ("ticket_user_replied", "inbox", "工单 {{ ticket.reference }} 有新的用户回复",
     "用户补充了工单“{{ ticket.subject }}”，请及时回复。", "用户回复（客服）"),
]

FAQ = [
    ("账号与登录", [
        ("忘记密码怎么办？",
         "在登录页点击「短信验证码登录」，输入注册手机号和收到的验证码即可登录，登录后可在「我的账号」中设置新密码。"),
        ("如何注销账号？",
         "在「我的账号」中提出注销申请。注销后您的简历将不再对外展示，个人信息按隐私政策删除或匿名化处理。"),
    ]),
    ("求职安全", [
        ("招聘方要求先交押金或培训费怎么办？",
         "平台禁止任何单位以任何名义向求职者收取押金、保证金、培训费、体检费等费用。遇到此类要求请立即停止沟通，"
         "并在职位页面点击「举报」或在「我的投诉」中投诉，平台自收到之日起 7 个工作日内处理并告知结果。"),
        ("我的联系方式会被谁看到？",
         "您的手机号、邮箱默认隐藏。只有您投递过或同意交换联系方式的单位才能看到，每次查看都有记录可查。"),
    ]),
    ("单位与职位", [
        ("单位认证需要多久？",
         "提交营业执照等材料后，平台一般在 1 至 3 个工作日内完成审核，结果会通过站内消息通知您。"),
        ("为什么我的职位没有通过审核？",
         "职位中如含有性别、年龄、民族等歧视性条件，或含有收费、虚假信息，会被退回修改。"
         "审核意见会标出具体内容，修改后可重新提交。"),
    ]),
]


def forward(apps, schema_editor):
    install(apps, ROWS)
    category_model = apps.get_model("tickets", "FaqCategory")
    entry_model = apps.get_model("tickets", "FaqEntry")
    revision_model = apps.get_model("tickets", "FaqRevision")
    now = timezone.now()
    for position, (name, entries) in enumerate(FAQ):
        category, _created = category_model.objects.get_or_create(
            name=name, defaults={"position": position})
        for order, (question, answer) in enumerate(entries):
            entry, created = entry_model.objects.get_or_create(
                category=category, question=question,
                defaults={"answer": answer, "position": order, "updated_at": now})
            if created:
                revision_model.objects.create(
                    entry=entry, version=1, category_name=name, question=question,
                    answer=answer, published=True, note="平台初始内容", edited_at=now)


def backward(apps, schema_editor):
    remove(apps, ROWS)
    names = [name for name, _entries in FAQ]
    apps.get_model("tickets", "FaqEntry").objects.filter(category__name__in=names).delete()
    apps.get_model("tickets", "FaqCategory").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_helpcentre"), ("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(forward, backward)]
