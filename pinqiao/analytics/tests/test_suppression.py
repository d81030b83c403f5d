"""The suppression rule (issue 18 item 6): small cells hidden, not rounded."""

import pytest
from django.test import override_settings

from pinqiao.analytics.suppression import (
    MIN_CELL,
    display,
    suppress,
    suppress_rows,
    suppressed_label,
)


def test_it_defaults_to_five() -> None:
    assert MIN_CELL == 5
    assert suppressed_label() == "<5"


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_it_hides_counts_from_one_to_four(count: int, shown: int | None) -> None:
    assert suppress(count) == shown


def test_it_hides_a_rate_backed_by_few_people() -> None:
    assert suppress(0.75, people=4) is None
    assert suppress(0.75, people=0) is None
    assert suppress(0.8, people=5) == 0.8


def test_it_refuses_a_derived_figure_without_its_people() -> None:
    with pytest.raises(TypeError):
        suppress(0.5)


def test_it_shows_the_label_not_a_rounded_number() -> None:
    assert display(suppress(3)) == "<5"
    assert display(suppress(7)) == "7"


@override_settings(PINQIAO_MIN_CELL_SIZE=10)
def test_it_follows_the_setting() -> None:
    assert suppress(9) is None
    assert display(None) == "<10"


def test_it_suppresses_a_second_cell_so_the_total_does_not_reveal_the_first() -> None:
    rows = [{"city": "广州", "hires": 40, "applications": 300},
            {"city": "小城", "hires": 2, "applications": 30},
            {"city": "佛山", "hires": 9, "applications": 80},
            {"city": "深圳", "hires": 0, "applications": 0}]
    out = suppress_rows(rows, counts=["hires", "applications"],
                        derived={"rate": "applications"})
    assert [r["hires"] for r in out] == [40, None, None, 0]
    assert [r["applications"] for r in out] == [300, 30, 80, 0]
    assert rows[1]["hires"] == 2, "the input rows are left alone"


def test_it_hides_a_derived_column_with_its_base() -> None:
    rows = [{"closed": 3, "on_time_rate": 1.0}, {"closed": 50, "on_time_rate": 0.9},
            {"closed": 20, "on_time_rate": 0.5}]
    out = suppress_rows(rows, counts=["closed"], derived={"on_time_rate": "closed"},
                        complementary=False)
    assert [r["on_time_rate"] for r in out] == [None, 0.9, 0.5]
