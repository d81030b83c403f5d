"""The data and personal-information inventory (PRIV-1; DB4401 7.3.5 数据和个人信息清单).

Every field that holds personal information, as ``app_label.Model.field``: what it is, general
(一般) or sensitive (敏感, PIPL Art. 28 and PRIV-1: ID numbers, phone numbers, photos, health,
financial accounts), why it is processed, how long it is kept and how it is protected at rest.
``NOT_PERSONAL`` names the fields whose names look personal but hold organisation or platform
data, with the reason. ``FINDINGS`` are sensitive data not yet encrypted, with the fix owed.

``pinqiao/privacy/tests/test_inventory.py`` walks every model: a field that looks personal and
is in neither list, a stale entry, or a sensitive field that is not encrypted (and not an open
finding) fails the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GENERAL = "一般"
SENSITIVE = "敏感"

# How a field is kept at rest.
ENCRYPTED = "AES-GCM 加密"
ENCRYPTED_FILE = "加密文件（私有存储）"
KEYED_HASH = "密钥哈希（HMAC，不可逆）"
MASKED = "脱敏形式"
PLAIN = "明文"
PLAIN_FILE = "明文文件（私有存储）"

PROTECTED = frozenset({ENCRYPTED, ENCRYPTED_FILE, KEYED_HASH})

#: Field names that look like personal information; each must be classified here.
LOOKS_PERSONAL = re.compile(
    r"phone|e_?mail|id_number|_ciphertext$|photo|name|birth|gender|(^|_)ip$|user_agent|device"
    r"|address|_index$|_digest$")

ACCOUNT = _("账号存续期间；注销后按 PRIV-5 限制处理")
RESUME = _("简历存续期间；求职者删除或注销账号后按 PRIV-5 处理")
RECORDS = _("3 年（DB4401 7.2.6 备查；可追溯）")
RECRUITING = _("投递、面试存续期间及结束后 3 年")
SHORT = _("验证码有效期内；记录用于频率限制和安全审计")
ORGANISATION = _("单位存续期间及注销后 3 年（资质与信用备查）")


@dataclass(frozen=True)
class Item:
    field: str
    what: str
    level: str
    purpose: str
    retention: str
    protection: str

    @property
    def encrypted(self) -> bool:
        return self.protection in PROTECTED


def _items(model: str, level: str, purpose: str, retention: str,
           *fields: tuple[str, str, str]) -> list[Item]:
    return [Item(f"{model}.{name}", what, level, purpose, retention, protection)
            for name, what, protection in fields]


INVENTORY: tuple[Item, ...] = tuple([
    # accounts
    *_items("accounts.User", GENERAL, _("账号登录、站内展示与通知"), ACCOUNT,
            ("username", _("随机用户名"), PLAIN), ("display_name", _("昵称"), PLAIN),
            ("email", _("电子邮箱"), PLAIN)),
    *_items("accounts.User", SENSITIVE, _("登录、短信验证与通知；实名认证（ACC-1）"), ACCOUNT,
            ("phone_ciphertext", _("手机号"), ENCRYPTED),
            ("phone_index", _("手机号查找索引"), KEYED_HASH),
            ("real_name_ciphertext", _("真实姓名"), ENCRYPTED),
            ("id_number_ciphertext", _("身份证号"), ENCRYPTED),
            ("id_number_index", _("身份证号查找索引"), KEYED_HASH)),
    *_items("accounts.User", GENERAL, _("实名认证状态"), ACCOUNT,
            ("real_name_verified_at", _("实名认证时间"), PLAIN)),
    *_items("accounts.SmsCode", SENSITIVE, _("短信验证码的发送与频率限制"), SHORT,
            ("phone_index", _("手机号查找索引"), KEYED_HASH)),
    *_items("accounts.SmsCode", GENERAL, _("短信验证码的频率限制"), SHORT,
            ("ip", _("请求 IP"), PLAIN)),
    *_items("accounts.LoginRecord", GENERAL, _("登录日志（ACC-4）"), RECORDS,
            ("ip", _("登录 IP"), PLAIN), ("user_agent", _("浏览器标识"), PLAIN)),
    *_items("accounts.LoginRecord", SENSITIVE, _("登录日志中的手机号（ACC-4）"), RECORDS,
            ("phone_ciphertext", _("手机号"), ENCRYPTED),
            ("phone_index", _("手机号查找索引"), KEYED_HASH)),
    *_items("accounts.IdentityRecord", SENSITIVE, _("防止一证多号（ACC-1）"), ACCOUNT,
            ("id_number_index", _("身份证号查找索引"), KEYED_HASH),
            ("name_digest", _("姓名摘要"), KEYED_HASH)),
    # audit, consent, disclosure
    *_items("core.AuditEntry", GENERAL, _("操作审计（SEC-1）"), RECORDS,
            ("ip", _("操作 IP"), PLAIN), ("actor_label", _("操作账号用户名"), PLAIN)),
    *_items("disclosure.LegalAcceptance", GENERAL, _("协议同意的证明（DISC-5）"), RECORDS,
            ("ip", _("同意时的 IP"), PLAIN)),
    *_items("privacy.ResumeAccess", GENERAL, _("简历访问记录与「谁看过我」（RES-6）"), RECORDS,
            ("ip", _("查看者 IP"), PLAIN)),
    *_items("search.TalentSearch", GENERAL, _("人才搜索记录（SRCH-2、RES-7）"), RECORDS,
            ("ip", _("搜索者 IP"), PLAIN)),
    *_items("search.SavedSearch", GENERAL, _("职位订阅与新职位提醒（SRCH-3），求职者可随时删除"),
            ACCOUNT, ("name", _("订阅名称"), PLAIN), ("params", _("搜索条件（求职意向）"), PLAIN)),
    # notifications
    *_items("notifications.LocalSmsMessage", SENSITIVE, _("本地短信通道的发送记录"), RECORDS,
            ("phone_ciphertext", _("手机号"), ENCRYPTED),
            ("phone_index", _("手机号查找索引"), KEYED_HASH)),
    *_items("notifications.Notification", GENERAL, _("站内通知"), ACCOUNT,
            ("body", _("通知正文（可含单位、职位名称）"), PLAIN)),
    # organisations
    *_items("orgs.Organisation", GENERAL, _("单位联系与审核（ORG-1）"), ORGANISATION,
            ("contact_name", _("单位联系人姓名"), PLAIN),
            ("contact_email", _("单位联系邮箱"), PLAIN),
            ("registration_device", _("注册设备指纹（ORG-9）"), KEYED_HASH),
            ("registration_client_digest", _("注册终端的服务器端指纹：网段、浏览器、语言（ORG-9）"),
             KEYED_HASH)),
    *_items("orgs.Organisation", SENSITIVE, _("单位资质审核与经办人核验（ORG-1, ORG-9）"),
            ORGANISATION,
            ("contact_phone_ciphertext", _("单位联系人手机号"), ENCRYPTED),
            ("responsible_name_ciphertext", _("经办人姓名"), ENCRYPTED),
            ("responsible_id_ciphertext", _("经办人身份证号"), ENCRYPTED),
            ("responsible_id_index", _("经办人身份证号查找索引"), KEYED_HASH)),
    *_items("orgs.Document", SENSITIVE, _("资质审核材料（含经办人身份证明）"), ORGANISATION,
            ("file", _("上传的证照与身份证明文件"), ENCRYPTED_FILE)),
    *_items("orgs.Document", GENERAL, _("资质审核材料"), ORGANISATION,
            ("original_name", _("原文件名"), PLAIN)),
    *_items("orgs.AgreementAcceptance", GENERAL, _("服务协议同意的证明（ORG-10）"), RECORDS,
            ("ip", _("同意时的 IP"), PLAIN)),
    # résumés
    *_items("resumes.Resume", GENERAL, _("在线简历（RES-1），向经同意的单位提供"), RESUME,
            ("full_name", _("姓名"), PLAIN), ("gender", _("性别"), PLAIN),
            ("birth_date", _("出生日期（对招聘方只显示年龄）"), PLAIN),
            ("email_ciphertext", _("电子邮箱"), ENCRYPTED),
            ("im_ciphertext", _("即时通讯账号"), ENCRYPTED),
            ("phone_masked", _("手机号（脱敏）"), MASKED),
            ("email_masked", _("电子邮箱（脱敏）"), MASKED),
            ("im_masked", _("即时通讯账号（脱敏）"), MASKED),
            ("desired_function", _("期望职能"), PLAIN), ("desired_city", _("期望城市"), PLAIN),
            ("desired_pay_min", _("期望薪资"), PLAIN),
            ("self_introduction", _("自我介绍"), PLAIN), ("skills", _("技能"), PLAIN)),
    *_items("resumes.Resume", SENSITIVE, _("在线简历的联系方式与照片；经求职者同意才提供给单位"),
            RESUME, ("phone_ciphertext", _("手机号"), ENCRYPTED),
            ("photo", _("照片"), ENCRYPTED_FILE)),
    *_items("resumes.Education", GENERAL, _("在线简历（RES-1）"), RESUME,
            ("school", _("学校"), PLAIN), ("major", _("专业"), PLAIN)),
    *_items("resumes.WorkExperience", GENERAL, _("在线简历（RES-1）"), RESUME,
            ("company", _("工作单位"), PLAIN), ("title", _("职位"), PLAIN),
            ("description", _("工作内容"), PLAIN)),
    *_items("resumes.Certificate", GENERAL, _("在线简历（RES-1）"), RESUME,
            ("name", _("证书名称"), PLAIN)),
    *_items("resumes.Honour", GENERAL, _("在线简历（RES-1）"), RESUME,
            ("title", _("荣誉名称"), PLAIN)),
    *_items("resumes.Attachment", SENSITIVE, _("附件简历（RES-2）"), RESUME,
            ("file", _("上传的简历文件"), ENCRYPTED_FILE)),
    *_items("resumes.Attachment", GENERAL, _("附件简历（RES-2）"), RESUME,
            ("original_name", _("原文件名"), PLAIN),
            ("text", _("提取的文字（用于检索与审核；手机号、邮箱、证件号、银行卡号和即时通讯账号"
                       "在保存前已脱敏）"), PLAIN)),
    # applications and interviews
    *_items("applications.Application", GENERAL, _("投递（APP-1）"), RECRUITING,
            ("answers", _("筛选问题的回答"), PLAIN)),
    *_items("applications.ApplicationNote", GENERAL, _("招聘方对投递的备注（APP-2）"),
            RECRUITING, ("body", _("备注"), PLAIN)),
    *_items("applications.Offer", GENERAL, _("录用通知（APP-6）"), RECRUITING,
            ("pay_amount", _("录用薪资"), PLAIN)),
    *_items("interviews.Interview", GENERAL, _("面试安排（APP-3）"), RECRUITING,
            ("location", _("面试地点"), PLAIN), ("note", _("面试说明"), PLAIN)),
    *_items("interviews.Scorecard", GENERAL, _("面试评价（APP-5）"), RECRUITING,
            ("comment", _("招聘方评语"), PLAIN)),
    *_items("interviews.SeekerEvaluation", GENERAL, _("求职者对面试的评价（APP-5）"),
            RECRUITING, ("comment", _("求职者评语"), PLAIN)),
    # personal-information rights (issue 17)
    *_items("rights.RightsRequest", GENERAL, _("处理本人的查阅、更正、删除等请求（PRIV-6）"),
            RECORDS, ("details", _("请求说明"), PLAIN), ("answer", _("平台的答复"), PLAIN)),
    *_items("rights.DataExport", SENSITIVE, _("本人下载的个人数据副本（PRIV-4）"),
            _("下载链接有效期 7 天，期满删除"), ("file", _("个人数据 ZIP 文件"), ENCRYPTED_FILE)),
    *_items("rights.Correction", GENERAL, _("本人更正个人信息的记录（PRIV-5），原值和新值均已遮盖"),
            RECORDS, ("changes", _("更正的字段及遮盖后的值"), PLAIN)),
    # chat and virtual numbers (issue 12)
    *_items("messaging.LocalAxbBinding", SENSITIVE,
            _("虚拟号码通话：本地号码服务商为接通双方保存的真实号码（MSG-4）"),
            _("绑定有效期内；解绑后仅保留通话记录"),
            ("a_ciphertext", _("甲方手机号"), ENCRYPTED),
            ("a_index", _("甲方手机号查找索引"), KEYED_HASH),
            ("b_ciphertext", _("乙方手机号"), ENCRYPTED),
            ("b_index", _("乙方手机号查找索引"), KEYED_HASH)),
    *_items("messaging.LocalCallRecord", SENSITIVE, _("虚拟号码通话记录（MSG-4）"), RECORDS,
            ("caller_index", _("主叫号码查找索引"), KEYED_HASH)),
    # complaints desk (issue 13)
    *_items("tickets.Case", SENSITIVE,
            _("受理投诉举报、联系投诉人并告知结果；对被投诉方保密（TKT-1、TKT-5）"), RECORDS,
            ("complainant_name_ciphertext", _("投诉人姓名"), ENCRYPTED),
            ("contact_ciphertext", _("投诉人联系方式"), ENCRYPTED)),
    *_items("tickets.CaseEvidence", GENERAL, _("投诉证据材料的原文件名（TKT-1）"), RECORDS,
            ("original_name", _("证据文件名"), PLAIN)),
    *_items("tickets.TicketAttachment", GENERAL, _("客服工单附件的原文件名（TKT-8）"), RECORDS,
            ("original_name", _("附件文件名"), PLAIN)),
    *_items("recommendations.DeletedTag", GENERAL, _("个性化推荐：用户删除的兴趣标签（REC-2）"),
            ACCOUNT, ("value", _("兴趣标签"), PLAIN)),
])

#: Fields whose names look personal but hold organisation or platform data.
NOT_PERSONAL: dict[str, str] = {
    "tickets.FaqCategory.name": _("帮助中心常见问题的分类名称"),
    "tickets.FaqRevision.category_name": _("常见问题历史版本所属分类的名称"),
    "accounts.ApiToken.name": _("用户给接口令牌起的标签"),
    "disclosure.OperatorProfile.company_name": _("平台运营主体的公示信息"),
    "disclosure.OperatorProfile.complaint_email": _("平台公示的投诉邮箱"),
    "disclosure.OperatorProfile.address": _("平台公示的地址"),
    "disclosure.OperatorProfile.regulator_name": _("监管部门名称"),
    "disclosure.ServiceOffering.name": _("服务项目名称"),
    "notifications.NotificationPreference.email_enabled": _("通知渠道开关"),
    "jobs.Posting.address": _("工作地点（单位地址）"),
    "rights.ExportDestination.name": _("导出目的地的名称（平台配置）"),
    "jobs.Posting.repost_source_name": _("转载来源网站名称"),
    "orgs.Organisation.name": _("单位名称（单位信息，非个人信息）"),
    "orgs.Organisation.address": _("单位地址"),
    "orgs.ClientAuthorisation.client_name": _("委托单位名称"),
    "orgs.RegistryLookup.name": _("工商登记的单位名称"),
    "orgs.MicroDeposit.bank_name": _("对公账户开户行"),
    "orgs.MicroDeposit.account_masked": _("对公账户（单位信息，已脱敏）"),
    "orgs.MicroDeposit.account_index": _("对公账户查找索引"),
    "orgs.LocalBankTransfer.account_index": _("对公账户查找索引（本地银行通道）"),
    "orgs.SpecialPermitRule.permit_name": _("许可证名称"),
    "applications.ApplicationTag.name": _("招聘方自定义标签名"),
    "recommendations.Algorithm.name": _("算法名称"),
    "accounts.SmsCode.code_digest": _("验证码摘要（不是个人信息）"),
    "accounts.LoginRecord.session_digest": _("会话摘要"),
    "accounts.ApiToken.digest": _("令牌摘要"),
    "moderation.RuleSet.source_digest": _("审核规则文件摘要"),
    "interviews.LocalRoomParticipant.token_digest": _("面试间令牌摘要"),
    "orgs.EmailDomainCode.code_digest": _("企业邮箱验证码摘要"),
    "orgs.MicroDeposit.amount_digest": _("小额打款金额摘要"),
}


@dataclass(frozen=True)
class Finding:
    field: str
    issue: str
    fix: str


#: Sensitive data not yet encrypted at rest: the inventory says so instead of hiding it.
FINDINGS: tuple[Finding, ...] = ()


def by_app() -> list[tuple[str, list[Item]]]:
    """The inventory grouped by app label, for the staff page."""
    groups: dict[str, list[Item]] = {}
    for item in INVENTORY:
        groups.setdefault(item.field.split(".")[0], []).append(item)
    return sorted(groups.items())
