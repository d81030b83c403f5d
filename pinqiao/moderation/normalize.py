"""Text normalisation for screening, with an offset map back to the original text.

Screening (MOD-1, MOD-3) matches rules against a *normalised view* of the input so that
full-width letters, upper case, zero-width characters, decorative combining marks and
spacing tricks do not hide a forbidden phrase or a phone number. Every character of a view
remembers which characters of the original text it came from, so that evidence can be
highlighted in the text the poster actually wrote (MOD-5), even where normalisation changed
the length of the string (deleted spaces, "㈠" expanded to "(一)", an emoji keycap reduced to
its digit).

Three views are built:

* ``compact``: NFKC, lower case, Traditional characters mapped to Simplified ones ("僅限女性"
  reads "仅限女性"), zero-width characters, combining marks and pictographs (emoji, "★",
  "☎") removed, *all* whitespace removed, so "限 男 性" and "加🌹微🌹信" read "限男性" and
  "加微信". Word lists (Aho-Corasick) run on this view.
* ``spaced``: the same, but whitespace stays (one space per whitespace character, never
  collapsed), so spaces still separate tokens ("销售代表 男性 形象好", "hr at example
  dot com").
* ``digits``: the spaced view with Chinese numerals mapped to digits where they spell a
  number ("一三八…" -> "138…", "壹叁捌…" -> "138…", "幺" -> "1"), for contact-detail
  patterns. Same length as ``spaced``.

The full-width punctuation that fills every Chinese text (``KEPT_PUNCTUATION``: "，：；！？（）")
is kept as written instead of being folded to ASCII, which keeps normalisation cheap; rules
accept both forms.

Separators *between digits* ("138-1234-5678", "1 3 8 ...") are deliberately not removed here:
the contact patterns accept them explicitly, because removing them would also glue salary
ranges such as "13000-150000" into something that looks like a mobile number.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import opencc

_ZERO_WIDTH = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067"
    "\u2068\u2069\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a"
    "\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)

#: Chinese numerals (plain, financial and the phone-reading "幺") mapped to ASCII digits.
CHINESE_DIGITS: dict[str, str] = {
    "〇": "0", "零": "0", "洞": "0",
    "一": "1", "壹": "1", "幺": "1", "么": "1",
    "二": "2", "贰": "2", "貳": "2",
    "三": "3", "叁": "3", "參": "3", "参": "3", "叄": "3",
    "四": "4", "肆": "4",
    "五": "5", "伍": "5",
    "六": "6", "陆": "6", "陸": "6",
    "七": "7", "柒": "7", "拐": "7",
    "八": "8", "捌": "8",
    "九": "9", "玖": "9", "勾": "9",
}  # fmt: skip

_DIGIT_TABLE = str.maketrans(CHINESE_DIGITS)
_DIGIT_CLASS = "[0-9" + "".join(CHINESE_DIGITS) + "]"
_NUMERAL_RUN = re.compile(
    "[" + "".join(CHINESE_DIGITS) + f"](?:[\\s\\-._·*/,，、|~]{{0,3}}{_DIGIT_CLASS}){{6,}}"
)
_NUMBER_RUN = re.compile(r"[0-9](?:[\s\-._·/,，、|~()（）]{0,3}[0-9x×*#?]){9,}")
#: A run of ten digits, numerals or masks in the spaced view: every run that
#: :func:`number_runs` finds in the digits view is one (numerals only turn into digits there).
_RUN_HINT = re.compile(
    "[0-9" + "".join(CHINESE_DIGITS) + "]"
    "(?:[\\s\\-._·*/,，、|~()（）]{0,3}[0-9x×*#?" + "".join(CHINESE_DIGITS) + "]){9,}"
)


#: The blocks of CJK ideographs whose Traditional forms OpenCC maps to Simplified ones.
_CJK_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Character map from Traditional to Simplified Chinese, built once from OpenCC's ``t2s``.

    Each ideograph is converted on its own, so the map holds OpenCC's default reading of every
    character (its ``TSCharacters`` dictionary, about 4,200 characters) and never changes the
    length of a text: offsets in a view still point at the character the poster wrote. The
    phrase dictionary (which picks a rarer reading in a few words) is not needed for matching,
    since rules are normalised through the same map.
    """
    converter = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for low, high in _CJK_BLOCKS:
        for code in range(low, high):
            char = chr(code)
            simplified = converter.convert(char)
            if simplified != char and len(simplified) == 1:
                table[char] = simplified
    return table


def _dropped(char: str) -> bool:
    """Whether ``char`` is left out of the views: zero-width characters, combining marks,
    format characters and pictographs (emoji and other symbols of category So, non-ASCII
    modifier symbols such as skin tones) that can be strewn between the characters of a word
    or a contact handle."""
    if char in _ZERO_WIDTH or unicodedata.combining(char):
        return True
    category = unicodedata.category(char)
    return category in ("Me", "Mn", "Cf", "So") or (category == "Sk" and char > "\x7f")


