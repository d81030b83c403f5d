"""Chinese text analysis for the search index: the same tokens at index and at query time.

* Segmentation: ``rjieba`` (jieba-rs), jieba's dictionary and algorithm at ≈30× the speed of
  ``jieba``. Its ``add_word`` takes a user dictionary, so job titles and skills (Java开发,
  叉车司机, 跨境电商运营) stay whole tokens; the job-function names of the taxonomy and every
  synonym form are added too.
* Index side: jieba's search mode (whole words plus the dictionary words inside them) plus, for
  user-dictionary words, their plain sub-words, so 「Java」 finds 「Java开发」 and 「电商」 finds
  「跨境电商运营」.
* Query side: jieba's precise mode, so a query word is looked up once, whole.
* Synonyms: each group maps to its first form on both sides (前端/Web前端, 司机/驾驶员,
  文员/行政文员, …), so either spelling finds the other at no query-time cost.
* Text is NFKC-normalised and lower-cased first; punctuation and a short stop list are dropped.

``ANALYSIS_VERSION`` changes whenever the output of this module changes: an index built with
another version is rebuilt (see ``engine``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache
from itertools import chain
from pathlib import Path

import rjieba

from pinqiao.reference import divisions, taxonomy

_DATA = Path(__file__).with_name("data")


#: Longest token kept (longer runs are URLs, hashes or garbage).
MAX_TOKEN_CHARS = 32


def _lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


#: Words that carry no meaning for search, including the query-syntax words a user may type.
STOP_WORDS = frozenset(word for line in _lines("stopwords.txt") for word in line.split())


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups, normalised, canonical form first."""
    return tuple(tuple(normalise(word.strip()) for word in line.split("/") if word.strip())
                 for line in _lines("synonyms.txt"))


@cache
def _canonical() -> dict[str, str]:
    return {word: group[0] for group in synonym_groups() for word in group}


@cache
def user_words() -> frozenset[str]:
    """The user dictionary: dictionary.txt, the taxonomy's job functions, every synonym form."""
    words = {normalise(w) for w in _lines("dictionary.txt")}
    for function in taxonomy.job_functions():
        words.update(normalise(part) for part in function.name.split("/"))
    for group in synonym_groups():
        words.update(group)
    return frozenset(w for w in words if _is_word(w) and " " not in w)


@cache
def _segmenter() -> rjieba.Jieba:
    seg = rjieba.Jieba()
    for word in sorted(user_words()):
        seg.add_word(word, None, None)
    return seg


@cache
def _plain() -> rjieba.Jieba:
    """jieba's own dictionary only, to split a user word into its parts."""
    return rjieba.Jieba()


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def canonical(token: str) -> str:
    """The synonym group's first form, or the token itself."""
    return _canonical().get(token, token)


def _keep(token: str) -> bool:
    return (len(token) <= MAX_TOKEN_CHARS and token not in STOP_WORDS and not token.isspace()
            and _is_word(token))


class _Expansions(dict[str, tuple[str, ...]]):
    """Index-side expansion of each distinct segment, computed on first sight and kept
    (bounded) per process; a lookup of a known segment runs in C (``__getitem__``)."""

    def __missing__(self, token: str) -> tuple[str, ...]:
        expansion = self[token] = _expand(token)
        return expansion


_EXPANSIONS = _Expansions()
_EXPANSIONS_MAX = 200_000


def _expand(token: str) -> tuple[str, ...]:
    """The canonical token and the dictionary words inside it (search mode), each once."""
    if not _keep(token):
        return ()
    forms = [token]
    if len(token) > 2:
        plain = _plain()
        forms += plain.cut_for_search(token)
        if token in user_words():
            forms += plain.cut(token)
    out: dict[str, None] = {}
    for form in forms:
        if _keep(form):
            out.setdefault(canonical(form), None)
    return tuple(out)


def index_tokens(text: str) -> list[str]:
    """Tokens to index for ``text`` (with repeats, so term frequency counts)."""
    if not text:
        return []
    if len(_EXPANSIONS) > _EXPANSIONS_MAX:
        _EXPANSIONS.clear()
    segments = _segmenter().cut(normalise(text))
    return list(chain.from_iterable(map(_EXPANSIONS.__getitem__, segments)))


def index_text(text: str) -> str:
    """``index_tokens`` joined by spaces, for a whitespace-tokenised Tantivy field."""
    return " ".join(index_tokens(text))


def query_tokens(text: str) -> list[str]:
    """Distinct canonical tokens of a query, in order (punctuation and stop words dropped)."""
    seen: dict[str, None] = {}
    for token in _segmenter().cut(normalise(text)):
        if _keep(token):
            seen.setdefault(canonical(token), None)
    return list(seen)


_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县",
                   "盟", "旗")


@cache
def place_tokens() -> frozenset[str]:
    """Names of administrative divisions as query tokens (广州市 and 广州, 天河区 and 天河): a
    query word that names a place is looked up in the place field (and the title) only, so
    「Java 广州」 means Java jobs in Guangzhou, not at a company called 广州…."""
    names: set[str] = set()
    for province in divisions.provinces():
        stack = [province]
        while stack:
            division = stack.pop()
            stack.extend(divisions.children(division.code))
            name = normalise(division.name)
            names.add(name)
            for suffix in _PLACE_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    names.add(name[: -len(suffix)])
                    break
    return frozenset(names)


def surface_forms(token: str) -> tuple[str, ...]:
    """Every spelling that maps to ``token`` (for highlighting), longest first."""
    forms = {token} | {w for group in synonym_groups() if group[0] == token for w in group}
    return tuple(sorted(forms, key=len, reverse=True))


@cache
def analysis_version() -> str:
    """A digest of everything that decides the tokens; part of the index's identity."""
    digest = hashlib.sha256()
    for part in (" ".join(sorted(STOP_WORDS)), "\n".join(sorted(user_words())),
                 repr(synonym_groups()), str(MAX_TOKEN_CHARS), "rjieba-0.2"):
        digest.update(part.encode())
    return digest.hexdigest()[:12]
