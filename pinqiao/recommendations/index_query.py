"""Tantivy clauses shared by the two recommenders' candidate queries: jobs for a seeker over the
posting index (``candidates``) and seekers for a posting over the résumé index (``talent``).

Both indexes of ``pinqiao.search`` have the fields used here: ``id``; ``city`` and
``province`` (division codes as numbers); ``function`` (function and family slugs); text fields
``title``, ``skills`` and ``body`` (pre-tokenised by ``search.analysis``); monthly ``pay_min``
and ``pay_max``. Structured clauses score what the scorer gives the same match
(``scoring.WEIGHTS``), so the index's order approximates the scorer's; words score BM25 scaled
down to the same range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import tantivy
from tantivy import FieldType, Occur, Query

from pinqiao.recommendations.scoring import WEIGHTS
from pinqiao.reference import taxonomy
from pinqiao.search import analysis
from pinqiao.search.engine import IndexUnavailable, SearchIndex

#: Text fields searched for words, with their boosts (BM25 per field).
TEXT_FIELDS = {"title": 1.0, "skills": 0.6, "body": 0.3}
#: Scale of a word's BM25 score against the structured clauses: measured on generated
#: postings, a skill word in the title adds about 0.07 and one in the text 0.01–0.03, against
#: 0.20 for the city (larger scales let words outweigh city and function and lose postings
#: the scorer ranks high; see decision 0011).
TEXT_SCALE = 0.01
#: Most distinct words in one query.
TEXT_TOKENS_MAX = 24


def _const(query: Query, score: float) -> Query:
    return Query.const_score_query(query, score)


def best_of(clauses: list[Query]) -> Query | None:
    """The best-scoring clause only (a document matches a city or its province, not both)."""
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else Query.disjunction_max_query(clauses)


def places(schema: tantivy.Schema, cities: dict[str, float]) -> Query | None:
    """Same city (``WEIGHTS["city"]`` × strength), else same province (``"province"``)."""
    clauses = []
    for code, strength in cities.items():
        if len(code) != 6 or not code.isdigit():
            continue
        clauses.append(_const(Query.term_query(schema, "city", int(code)),
                              WEIGHTS["city"] * strength))
        clauses.append(_const(Query.term_query(schema, "province", int(code[:2] + "0000")),
                              WEIGHTS["province"] * strength))
    return best_of(clauses)


def functions(schema: tantivy.Schema, slugs: dict[str, float]) -> Query | None:
    """Same function (``WEIGHTS["function"]`` × strength), else same family (``"family"``)."""
    clauses = []
    for slug, strength in slugs.items():
        clauses.append(_const(Query.term_query(schema, "function", slug),
                              WEIGHTS["function"] * strength))
        known = taxonomy.job_function(slug)
        if known is not None:
            clauses.append(_const(Query.term_query(schema, "function", known.family_slug),
                                  WEIGHTS["family"] * strength))
    return best_of(clauses)


def words_of(texts: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Search tokens of ``(text, strength)`` pairs, strongest first, each with the strength of
    its first text; place names left out (the city clause covers places); at most
    ``TEXT_TOKENS_MAX``."""
    place_names = analysis.place_tokens()
    words: dict[str, float] = {}
    for text, strength in texts:
        for token in analysis.query_tokens(text):
            if token not in place_names and token not in words:
                words[token] = strength
                if len(words) == TEXT_TOKENS_MAX:
                    return words
    return words


def word_clauses(schema: tantivy.Schema, words: dict[str, float]) -> list[Query]:
    """One clause per word: BM25 over ``TEXT_FIELDS``, scaled by ``TEXT_SCALE`` × strength."""
    clauses = []
    for token, strength in words.items():
        fields = [(Occur.Should, Query.boost_query(Query.term_query(schema, name, token),
                                                   boost * TEXT_SCALE * strength))
                  for name, boost in TEXT_FIELDS.items()]
        clauses.append(Query.boolean_query(fields))
    return clauses


def pay_overlap(schema: tantivy.Schema, low: int, high: int) -> Query | None:
    """Scores ``WEIGHTS["pay"]`` when the document's monthly range overlaps ``low``–``high``
    (documents without pay never match)."""
    if low <= 0 or high < low:
        return None
    overlap = Query.boolean_query([
        (Occur.Must, Query.range_query(schema, "pay_max", FieldType.Unsigned, low, None)),
        (Occur.Must, Query.range_query(schema, "pay_min", FieldType.Unsigned, 1, high))])
    return _const(overlap, WEIGHTS["pay"])


def candidate_query(matches: list[Query], *, filters: Iterable[Query] = (),
                    boosts: Iterable[Query] = (), exclusions: Iterable[Query] = (),
                    excluded_ids: Iterable[int] = (), schema: tantivy.Schema) -> Query:
    """Documents matching at least one of ``matches`` (any document when there are none) and
    every filter (scoring nothing); ``boosts`` add to the score without qualifying; documents
    matching an exclusion or with an id in ``excluded_ids`` never match."""
    anything = Query.boolean_query([(Occur.Should, q) for q in matches]) if matches \
        else Query.all_query()
    clauses: list[tuple[Occur, Query]] = [(Occur.Must, anything)]
    clauses += [(Occur.Must, _const(q, 0.0)) for q in filters]
    clauses += [(Occur.Should, q) for q in boosts]
    clauses += [(Occur.MustNot, q) for q in exclusions]
    if excluded := sorted(set(excluded_ids)):
        clauses.append((Occur.MustNot, Query.term_set_query(schema, "id", excluded)))
    return Query.boolean_query(clauses)


def top_ids(index: SearchIndex, query: Query, *, window: int, limit: int, time_field: str,
            now: float, half_life_days: float, boost: float) -> list[int]:
    """The best ``window`` hits re-ranked with ``× (1 + boost · 2^(−age / half-life))`` (age
    from the ``time_field`` in seconds), ties by the newest id; the first ``limit`` ids.
    Raises ``IndexUnavailable`` when the index cannot be read."""
    searcher = index.searcher()
    try:
        hits = searcher.search(query, max(window, limit), count=False).hits
        addresses = [address for _score, address in hits]
        ids = searcher.fast_field_values("id", addresses)
        times = searcher.fast_field_values(time_field, addresses)
    except ValueError as exc:  # a segment vanished or is damaged under the reader
        index.forget()
        raise IndexUnavailable("corrupt", str(exc)) from exc
    decay = math.log(2) / (half_life_days * 86400)
    ranked = sorted(
        ((score * (1 + boost * math.exp(-decay * max(0.0, now - float(at or 0)))), int(pk))
         for (score, _address), pk, at in zip(hits, ids, times, strict=True)),
        key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in ranked[:limit]]

