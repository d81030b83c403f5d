from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("contact_request_received", "inbox", "有单位请求您的联系方式",
     "{{ organisation }}{% if posting %}（职位“{{ posting }}”）{% endif %}请求查看您简历中的联系方式。"
     "同意后该单位可以看到您的手机号、电子邮箱和即时通讯账号；您也可以拒绝。请在「隐私与授权」中处理。",
     "招聘方请求联系方式"),
    ("contact_request_received", "sms", "有单位请求您的联系方式",
     "【聘桥】{{ organisation }}请求查看您的联系方式，请登录聘桥在「隐私与授权」中同意或拒绝。",
     "招聘方请求联系方式"),
    ("contact_request_accepted", "inbox", "求职者同意提供联系方式",
     "求职者已同意向{{ organisation }}提供联系方式，请打开简历查看。请仅为招聘目的使用。",
     "联系方式请求已同意"),
    ("contact_request_declined", "inbox", "求职者拒绝提供联系方式",
     "求职者拒绝了{{ organisation }}的联系方式请求，7 天内不能再次请求。",
     "联系方式请求被拒绝"),
]


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_contact_requests_access_trail"),
                    ("notifications", "0002_default_templates")]

    operations = [
        migrations.RunPython(lambda apps, schema: install(apps, ROWS),
                             lambda apps, schema: remove(apps, ROWS)),
    ]
