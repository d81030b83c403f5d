from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("posting_published", "inbox", "职位已发布",
     "您的职位“{{ posting.title }}”已通过审核并发布，有效期至 {{ posting.valid_until }}。",
     "职位发布"),
    ("posting_rejected", "inbox", "职位未通过审核",
     "您的职位“{{ posting.title }}”未通过审核。原因：{{ reasons }}"
     "{% if words %}。命中词：{{ words }}{% endif %}。请修改后重新提交。", "职位被驳回"),
    ("posting_rejected", "sms", "职位未通过审核",
     "【聘桥】您的职位“{{ posting.title }}”未通过审核，请登录查看原因并修改。", "职位被驳回"),
    ("posting_edit_requested", "inbox", "职位需要修改",
     "审核员要求修改职位“{{ posting.title }}”：{{ reason }}"
     "{% if words %}。涉及词语：{{ words }}{% endif %}。", "审核要求修改"),
    ("posting_removed", "inbox", "职位已下架",
     "您的职位“{{ posting.title }}”已被下架。原因：{{ reason }}{% if note %}（{{ note }}）{% endif %}。",
     "职位下架"),
    ("posting_removed", "sms", "职位已下架",
     "【聘桥】您的职位“{{ posting.title }}”已被下架，请登录查看原因。", "职位下架"),
    ("posting_expired", "inbox", "职位已过期",
     "您的职位“{{ posting.title }}”已于 {{ posting.valid_until }} 到期下线，如仍在招聘请续期。",
     "职位过期"),
    ("posting_stale", "inbox", "请更新职位信息",
     "您的职位“{{ posting.title }}”已超过30天未更新。请确认招聘人数和信息仍然有效，"
     "{{ days }} 天内未更新将被下架。", "长期未更新提醒"),
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial"), ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
