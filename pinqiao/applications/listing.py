"""The rows of the recruiter's applicant list (APP-2, issue 15 cards), rendered in Python.

The template rendered each of the page's 50 rows with an include for the card, a ``{% url %}``,
seven ``data-label`` translations and ~25 more for the card: about 1,180 translation calls and
most of the page's 65-80 ms of CPU (issue 14, ``docs/benchmarks.md``). Here the words are
translated once per language and process, the detail address is reversed once per page, and
each row is one string with every value escaped (``html.escape``, what Django's ``escape``
does, without its lazy-string wrapper per call); the markup is the template's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pinqiao.applications.cards import CandidateCard, CardText, card_text, render_card
from pinqiao.applications.models import Application
from pinqiao.core.masking import mask_name

#: Reversed with this id once per page; each row puts its own id in its place.
_PLACEHOLDER = 2_147_483_647


@dataclass(frozen=True)
class RowText:
    """The words of a row in one language."""

    pick: str
    seeker: str
    application: str
    posting: str
    stage: str
    knockout: str
    tags: str
    applied_at: str
    overdue: str
    met: str
    not_met: str


@cache
def _row_text(language: str | None) -> RowText:
    return RowText(pick=_("选择投递"), seeker=_("求职者"), application=_("投递"),
                   posting=_("职位"), stage=_("阶段"), knockout=_("必要条件"), tags=_("标签"),
                   applied_at=_("投递时间"), overdue=_("超期未处理"), met=_("符合"),
                   not_met=_("不符合"))


def _knockout(met: bool | None, text: RowText) -> str:
    if met is True:
        return f'<span class="badge free">{escape(text.met)}</span>'
    if met is False:
        return f'<span class="badge paid">{escape(text.not_met)}</span>'
    return "—"


def _row(application: Application, card: CandidateCard, tags: list[str],
         detail: tuple[str, str], text: RowText, words: CardText) -> str:
    pk = application.pk
    name = escape(mask_name(application.resume.full_name) or text.seeker)
    overdue = (f' <span class="badge paid">{escape(text.overdue)}</span>'
               if application.reminded_at and not application.is_final else "")
    badges = "".join(f'<span class="badge">{escape(tag)}</span> ' for tag in tags)
    created = timezone.localtime(application.created_at).date().isoformat()
    return (
        f'<tr>\n    <td><input type="checkbox" name="ids" value="{pk}" id="pick-{pk}" '
        f'aria-label="{escape(text.pick)} {pk}"></td>\n'
        f'    <td><a href="{escape(detail[0])}{pk}{escape(detail[1])}">{name}</a> '
        f'<small class="muted">{escape(text.application)} #{pk}</small>\n'
        f'      {render_card(card, words, card.answers)}</td>\n'
        f'    <td data-label="{escape(text.posting)}">{escape(application.posting.title)}</td>\n'
        f'    <td data-label="{escape(text.stage)}"><span class="badge">'
        f'{escape(application.stage_label)}</span>{overdue}</td>\n'
        f'    <td data-label="{escape(text.knockout)}">'
        f'{_knockout(application.knockout_met, text)}</td>\n'
        f'    <td data-label="{escape(text.tags)}">{badges}</td>\n'
        f'    <td data-label="{escape(text.applied_at)}">{created}</td>\n  </tr>')


def applicant_rows(applications: list[Application],
                   cards: dict[int, CandidateCard]) -> list[SafeString]:
    """One table row per application of the page, with its candidate card (``cards``) and its
    tags (one query for the page, names only)."""
    text, words = _row_text(get_language()), card_text()
    head, _sep, tail = reverse("applications:recruiter_detail",
                               args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    tags: dict[int, list[str]] = {}
    for application_id, name in (Application.tags.through.objects
                                 .filter(application_id__in=[a.pk for a in applications])
                                 .order_by("applicationtag__name")
                                 .values_list("application_id", "applicationtag__name")):
        tags.setdefault(application_id, []).append(name)
    return [mark_safe(_row(a, cards[a.pk], tags.get(a.pk, []), (head, tail), text, words))
            for a in applications]
