"""The fixed set of representative job searches, shared by ``bench/search.py`` and the tests.

Each entry: the request parameters, whether its words are common or rare in postings, and
what its top results must look like on postings made by ``seed_postings`` (documented in
``docs/decisions/0010-search.md``):

* ``title_any`` and ``location``: the top ``top`` results are postings with one of these
  words in the title and a place within this division-code prefix, whenever that many such
  postings match (a title match outranks a match in the description only);
* ``text_any``: every result has one of these in its title or description;
* ``filters``: every result satisfies the filters (checked on the database row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FixedQuery:
    params: dict[str, Any]
    kind: str  # "common", "rare" or "filter-only"
    title_any: tuple[str, ...] = ()
    text_any: tuple[str, ...] = ()
    location: str = ""
    top: int = 5
    notes: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


FIXED_QUERIES: tuple[FixedQuery, ...] = (
    FixedQuery({"q": "销售"}, "common", title_any=("销售",)),
    FixedQuery({"q": "普工"}, "common", title_any=("普工",)),
    FixedQuery({"q": "司机"}, "common", title_any=("司机",)),
    FixedQuery({"q": "驾驶员"}, "common", title_any=("司机",), notes="synonym of 司机"),
    FixedQuery({"q": "客服"}, "common", title_any=("客服",)),
    FixedQuery({"q": "五险一金"}, "common", text_any=("五险一金",)),
    FixedQuery({"q": "包吃住"}, "common", text_any=("包吃住", "包食宿")),
    FixedQuery({"q": "经验"}, "common", text_any=("经验",),
               notes="in nearly every posting: the worst case for the index"),
    FixedQuery({"q": "Java"}, "common", title_any=("Java",)),
    FixedQuery({"q": "Java 广州"}, "common", title_any=("Java",), location="4401"),
    FixedQuery({"q": "Python 深圳"}, "common", title_any=("Python",), location="4403"),
    FixedQuery({"q": "叉车司机"}, "rare", title_any=("叉车司机",)),
    FixedQuery({"q": "跨境电商运营"}, "rare", title_any=("跨境电商运营",)),
    FixedQuery({"q": "前端"}, "common", title_any=("前端",)),
    FixedQuery({"q": "Web前端"}, "common", title_any=("前端",), notes="synonym of 前端"),
    FixedQuery({"q": "会计"}, "common", title_any=("会计",)),
    FixedQuery({"q": "幼师"}, "rare", title_any=("幼师",)),
    FixedQuery({"q": "兽医"}, "rare", title_any=("兽医",)),
    FixedQuery({"q": "调酒师"}, "rare", title_any=("调酒师",)),
    FixedQuery({"q": "司机 深圳"}, "common", title_any=("司机",), location="4403"),
    FixedQuery({"q": "销售", "city": "440100", "pay_min": "8000"}, "common",
               title_any=("销售",), location="4401", filters={"pay_min": 8000}),
    FixedQuery({"q": "普工", "province": "440000", "education": "junior_high"}, "common",
               title_any=("普工",), location="44", filters={"education": "junior_high"}),
    FixedQuery({"q": "护士", "experience": "1_3", "sort": "time"}, "rare",
               text_any=("护士",), filters={"experience": "1_3"},
               notes="newest first: a title match has no precedence"),
    FixedQuery({"q": "Java", "employment_type": "full_time", "pay": "20000-30000"}, "common",
               title_any=("Java",), filters={"employment_type": "full_time",
                                              "pay_min": 20000, "pay_max": 30000}),
    FixedQuery({"industry": "I", "city": "310100"}, "filter-only", location="3101",
               filters={"industry_parent": "I"}),
    FixedQuery({"function": "logistics", "posted_within": "7"}, "filter-only",
               filters={"family": "logistics", "posted_within": 7}),
)
