"""Public disclosure (DISC-1, DISC-2, DISC-3, DISC-5): the operator's licences and credit, the
services and prices, and the versioned legal documents with their acceptances."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.core.permissions import Role


class OperatorProfile(models.Model):
    """The platform operator's own disclosure record; one row, edited by operators."""

    company_name = models.CharField(_("运营主体"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    business_licence_no = models.CharField(_("营业执照注册号"), max_length=50)
    hr_licence_no = models.CharField(_("人力资源服务许可证编号"), max_length=50)
    hr_licence_authority = models.CharField(_("发证机关"), max_length=100)
    hr_licence_valid_until = models.DateField(_("许可证有效期至"))
    icp_no = models.CharField(_("ICP备案/许可证号"), max_length=50)
    complaint_hotline = models.CharField(_("投诉举报电话"), max_length=30)
    complaint_email = models.EmailField(_("投诉举报邮箱"))
    address = models.CharField(_("联系地址"), max_length=200)
    credit_score = models.PositiveSmallIntegerField(_("信用评分"), default=100)
    credit_grade = models.CharField(_("信用等级"), max_length=10, default="A")
    violation_summary = models.TextField(_("违法违规记录"), blank=True)
    regulator_name = models.CharField(_("监管部门"), max_length=100)
    regulator_url = models.URLField(_("监管部门网址"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("运营主体公示信息")
        verbose_name_plural = _("运营主体公示信息")

    def __str__(self) -> str:
        return self.company_name


class ServiceOffering(models.Model):
    """One service on the public services-and-prices page (DISC-2)."""

    class Audience(models.TextChoices):
        SEEKER = "seeker", _("求职者")
        EMPLOYER = "employer", _("用人单位")
        AGENCY = "agency", _("人力资源服务机构")

    name = models.CharField(_("服务名称"), max_length=100)
    audience = models.CharField(_("服务对象"), max_length=16, choices=Audience.choices)
    description = models.TextField(_("服务内容"))
    is_free = models.BooleanField(_("免费"), default=True)
    price_yuan = models.DecimalField(_("价格（元）"), max_digits=10, decimal_places=2,
                                     default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))])
    price_unit = models.CharField(_("计价单位"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("展示"), default=True)

    class Meta:
        ordering = ["audience", "sort_order", "pk"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_free=True, price_yuan=0) | Q(is_free=False, price_yuan__gt=0)),
                name="service_free_has_no_price",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LegalKind(models.TextChoices):
    USER_AGREEMENT = "user_agreement", _("用户协议")
    PRIVACY_POLICY = "privacy_policy", _("隐私政策")
    BEHAVIOUR_RULES = "behaviour_rules", _("用户行为规范")
    POSTING_RULES = "posting_rules", _("招聘信息发布规则")
    CREDIT_PLEDGE = "credit_pledge", _("信用承诺书")


# Which documents each role must accept; recruiters also accept the posting rules and pledge.
REQUIRED_KINDS: dict[str, tuple[str, ...]] = {
    Role.SEEKER: (LegalKind.USER_AGREEMENT, LegalKind.PRIVACY_POLICY, LegalKind.BEHAVIOUR_RULES),
    Role.RECRUITER: (LegalKind.USER_AGREEMENT, LegalKind.PRIVACY_POLICY,
                     LegalKind.BEHAVIOUR_RULES, LegalKind.POSTING_RULES,
                     LegalKind.CREDIT_PLEDGE),
}


class LegalDocument(models.Model):
    """One version of a legal document. The newest published version of a kind is in force."""

    kind = models.CharField(_("类型"), max_length=32, choices=LegalKind.choices)
    version = models.CharField(_("版本号"), max_length=20)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    summary_of_changes = models.TextField(_("修订说明"), blank=True)
    published_at = models.DateTimeField(_("生效时间"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-published_at"]
        verbose_name = _("协议与规则")
        verbose_name_plural = _("协议与规则")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legal_kind_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class LegalAcceptance(models.Model):
    """A user's acceptance of one document version: when and from where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="legal_acceptances")
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT,
                                 related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="legal_acceptance_once"),
        ]
