"""Résumé quality (RES-3, MOD-8): the required fields for review, the completeness score with
hints naming the missing sections, and wording hints (shown only with the seeker's consent).

Pure reads of a résumé; no writes, no decryption (the masked contact fields say whether a
phone number or e-mail address was given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from pinqiao.resumes.models import Resume

SELF_INTRO_SHORT = 50
SELF_INTRO_LONG = 800
GAP_MONTHS = 6


@dataclass(frozen=True)
class Hint:
    section: str
    message: str
    points: int = 0


def _has_attachment(resume: Resume) -> bool:
    return getattr(resume, "attachment", None) is not None


def missing_required(resume: Resume) -> dict[str, str]:
    """MOD-8 completeness review: field → what to add. An empty dict means complete."""
    missing: dict[str, str] = {}
    if not resume.full_name:
        missing["full_name"] = _("请填写姓名。")
    if not resume.phone_ciphertext:
        missing["phone"] = _("请填写手机号，招聘方在您同意后才能看到。")
    if not resume.desired_function:
        missing["desired_function"] = _("请选择期望职能。")
    if not resume.desired_city:
        missing["desired_city"] = _("请选择期望工作城市。")
    if not resume.education.exists() and not _has_attachment(resume):
        missing["education"] = _("请至少填写一段教育经历（或上传附件简历）。")
    return missing


def completeness(resume: Resume) -> tuple[int, list[Hint]]:
    """A score from 0 to 100 and, for each section not yet full, a hint naming it and the points
    it would add; hints are ordered by points, largest first."""
    intro = len(resume.self_introduction)
    parts: list[tuple[str, int, int, str]] = [
        # (section, points earned, points possible, hint)
        ("basic", (8 if resume.full_name else 0) + (2 if resume.gender else 0)
         + (5 if resume.birth_date else 0), 15,
         _("基本信息：补全姓名、性别和出生日期。")),
        ("photo", 5 if resume.photo else 0, 5, _("照片：上传一张正面证件照。")),
        ("contact", (8 if resume.phone_ciphertext else 0)
         + (2 if resume.email_ciphertext else 0), 10,
         _("联系方式：填写手机号和电子邮箱（招聘方须经您同意才能看到）。")),
        ("intention", (5 if resume.desired_function else 0) + (5 if resume.desired_city else 0)
         + (2 if resume.desired_industry else 0)
         + (3 if resume.desired_pay_min or resume.desired_pay_max else 0), 15,
         _("求职意向：选择期望职能、城市、行业并填写期望薪资。")),
        ("education", 15 if resume.education.exists() else 0, 15,
         _("教育经历：添加学校、专业、学历和起止时间。")),
        ("work", 15 if resume.work.exists() else 0, 15,
         _("工作经历：添加单位、职位、起止时间和工作成果（应届生可填写实习经历）。")),
        ("about", 10 if intro >= 30 else (5 if intro else 0), 10,
         _("自我介绍：用 100–300 字介绍您擅长什么、做成过什么。")),
        ("skills", 5 if resume.skills else 0, 5, _("技能：列出您掌握的技能，用逗号分隔。")),
        ("certificates", 4 if resume.certificates.exists() else 0, 4,
         _("职业证书：添加您取得的资格证书或技能等级证书。")),
        ("honours", 3 if resume.honours.exists() else 0, 3, _("荣誉成果：添加获奖或荣誉。")),
        ("interests", 3 if resume.interests else 0, 3, _("兴趣爱好：简单写几项。")),
    ]
    score = sum(earned for _s, earned, _p, _h in parts)
    hints = [Hint(section, hint, possible - earned)
             for section, earned, possible, hint in parts if earned < possible]
    hints.sort(key=lambda h: -h.points)
    return score, hints


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def wording_hints(resume: Resume, *, today: date) -> list[Hint]:
    """RES-3 wording suggestions: a short or long self-introduction, work entries without
    achievements, overlapping work periods and long gaps between jobs."""
    hints: list[Hint] = []
    intro = len(resume.self_introduction)
    if 0 < intro < SELF_INTRO_SHORT:
        hints.append(Hint("about", _("自我介绍较短（%(n)s 字），建议写到 100–300 字：擅长什么、"
                                     "做成过什么、想找什么样的工作。") % {"n": intro}))
    elif intro > SELF_INTRO_LONG:
        hints.append(Hint("about", _("自我介绍较长（%(n)s 字），招聘方通常只看前几行，"
                                     "建议精简到 300 字以内。") % {"n": intro}))
    work = list(resume.work.all())
    for row in work:
        if not row.achievements.strip():
            hints.append(Hint("work", _("“%(c)s · %(t)s”没有写工作成果，建议用数字说明，"
                                        "如“发货差错率从 2%% 降到 0.5%%”。")
                              % {"c": row.company, "t": row.title}))
        elif not any(ch.isdigit() for ch in row.achievements):
            hints.append(Hint("work", _("“%(c)s · %(t)s”的工作成果没有数字，"
                                        "加上规模、比例或金额会更有说服力。")
                              % {"c": row.company, "t": row.title}))
    periods = sorted(((row.start_date, row.end_date or today, row) for row in work),
                     key=lambda p: p[0])
    for (_start, end_a, a), (start_b, _end, b) in zip(periods, periods[1:], strict=False):
        if start_b < end_a:
            hints.append(Hint("work", _("“%(a)s”与“%(b)s”的时间重叠，请核对起止时间；"
                                        "如确为兼职同时进行，可在工作内容中注明。")
                              % {"a": a.company, "b": b.company}))
        elif _months(end_a, start_b) > GAP_MONTHS:
            hints.append(Hint("work", _("“%(a)s”与“%(b)s”之间有 %(n)s 个月空档，"
                                        "可在自我介绍中简要说明（如进修、照顾家人）。")
                              % {"a": a.company, "b": b.company,
                                 "n": _months(end_a, start_b)}))
    for row in resume.education.all():
        if row.end_date and row.end_date > today and not row.description:
            hints.append(Hint("education", _("在读的“%(s)s”可以写上课程、实习或社会实践。")
                              % {"s": row.school}))
    return hints
