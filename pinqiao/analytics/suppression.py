"""Privacy in figures (issue 18 item 6, decision 0018): no cell of a chart, table or export
describes fewer than ``MIN_CELL`` people.

The rule, used by every figure the platform shows (operations dashboard, live page, regulator
statistics, market insights):

* a count from 1 to ``MIN_CELL - 1`` is **suppressed**: replaced by ``None`` (shown as
  「<5」), never rounded, never shown as a range. Zero stays zero: it describes nobody.
* a figure derived from people (a rate, an average, a median) is suppressed when fewer than
  ``MIN_CELL`` people back it (``people=``), whatever its own value.
* in a list of rows, when a column has exactly one suppressed cell and its total is shown, the
  next smallest non-zero cell of that column is suppressed too (complementary suppression), so
  the hidden cell cannot be worked out by subtracting the others from the total.

``MIN_CELL`` comes from ``settings.PINQIAO_MIN_CELL_SIZE`` (default 5); the functions read
the setting when called, so a deployment (or a test) can raise it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings

MIN_CELL: int = getattr(settings, "PINQIAO_MIN_CELL_SIZE", 5)


def min_cell() -> int:
    """The minimum number of people a shown figure may describe (the setting, read now)."""
    return int(getattr(settings, "PINQIAO_MIN_CELL_SIZE", MIN_CELL))


def suppressed_label() -> str:
    """What a suppressed cell shows: 「<5」 for the default minimum."""
    return f"<{min_cell()}"


def is_small(people: int | None) -> bool:
    """True when ``people`` is a count from 1 to MIN_CELL - 1 (a cell that must not show)."""
    return people is not None and 0 < people < min_cell()


def suppress(value: Any, *, people: int | None = None) -> Any:
    """``value``, or ``None`` when it must not show.

    A count is its own number of people; for a derived figure (a rate, an average) pass the
    number of people behind it as ``people``: the figure is suppressed when they are fewer than
    MIN_CELL (a figure with nobody behind it, ``people=0``, is ``None`` too: there is nothing to
    show)."""
    if value is None:
        return None
    if people is None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("suppress(): pass people= for a figure that is not a count")
        return None if is_small(value) else value
    return None if people <= 0 or is_small(people) else value


def display(value: Any) -> str:
    """A (suppressed) figure as text: 「<5」 for ``None``, else the value."""
    return suppressed_label() if value is None else str(value)


def suppress_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    counts: Sequence[str],
    derived: Mapping[str, str | Sequence[str]] | None = None,
    complementary: bool = True,
) -> list[dict[str, Any]]:
    """Copies of ``rows`` with the rule applied.

    ``counts`` names the count columns (each suppressed on its own value); ``derived`` maps a
    derived column to the count column of the people behind it (``{"on_time_rate":
    "complaints_closed"}``: the rate goes when the closed count is small; name several columns,
    ``{"rate": ("value", "base")}``, when the figure reveals each of them). With
    ``complementary`` (when the table or export shows column totals), a column with exactly one
    suppressed cell loses its next smallest non-zero cell too."""
    source = [dict(row) for row in rows]
    out = [dict(row) for row in source]
    for column in counts:
        for row in out:
            row[column] = suppress(row.get(column))
        if not complementary:
            continue
        hidden = [i for i, row in enumerate(source)
                  if row.get(column) is not None and out[i][column] is None]
        if len(hidden) == 1:
            shown = [(source[i][column], i) for i, row in enumerate(out)
                     if row[column] not in (None, 0)]
            if shown:
                out[min(shown)[1]][column] = None
    for column, bases in (derived or {}).items():
        names = (bases,) if isinstance(bases, str) else tuple(bases)
        for i, row in enumerate(out):
            for base in names:
                people = source[i].get(base)
                if row.get(base) is None or people is None:
                    row[column] = None
                else:
                    row[column] = suppress(row.get(column), people=people)
    return out


def suppression_note() -> str:
    """The sentence every chart, table and export carries under it."""
    return (f"为保护个人信息，少于 {min_cell()} 人的数据以「{suppressed_label()}」显示"
            "（隐去，不作取整），与之相关的比率同样隐去。")
