"""What chat does with a screening result (MOD-1, MSG-2, DISC-6).

The rule data is the moderation app's (the same rule set and rule editor; rules limited to the
``chat`` context apply here). Chat turns a decision into an action per category:

* ``block`` — sexual services, drugs, gambling and other illegal content (except the
  pyramid-scheme rule), and harassment (threats, insults, sexual harassment): the message is
  refused and never delivered;
* ``mask`` — fees and deposits, 导流 contact details, fraud pitches, pyramid pitches,
  discrimination: the message is delivered with the matched words replaced by ＊ and the seeker
  sees a safety tip beside it that names the risk.

Masking instead of holding keeps a real-time conversation in order (a held message would arrive
out of sequence after review); the original text stays in the screening record for reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pinqiao.moderation.models import ScreeningRecord

#: Illegal-content rules whose messages are still delivered (masked, with a tip).
MASKED_ILLEGAL_RULES = frozenset({"illegal.pyramid"})

#: Categories whose messages are refused outright.
BLOCKED_CATEGORIES = frozenset({"illegal_content", "harassment"})

#: Categories that count towards the escalation (warning → forced logout → chat ban).
#: Contact details alone do not: seekers often type their own number in good faith.
COUNTED = ("fee_charging", "fraud", "illegal_content", "harassment", "discrimination.")

#: The safety tip the seeker sees beside a masked message, naming the risk (DISC-6).
TIPS = {
    "fee_charging": _("安全提示：对方提到押金、培训费等费用。正规招聘不会以任何名义向求职者收费，"
                      "请勿转账或交押金，遇到收费请举报。"),
    "contact_info": _("安全提示：对方试图引导您到平台外联系（微信、QQ、电话）。"
                      "站外沟通不受平台保护，可使用「交换电话」（虚拟号码）或「交换微信」。"),
    "fraud": _("安全提示：消息疑似刷单、高薪诱骗或境外招工等诈骗话术，"
               "请提高警惕，勿轻信、勿转账。"),
    "illegal_content": _("安全提示：消息疑似传销（拉人头、发展下线、交钱入会），"
                         "请勿参与并及时举报。"),
    "discrimination": _("提示：消息含有就业歧视内容（性别、婚育、地域、健康等），您可以举报。"),
}

TIP_ORDER = ("fee_charging", "fraud", "illegal_content", "contact_info", "discrimination")


@dataclass(frozen=True)
class ChatVerdict:
    action: str  # "deliver" | "mask" | "block"
    body: str
    categories: tuple[str, ...]
    counted: bool


def _group(category: str) -> str:
    return "discrimination" if category.startswith("discrimination.") else category


def tip_for(categories: list[str] | tuple[str, ...]) -> str:
    """The tip for the strongest risk among ``categories``, or ""."""
    groups = {_group(c) for c in categories}
    for group in TIP_ORDER:
        if group in groups:
            return str(TIPS[group])
    return ""


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            if not chars[i].isspace():
                chars[i] = "＊"
    return "".join(chars)


def verdict(text: str, record: ScreeningRecord) -> ChatVerdict:
    """Turn the screening record of ``text`` into the chat action."""
    if record.decision == "pass" or not record.evidence:
        return ChatVerdict("deliver", text, (), False)
    categories = tuple(dict.fromkeys(record.categories))
    blocking = [e for e in record.evidence if e["category"] in BLOCKED_CATEGORIES
                and e["rule_id"] not in MASKED_ILLEGAL_RULES]
    counted = any(c.startswith(COUNTED) for c in categories)
    if blocking:
        return ChatVerdict("block", "", categories, True)
    spans = [(e["start"], e["end"]) for e in record.evidence]
    return ChatVerdict("mask", _mask(text, spans), categories, counted)