def _fold(char: str) -> str:
    """Return the normalised form of one character (NFKC, lower case, Simplified, marks and
    pictographs dropped)."""
    if _dropped(char):
        return ""
    folded = unicodedata.normalize("NFKC", char).lower()
    simplified = traditional_to_simplified()
    return "".join(simplified.get(c, c) for c in folded if not _dropped(c))


#: Full-width punctuation so common in Chinese text that views keep it as written (rules
#: accept both forms); translating it would cost a table look-up for nearly every posting.
KEPT_PUNCTUATION = "，：；！？（）"


class _Tables(NamedTuple):
    """The translation table and the patterns that find work to do (see :func:`_tables`)."""

    table: dict[int, str]
    translatable: re.Pattern[str]
    special: re.Pattern[str]
    special_or_space: re.Pattern[str]
    unusual: re.Pattern[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Build (once) the translation table and the patterns that find work to do.

    ``unusual`` finds a character that is translated or special. A character is *special*
    when its normalised form is not exactly one character (it is deleted or expanded) or
    when lower-casing alone would change its length. Other characters whose form changes
    are *translated* one-to-one, which keeps offsets; exotic whitespace becomes a plain
    space. ``str.lower`` does ordinary case folding in C before the table is consulted.
    """
    table: dict[int, str] = {}
    special: list[int] = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if len(char.lower()) != 1:
            special.append(code)
        elif char.isspace():
            if code > 0x7F:
                table[code] = " "
        elif char not in KEPT_PUNCTUATION:
            folded = _fold(char)
            if len(folded) != 1 or folded.isspace():
                special.append(code)
            elif folded != char.lower():
                table[code] = folded
    astral = "\U00010000-" + chr(sys.maxunicode)
    special_class = _char_class(special, astral)
    or_space = special_class[:-1] + "\\s]"
    # "[c][c]*" rather than "[c]+": a pattern that starts with a character class lets the regex
    # engine skip ahead with one set test per character (the class as a search prefix), which
    # halves the cost of scanning a text that holds no special character (nearly all do not).
    return _Tables(
        table,
        re.compile(_char_class(sorted(table), "")),
        re.compile(f"{special_class}{special_class}*"),
        re.compile(f"{or_space}{or_space}*"),
        re.compile(_char_class(sorted({*table, *special}), astral)),
    )


def _char_class(codes: list[int], extra: str) -> str:
    """Render sorted code points (plus ``extra`` class text) as a regex character class."""
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        first, last = re.escape(chr(start)), re.escape(chr(prev))
        ranges.append(first if start == prev else f"{first}-{last}")
        start = prev = code
    return "[" + "".join(ranges) + extra + "]"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised view of ``original`` and the map from view offsets back to it.

    The view is made of *pieces*. A linear piece copies a run of the original one
    character for one character; an atomic piece is the output of one special character
    and every character in it maps to that character's span.
    """

    original: str
    text: str
    piece_starts: tuple[int, ...]
    piece_sources: tuple[int, ...]
    piece_linear: tuple[bool, ...]

    def source_range(self, index: int) -> tuple[int, int]:
        """Return the ``[start, end)`` span of the original text behind view character ``index``."""
        k = bisect_right(self.piece_starts, index) - 1
        source = self.piece_sources[k]
        if self.piece_linear[k]:
            source += index - self.piece_starts[k]
        return source, source + 1

    def to_view(self, start: int, end: int) -> tuple[int, int]:
        """Map the original span ``[start, end)`` to the view (the inverse of ``to_original``).

        Characters the view dropped map to the position where they would have been.
        """
        return self._view_index(start), self._view_index(end - 1) + 1

    def _view_index(self, source: int) -> int:
        """Return the view offset of original character ``source``."""
        k = max(bisect_right(self.piece_sources, source) - 1, 0)
        if self.piece_linear[k]:
            return self.piece_starts[k] + min(source - self.piece_sources[k], self._length(k) - 1)
        return self.piece_starts[k]

    def _length(self, k: int) -> int:
        """Length in the view of piece ``k``."""
        following = self.piece_starts[k + 1] if k + 1 < len(self.piece_starts) else len(self.text)
        return following - self.piece_starts[k]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the view span ``[start, end)`` (non-empty) to a span of the original text."""
        return self.source_range(start)[0], self.source_range(end - 1)[1]

    def with_digits(self) -> NormalizedText:
        """Return the same view with Chinese numerals replaced by ASCII digits.

        Only runs that could spell a contact number are rewritten: a numeral followed closely
        by six or more digits or numerals ("一三八零零...", "壹叁捌..."); a lone "一" in
        "一名" stays.
        """
        if not _NUMERAL_RUN.search(self.text):
            return self
        return NormalizedText(
            self.original,
            _NUMERAL_RUN.sub(lambda m: m.group().translate(_DIGIT_TABLE), self.text),
            self.piece_starts,
            self.piece_sources,
            self.piece_linear,
        )


#: The whitespace left in a folded text: the translation table turns every other
#: whitespace character into a space (tested with ``in``, much cheaper than a regex).
_ASCII_SPACES = tuple(c for c in map(chr, range(0x80)) if c.isspace())
#: Runs of whitespace: what the compact view leaves out of a text without special characters.
_WHITESPACE = re.compile(r"\s\s*")


def number_runs(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that could spell a phone number: ten or more digits or masks
    ("*", "x") with separators of up to three characters between them.

    Pass the digits view (:meth:`NormalizedText.with_digits`) so that numerals count too.
    "138-1234-5678", "一三八 一二三四 五六七八", "138****5678", "020-8888 6666" are runs;
    "8000-12000" (nine digits) is not. Shorter numbers count as contact details only next
    to a word such as 电话 or QQ, which rules find with triggers instead.
    """
    return [m.span() for m in _NUMBER_RUN.finditer(text)]


def may_hold_number_run(spaced: str) -> bool:
    """Whether the digits view of the spaced view ``spaced`` can hold a run that
    :func:`number_runs` finds; False means it holds none (one scan, without the digits view)."""
    return _RUN_HINT.search(spaced) is not None


def normalize(text: str, *, keep_spaces: bool) -> NormalizedText:
    """Normalise ``text``; whitespace stays (as spaces) if ``keep_spaces``, else is removed.

    Whitespace is never collapsed, so the spaced view has one character per whitespace
    character of the original: rules use ``\\s*`` where a gap may be wider than one.
    """
    tables = _tables()
    pattern = tables.special if keep_spaces else tables.special_or_space
    return _build(text, _fold_text(text), pattern)


def views(text: str) -> tuple[NormalizedText, NormalizedText]:
    """Return the ``(compact, spaced)`` views of ``text``, sharing the work between them.

    Most texts hold no character that is translated or special: one scan tells, and then the
    spaced view is the lower-cased text itself and the compact view only leaves out whitespace
    (the same views as the general path builds, without its two scans).
    """
    tables = _tables()
    base = text.lower()
    if len(base) == len(text) and not tables.unusual.search(base):
        spaced = NormalizedText(text, base, (0,), (0,), (True,))
        if not any(space in base for space in _ASCII_SPACES):
            return spaced, spaced
        return _build(text, base, _WHITESPACE), spaced
    base = _fold_text(text)
    spaced = _build(text, base, tables.special)
    if not any(space in base for space in _ASCII_SPACES):
        return spaced, spaced
    return _build(text, base, tables.special_or_space), spaced


def _fold_text(text: str) -> str:
    """Lower-case and translate ``text`` one-to-one (special characters are left as they are)."""
    table, translatable = _tables()[:2]
    base = text.lower()
    if len(base) != len(text):
        base = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if translatable.search(base):
        base = base.translate(table)
    return base


def _build(text: str, base: str, pattern: re.Pattern[str]) -> NormalizedText:
    """Assemble a view from the folded ``base``, handling what ``pattern`` finds (special
    characters, and whitespace for the compact view) one character at a time."""
    parts: list[str] = []
    starts: list[int] = []
    sources: list[int] = []
    linear: list[bool] = []
    length = 0
    position = 0
    for match in pattern.finditer(base):
        if match.start() > position:
            parts.append(base[position : match.start()])
            starts.append(length)
            sources.append(position)
            linear.append(True)
            length += match.start() - position
        position = match.end()
        for offset in range(match.start(), position):
            char = text[offset]
            if char.isspace():  # only the compact view's patterns match whitespace
                continue
            folded = _fold(char)
            if folded:
                parts.append(folded)
                starts.append(length)
                sources.append(offset)
                linear.append(False)
                length += len(folded)
    if position < len(base) or not parts:
        parts.append(base[position:])
        starts.append(length)
        sources.append(position)
        linear.append(True)
    return NormalizedText(text, "".join(parts), tuple(starts), tuple(sources), tuple(linear))


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_units(text: str) -> str:
    """Spell ``text`` as UTF-16 code units, two Latin-1 characters per character.

    The automaton looks up each transition by scanning a node's children; with a thousand
    Chinese phrases the root has hundreds of children and every character of the text pays
    for that scan. Over code units no node has more than 256 children and most have a few,
    which makes matching several times faster. Characters outside the BMP (emoji) become
    U+FFFD first so that every character is exactly two units.
    """
    units = text.encode("utf-16-be")
    if len(units) != 2 * len(text):  # surrogate pairs: characters outside the BMP
        units = _ASTRAL.sub("\ufffd", text).encode("utf-16-be")
    return units.decode("latin-1")
