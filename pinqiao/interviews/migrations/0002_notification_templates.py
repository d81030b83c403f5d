from django.db import migrations

from pinqiao.notifications.defaults import install, remove

TIPS = ("防骗提示：正规招聘不会以任何名义收取押金、培训费、服装费或体检费；请勿转到平台外沟通，"
        "不要交出身份证原件和银行卡；面试请选择公开场所并告知家人朋友。如被要求付款，请立即举报"
        "或在面试评价中勾选。")

ROWS = [
    ("interview_proposed", "inbox", "面试邀请",
     "{{ organisation }} 邀请您参加职位“{{ posting.title }}”的{{ interview.title }}（{{ mode }}），"
     "提供了 {{ count }} 个可选时间，请尽快选择一个。", "面试邀请（求职者）"),
    ("interview_proposed", "sms", "面试邀请",
     "【聘桥】{{ organisation }}邀请您参加“{{ posting.title }}”{{ interview.title }}，"
     "请登录聘桥选择时间。正规招聘不收取任何费用。", "面试邀请（求职者）"),
    ("interview_booked_seeker", "inbox", "面试已预约",
     "您已预约职位“{{ posting.title }}”的{{ interview.title }}：{{ time }}，{{ mode }}"
     "{% if interview.location %}，{{ interview.location }}{% endif %}。" + TIPS,
     "面试预约成功（求职者，含防骗提示）"),
    ("interview_booked_seeker", "sms", "面试已预约",
     "【聘桥】您已预约“{{ posting.title }}”{{ interview.title }}：{{ time }}。"
     "正规招聘不收取任何费用，如被要求付款请举报。", "面试预约成功（求职者）"),
    ("interview_booked", "inbox", "求职者已确认面试时间",
     "求职者已确认职位“{{ posting.title }}”的{{ interview.title }}时间：{{ time }}，{{ mode }}。",
     "面试预约成功（招聘方）"),
    ("interview_rescheduled", "inbox", "面试需要改期",
     "{{ by }}申请调整职位“{{ posting.title }}”的{{ interview.title }}"
     "{% if old_time %}（原定 {{ old_time }}）{% endif %}。原因：{{ reason }}。"
     "请登录查看并重新确认时间。", "面试改期"),
    ("interview_rescheduled", "sms", "面试需要改期",
     "【聘桥】“{{ posting.title }}”{{ interview.title }}需要改期，请登录聘桥查看并重新确认时间。",
     "面试改期"),
    ("interview_cancelled", "inbox", "面试已取消",
     "{{ by }}取消了职位“{{ posting.title }}”的{{ interview.title }}"
     "{% if time %}（原定 {{ time }}）{% endif %}。原因：{{ reason }}。", "面试取消"),
    ("interview_cancelled", "sms", "面试已取消",
     "【聘桥】“{{ posting.title }}”{{ interview.title }}已取消，原因：{{ reason }}。", "面试取消"),
    ("interview_reminder", "inbox", "面试提醒",
     "职位“{{ posting.title }}”的{{ interview.title }}将于 {{ time }} 开始（{{ lead }}提醒），"
     "{{ mode }}{% if interview.location %}，{{ interview.location }}{% endif %}。", "面试提醒"),
    ("interview_reminder", "sms", "面试提醒",
     "【聘桥】提醒：“{{ posting.title }}”{{ interview.title }}将于 {{ time }} 开始。", "面试提醒"),
    ("interview_written_test", "inbox", "请完成笔试",
     "{{ organisation }} 为职位“{{ posting.title }}”的{{ interview.title }}布置了 {{ count }} 道笔试题，"
     "请在 {{ deadline }} 前作答，提交后不能修改。", "布置笔试（求职者）"),
    ("interview_written_answered", "inbox", "求职者已提交笔试",
     "求职者已提交职位“{{ posting.title }}”{{ interview.title }}的笔试，请登录查看。",
     "笔试已提交（招聘方）"),
    ("interview_checked_in", "inbox", "求职者已签到",
     "求职者已到场签到：职位“{{ posting.title }}”的{{ interview.title }}（{{ time }}）。",
     "面试签到（招聘方）"),
    ("interview_no_show", "inbox", "面试登记为未到场",
     "{{ organisation }} 登记您未参加职位“{{ posting.title }}”的{{ interview.title }}（{{ time }}）。"
     "如有异议，请在面试评价中说明。", "未到场（求职者）"),
    ("interview_completed", "inbox", "请评价本次面试",
     "职位“{{ posting.title }}”的{{ interview.title }}已结束。请评价本次面试；如面试中被要求缴纳费用"
     "或岗位与发布信息不符，请勾选相应选项，平台将核查。", "面试完成（求职者）"),
]


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial"), ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
