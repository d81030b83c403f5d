"""Default data: notification templates for organisation events, the first version of the
platform service agreement (ORG-10), and the special-permit industries (ORG-12) seeded from the
reference taxonomy (staff edit them afterwards)."""

from django.db import migrations

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("org_approved", "inbox", "单位认证已通过",
     "您提交的单位“{{ organisation }}”已通过平台审核，现在可以发布招聘信息。"
     "平台每半年复核一次资质，请保持证照在有效期内。", "单位认证通过"),
    ("org_approved", "sms", "单位认证已通过",
     "【聘桥】单位“{{ organisation }}”已通过审核，可以发布职位。", "单位认证通过"),
    ("org_refused", "inbox", "单位认证未通过",
     "您提交的单位“{{ organisation }}”未通过审核。原因：{{ reason }}", "单位认证未通过"),
    ("org_refused", "sms", "单位认证未通过",
     "【聘桥】单位“{{ organisation }}”未通过审核，请登录查看原因。", "单位认证未通过"),
    ("org_more_info", "inbox", "请补充单位认证材料",
     "审核员请您为“{{ organisation }}”补充材料或说明：{{ reason }}", "要求补充材料"),
    ("org_more_info", "sms", "请补充单位认证材料",
     "【聘桥】单位“{{ organisation }}”需要补充认证材料，请登录查看。", "要求补充材料"),
    ("org_suspended", "inbox", "单位发布权限已暂停",
     "单位“{{ organisation }}”的发布权限已暂停。原因：{{ reason }}", "单位暂停或关闭"),
    ("org_suspended", "sms", "单位发布权限已暂停",
     "【聘桥】单位“{{ organisation }}”的发布权限已暂停，请登录查看原因。", "单位暂停或关闭"),
    ("org_reverify_due", "inbox", "请完成单位资质定期复核",
     "单位“{{ organisation }}”已到半年一次的资质复核期。请更新材料并申请复核，"
     "{{ date }} 前未完成的，发布权限将被暂停。", "定期复核提醒"),
    ("org_reverify_due", "sms", "请完成单位资质定期复核",
     "【聘桥】单位“{{ organisation }}”需在 {{ date }} 前完成资质复核。", "定期复核提醒"),
    ("org_licence_expiring", "inbox", "证照即将到期",
     "单位“{{ organisation }}”的{{ licence }}将于 {{ date }} 到期，请及时上传新证照。",
     "证照到期提醒"),
    ("org_licence_expired", "inbox", "证照已过期",
     "单位“{{ organisation }}”的{{ licence }}已于 {{ date }} 过期，依赖该证照的发布权限已暂停。",
     "证照过期"),
    ("org_member_added", "inbox", "您已被添加为单位成员",
     "您已被添加为“{{ organisation }}”的招聘成员。", "成员邀请"),
    ("org_violation", "inbox", "单位信用记录新增违规",
     "单位“{{ organisation }}”因违反“{{ rule }}”被记录违规，处理措施：{{ sanction }}。",
     "违规记录"),
]

AGREEMENT_BODY = """聘桥平台服务协议（单位版）

一、协议双方：聘桥网络招聘平台运营方（以下简称“平台”）与在平台注册的用人单位、人力资源服务机构或公共就业服务机构（以下简称“单位”）。
二、单位保证提交的营业执照或批准设立文件、经办人员身份证明、授权书、许可证照及委托证明真实、合法、有效，并在证照变更或到期前及时更新。
三、单位发布的招聘信息应当真实、完整、合法，包含用人主体、招聘人数、招聘条件、用工类型、工作内容、工作条件、工作地点和劳动报酬；人力资源服务机构发布代招信息应与委托证明一一对应，并写明是否向求职者收费及收费标准。
四、单位不得发布含有民族、种族、性别、宗教信仰等歧视性内容的信息，不得以招聘名义收取费用、扣押证件或从事其他违法活动。
五、平台依据《网络招聘服务管理规定》等规定对单位资质进行审核，并至少每半年复核一次；证照过期或逾期未复核的，平台暂停相应发布权限。
六、单位违反本协议或平台规则的，平台可采取警告、限制功能、暂停发布、关闭账号并列入禁止注册名单等措施，并记入单位信用记录。
七、单位经营范围或许可范围变更的，应重新提交审核。
八、本协议版本更新时，单位需重新确认后继续使用平台服务。
"""


def forward(apps, schema_editor):
    install(apps, ROWS)
    agreement = apps.get_model("orgs", "ServiceAgreement")
    agreement.objects.get_or_create(version="2026.1", defaults={
        "title": "聘桥平台服务协议（单位版）", "body": AGREEMENT_BODY})
    from pinqiao.reference import taxonomy

    rule = apps.get_model("orgs", "SpecialPermitRule")
    for permit in taxonomy.special_permits():
        rule.objects.get_or_create(slug=permit.slug, defaults={
            "industry_label": permit.industry, "permit_name": permit.permit,
            "authority": permit.authority, "basis": permit.basis,
            "industries": list(permit.industries)})


def backward(apps, schema_editor):
    remove(apps, ROWS)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial"), ("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(forward, backward)]
