"""Forms for the registration wizard, the owner's pages and the reviewer console. They only
parse input; every rule lives in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.orgs.models import (
    CheckKind,
    CheckResult,
    DocumentKind,
    LicenceKind,
    OrgKind,
    Severity,
    SpecialPermitRule,
)
from pinqiao.reference import taxonomy

FILE_ACCEPT = {"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
DATE = {"type": "date"}


def industry_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = [("", _("请选择"))]
    for top in taxonomy.industries():
        children = taxonomy.industry_children(top.code)
        groups.append((top.name, [(c.code, c.name) for c in children] or [(top.code, top.name)]))
    return groups


def _file(label: str, help_text: str = "", required: bool = True) -> forms.FileField:
    return forms.FileField(label=label, required=required, widget=forms.ClearableFileInput(
        attrs=FILE_ACCEPT), help_text=help_text or _("PDF、PNG 或 JPEG，不超过 10 MB。"))


class OrganisationForm(forms.Form):
    """Wizard step 1 (ORG-1)."""

    kind = forms.ChoiceField(label=_("账号类型"), choices=OrgKind.choices,
                             widget=forms.RadioSelect, initial=OrgKind.EMPLOYER)
    name = forms.CharField(label=_("单位全称"), max_length=100,
                           help_text=_("与营业执照上的名称一致。"))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                                  help_text=_("18位，提交时按 GB 32100 校验。"))
    industry = forms.ChoiceField(label=_("所属行业"), choices=industry_choices)
    founded_on = forms.DateField(label=_("成立日期"), widget=forms.DateInput(attrs=DATE))
    address = forms.CharField(label=_("单位地址"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话（手机）"), max_length=20)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    website = forms.CharField(label=_("单位网址"), max_length=200, required=False)
    introduction = forms.CharField(label=_("单位简介"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4}))


class MaterialsForm(forms.Form):
    """Wizard step 2 (ORG-1, ORG-4, ORG-5, DISC-4)."""

    responsible_name = forms.CharField(label=_("经办人姓名"), max_length=50)
    responsible_id_number = forms.CharField(label=_("经办人身份证号"), max_length=20,
                                            help_text=_("加密保存，仅审核使用。"))
    id_proof = _file(_("经办人身份证明"))
    authorisation_letter = _file(_("单位授权书（加盖公章）"))
    business_licence_number = forms.CharField(label=_("营业执照/批准文件编号"), max_length=60)
    business_licence_authority = forms.CharField(label=_("发证/批准机关"), max_length=100)
    business_licence_valid_until = forms.DateField(
        label=_("营业执照有效期至"), required=False, widget=forms.DateInput(attrs=DATE),
        help_text=_("长期有效的留空。"))
    business_licence = _file(_("营业执照或批准设立文件"))
    hr_licence_number = forms.CharField(label=_("人力资源服务许可证编号"), max_length=60,
                                        required=False)
    hr_licence_authority = forms.CharField(label=_("许可证发证机关"), max_length=100,
                                           required=False)
    hr_licence_scope = forms.CharField(label=_("许可服务范围"), required=False, max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text=_("代招须含“网络招聘”。"))
    hr_licence_valid_until = forms.DateField(label=_("许可证有效期至"), required=False,
                                             widget=forms.DateInput(attrs=DATE))
    hr_licence = _file(_("人力资源服务许可证"), required=False)
    charges_seekers = forms.BooleanField(label=_("向求职者收取费用"), required=False)
    seeker_fee_description = forms.CharField(
        label=_("收费项目及标准"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("将在代招职位下向求职者公示。"))
    dispatch_licence_number = forms.CharField(label=_("劳务派遣经营许可证编号（如有）"),
                                              max_length=60, required=False)
    dispatch_licence_authority = forms.CharField(label=_("派遣许可证发证机关"), max_length=100,
                                                 required=False)
    dispatch_licence_valid_until = forms.DateField(label=_("派遣许可证有效期至"),
                                                   required=False,
                                                   widget=forms.DateInput(attrs=DATE))
    dispatch_licence = _file(_("劳务派遣经营许可证"), required=False)

    AGENCY_ONLY = ("hr_licence_number", "hr_licence_authority", "hr_licence_scope",
                   "hr_licence_valid_until", "hr_licence", "charges_seekers",
                   "seeker_fee_description")

    def __init__(self, *args: Any, kind: str = OrgKind.EMPLOYER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != OrgKind.AGENCY:
            for name in self.AGENCY_ONLY:
                del self.fields[name]


class ConfirmForm(forms.Form):
    """Wizard step 3: credit pledge (ORG-1) and service agreement (ORG-10)."""

    pledge_signed = forms.BooleanField(
        label=_("我代表本单位签署信用承诺：所提交材料真实有效，发布的招聘信息真实、合法，"
                "不向求职者收取押金，不发布歧视性内容。"), required=False)
    agreement_accepted = forms.BooleanField(label=_("我已阅读并同意上方的平台服务协议"),
                                            required=False)
    agreement_version = forms.CharField(widget=forms.HiddenInput)


PERM_LABELS = {"can_post_jobs": _("发布职位"), "can_view_resumes": _("查看简历"),
               "can_chat": _("沟通求职者"), "can_manage_booths": _("管理招聘会展位")}


class MemberPermsForm(forms.Form):
    can_post_jobs = forms.BooleanField(label=PERM_LABELS["can_post_jobs"], required=False)
    can_view_resumes = forms.BooleanField(label=PERM_LABELS["can_view_resumes"], required=False)
    can_chat = forms.BooleanField(label=PERM_LABELS["can_chat"], required=False)
    can_manage_booths = forms.BooleanField(label=PERM_LABELS["can_manage_booths"],
                                           required=False)


class MemberInviteForm(MemberPermsForm):
    phone = forms.CharField(label=_("成员手机号"), max_length=20)
    field_order = ["phone"]


def permit_choices() -> list[tuple[str, str]]:
    return [("", _("不适用"))] + [(r.slug, f"{r.industry_label}：{r.permit_name}")
                                 for r in SpecialPermitRule.objects.filter(is_active=True)]


class LicenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("证照类型"), choices=LicenceKind.choices)
    permit = forms.ChoiceField(label=_("特许经营许可类别"), choices=permit_choices,
                               required=False)
    number = forms.CharField(label=_("证书编号"), max_length=60)
    authority = forms.CharField(label=_("发证机关"), max_length=100)
    scope = forms.CharField(label=_("许可/经营范围"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    valid_until = forms.DateField(label=_("有效期至"), required=False,
                                  widget=forms.DateInput(attrs=DATE))
    client = forms.TypedChoiceField(label=_("委托单位的许可证（代招）"), required=False,
                                    coerce=int, empty_value=None,
                                    help_text=_("为委托单位代招特许行业职位时，选择该单位。"))
    file = _file(_("证照文件"))

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = list(organisation.client_authorisations.all()) if organisation is not None \
            and organisation.kind == OrgKind.AGENCY else []
        if clients:
            self.fields["client"].choices = [("", _("本机构自己的证照"))] + [
                (c.pk, str(c)) for c in clients]
        else:
            del self.fields["client"]


class ClientForm(forms.Form):
    client_name = forms.CharField(label=_("委托单位全称"), max_length=100)
    client_credit_code = forms.CharField(label=_("委托单位统一社会信用代码"), max_length=30)
    scope = forms.CharField(label=_("委托招聘的岗位及人数"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("委托起始日期"), widget=forms.DateInput(attrs=DATE))
    valid_until = forms.DateField(label=_("委托截止日期"), widget=forms.DateInput(attrs=DATE))
    file = _file(_("委托证明（加盖委托单位公章）"))


class ProfileForm(forms.Form):
    introduction = forms.CharField(label=_("单位简介"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    highlights = forms.CharField(label=_("优势亮点"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    benefits = forms.CharField(label=_("福利待遇"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.CharField(label=_("管理团队"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.CharField(label=_("单位网址"), required=False, max_length=200)
    logo = forms.FileField(
        label=_("单位标志"), required=False, help_text=_("PNG 或 JPEG。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))
    charges_seekers = forms.BooleanField(label=_("向求职者收取费用"), required=False)
    seeker_fee_description = forms.CharField(label=_("收费项目及标准"), required=False,
                                             max_length=2000,
                                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kind: str = OrgKind.EMPLOYER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != OrgKind.AGENCY:
            del self.fields["charges_seekers"]
            del self.fields["seeker_fee_description"]


class BankStartForm(forms.Form):
    bank_name = forms.CharField(label=_("开户银行"), max_length=60)
    account_number = forms.CharField(label=_("对公结算账号"), max_length=40)


class BankConfirmForm(forms.Form):
    amount_yuan = forms.CharField(label=_("收到的打款金额（元）"), max_length=10)


class EmailSendForm(forms.Form):
    email = forms.CharField(label=_("企业邮箱"), max_length=254)


class EmailConfirmForm(forms.Form):
    code = forms.CharField(label=_("邮箱验证码"), max_length=10)


# --- Reviewer console ----------------------------------------------------------------------

class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("核验项目"), choices=[
        (CheckKind.SOCIAL_INSURANCE, CheckKind.SOCIAL_INSURANCE.label),
        (CheckKind.SITE_VISIT, CheckKind.SITE_VISIT.label),
        (CheckKind.BANK, _("企业银行账户（人工核验）")),
        (CheckKind.EMAIL, _("企业邮箱（人工核验）"))])
    result = forms.ChoiceField(label=_("结果"), choices=[
        (CheckResult.PASSED, CheckResult.PASSED.label),
        (CheckResult.FAILED, CheckResult.FAILED.label)])
    visited_on = forms.DateField(label=_("走访日期"), required=False,
                                 widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("核验说明"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因或说明（申请人可见）"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ViolationForm(forms.Form):
    rule = forms.CharField(label=_("违反的规则"), max_length=200)
    what = forms.CharField(label=_("违规事实"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    sanction = forms.CharField(label=_("处理措施"), max_length=200)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)


class SpecialPermitRuleForm(forms.Form):
    slug = forms.CharField(label=_("代码"), max_length=40, required=False,
                           help_text=_("新增时填写，小写字母、数字和下划线。"))
    industry_label = forms.CharField(label=_("特许行业"), max_length=60)
    permit_name = forms.CharField(label=_("所需许可证"), max_length=60)
    authority = forms.CharField(label=_("发证机关"), max_length=100)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False)
    industries = forms.MultipleChoiceField(
        label=_("适用行业"), help_text=_("可多选（按住 Ctrl 或 ⌘ 点选）。"),
        widget=forms.SelectMultiple(attrs={"size": 12}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = [
            (top.name, [(child.code, child.name) for child in taxonomy.industry_children(top.code)])
            for top in taxonomy.industries()]

    def clean_industries(self) -> str:
        """The service takes the industry codes as one comma-separated string."""
        return ", ".join(self.cleaned_data["industries"])


class AgreementAcceptForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    accepted = forms.BooleanField(label=_("我已阅读并同意新版平台服务协议"), required=True)


class AgreementPublishForm(forms.Form):
    version = forms.CharField(label=_("版本号"), max_length=20)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=[
        (DocumentKind.SOCIAL_INSURANCE, DocumentKind.SOCIAL_INSURANCE.label),
        (DocumentKind.AUTHORISATION_LETTER, DocumentKind.AUTHORISATION_LETTER.label),
        (DocumentKind.ID_PROOF, DocumentKind.ID_PROOF.label),
        (DocumentKind.BUSINESS_LICENCE, DocumentKind.BUSINESS_LICENCE.label)])
    file = _file(_("文件"))


class BrochureForm(forms.Form):
    """招聘简章 (ORG-13): a title and a text, optionally a PDF whose text is read out."""

    title = forms.CharField(label=_("简章标题"), max_length=100)
    body = forms.CharField(label=_("简章正文"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("可直接填写，也可上传 PDF；两者都会按招聘信息的规则审核。"))
    pdf = forms.FileField(label=_("简章 PDF（可选）"), required=False,
                          help_text=_("PDF 中的文字会被读出并审核，审核通过后显示在单位主页上。"),
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    drop_pdf = forms.BooleanField(label=_("删除已上传的 PDF"), required=False)
