from django.db import migrations

from pinqiao.notifications.defaults import install, remove

GROUPS_TEXT = (
    "{% for g in groups %}「{{ g.name }}」{{ g.count }} 个新职位：\n"
    "{% for p in g.postings %}· {{ p.title }}｜{{ p.employer }}｜{{ p.location }}｜{{ p.pay }}\n"
    "{% endfor %}{% if g.more %}另有 {{ g.more }} 个，查看全部：{{ g.search_url }}\n{% endif %}"
    "不想再收到「{{ g.name }}」的提醒？退订：{{ g.unsubscribe_url }}\n\n{% endfor %}")
GROUPS_EMAIL = (
    "{% for g in groups %}「{{ g.name }}」{{ g.count }} 个新职位：\n\n"
    "{% for p in g.postings %}{{ p.title }}\n{{ p.employer }}｜{{ p.location }}｜{{ p.pay }}\n"
    "{{ p.url }}\n\n{% endfor %}查看全部：{{ g.search_url }}\n"
    "不想再收到「{{ g.name }}」的提醒？退订：{{ g.unsubscribe_url }}\n\n{% endfor %}")
SAFETY = "聘桥求职服务免费。以任何名义收取押金、培训费、服装费的招聘都请举报。"
PUSH = ("{% for g in groups %}{% for p in g.postings|slice:':2' %}{{ p.title }}（{{ p.employer }}）"
        "{% if not forloop.last %}、{% endif %}{% endfor %}{% endfor %}等，点击查看。")

ROWS = [
    ("job_alert_daily", "inbox", "「{{ search }}」有 {{ count }} 个新职位",
     "您订阅的搜索今天有新职位。\n" + GROUPS_TEXT + SAFETY, "职位订阅每日汇总"),
    ("job_alert_daily", "email", "【聘桥】「{{ search }}」有 {{ count }} 个新职位",
     "{{ user.display_name|default:'您好' }}，您订阅的搜索今天有新职位。\n\n" + GROUPS_EMAIL
     + SAFETY + "\n在「我的订阅」中可以修改提醒频率、暂停或删除订阅。", "职位订阅每日汇总"),
    ("job_alert_daily", "push", "「{{ search }}」有 {{ count }} 个新职位", PUSH,
     "职位订阅每日汇总"),
    ("job_alert_instant", "inbox", "有 {{ count }} 个新职位符合您的订阅",
     "刚刚发布了符合您订阅的职位。\n" + GROUPS_TEXT + SAFETY, "职位订阅即时提醒"),
    ("job_alert_instant", "email", "【聘桥】有 {{ count }} 个新职位符合您的订阅",
     "{{ user.display_name|default:'您好' }}，刚刚发布了符合您订阅的职位。\n\n" + GROUPS_EMAIL
     + SAFETY + "\n在「我的订阅」中可以修改提醒频率、暂停或删除订阅。", "职位订阅即时提醒"),
    ("job_alert_instant", "push", "有 {{ count }} 个新职位符合您的订阅", PUSH,
     "职位订阅即时提醒"),
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_saved_searches"), ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
