from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("resume_approved", "inbox", "简历已通过审核",
     "您的简历已通过审核，现在可以投递职位了。", "简历审核通过"),
    ("resume_in_review", "inbox", "简历正在人工审核",
     "您的简历已提交，以下内容需要人工确认：{{ reasons }}。审核结果将通过站内信通知您。",
     "简历转人工审核"),
    ("resume_needs_changes", "inbox", "简历需要修改",
     "您的简历未通过审核，请修改后重新提交。需要修改的内容：{{ reasons }}"
     "{% if note %}。审核员说明：{{ note }}{% endif %}。", "简历需修改"),
    ("resume_needs_changes", "sms", "简历需要修改",
     "【聘桥】您的简历未通过审核，请登录“我的简历”查看需要修改的内容。", "简历需修改"),
    ("resume_needs_changes", "email", "【聘桥】您的简历需要修改",
     "您好：\n\n您在聘桥的简历未通过审核，修改后重新提交即可投递职位。\n\n"
     "需要修改的内容：{{ reasons }}{% if note %}\n审核员说明：{{ note }}{% endif %}\n\n"
     "请登录聘桥，在“我的简历”中修改。\n\n聘桥", "简历需修改"),
]


class Migration(migrations.Migration):
    dependencies = [("resumes", "0002_resume_fields"), ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
