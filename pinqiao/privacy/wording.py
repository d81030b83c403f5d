"""What each consent means, shown where it is given and in the consent centre (PIPL Arts. 14,
23, 29: informed, separate, withdrawable)."""

from django.utils.translation import gettext_lazy as _

from pinqiao.privacy.models import ConsentPurpose

#: Purposes a user may switch on in the consent centre; the others are given in context
#: (when applying, when answering a contact request, before real-name verification).
SELF_SERVICE = (ConsentPurpose.PERSONALISATION, ConsentPurpose.RESUME_SUGGESTIONS)

EXPLANATIONS = {
    ConsentPurpose.RESUME_TO_EMPLOYER: _(
        "该单位可以查看您的在线简历（联系方式除外，除非您另行同意）。投递时按单位分别、单独取得。"
        "撤回后该单位不能再打开您的简历；若您的简历设为对已认证招聘方公开，该单位仍可按公开范围查看，"
        "已屏蔽的单位始终看不到。已提交的投递不会因撤回而取消。"),
    ConsentPurpose.CONTACT_RELEASE: _(
        "该单位可以看到您简历中的手机号、电子邮箱和即时通讯账号，仅用于就招聘事宜与您联系。"
        "撤回立即生效：该单位下一次打开您的简历时只能看到打码后的联系方式。"),
    ConsentPurpose.SENSITIVE_DATA: _(
        "平台处理您的敏感个人信息（如身份证号码、照片），仅用于实名认证等您使用的功能；"
        "敏感信息加密存储，撤回后平台不再处理，相关功能将无法使用。"),
    ConsentPurpose.PERSONALISATION: _(
        "平台根据您的简历、求职意向和浏览记录为您推荐职位。撤回后推荐不再使用您的个人特征，"
        "您看到的是不针对个人的职位列表。"),
    ConsentPurpose.RESUME_SUGGESTIONS: _(
        "平台分析您的简历内容，给出完整度评分和修改建议；分析只在平台内部进行，不提供给任何单位。"),
}

LEGAL_BASIS = _(
    "依据《中华人民共和国个人信息保护法》第十四条、第二十三条和第二十九条，向用人单位提供您的简历或"
    "联系方式、处理您的敏感个人信息，都需要您在充分知情的前提下单独同意。每一项同意都单独记录，"
    "您可以随时撤回；撤回不影响撤回前基于您的同意已进行的处理。")
