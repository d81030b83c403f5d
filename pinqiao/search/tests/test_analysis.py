"""Segmentation, dictionary and synonyms (SRCH-1): the same tokens at index and query time."""

from pinqiao.search import analysis


def test_it_keeps_dictionary_titles_and_skills_whole() -> None:
    tokens = analysis.query_tokens("招Java开发、叉车司机和跨境电商运营")
    assert {"java开发", "叉车司机", "跨境电商运营"} <= set(tokens)


def test_it_indexes_the_parts_of_dictionary_words_too() -> None:
    tokens = analysis.index_tokens("Java开发工程师，跨境电商运营")
    for part in ("java", "开发", "java开发", "电商", "跨境电商运营", "工程师"):
        assert part in tokens, part


def test_it_maps_synonyms_to_one_form_on_both_sides() -> None:
    assert analysis.query_tokens("驾驶员") == analysis.query_tokens("司机") == ["司机"]
    assert analysis.query_tokens("Web前端") == ["前端"]
    assert analysis.query_tokens("行政文员") == analysis.query_tokens("文员")
    assert "司机" in analysis.index_tokens("招聘驾驶员")
    assert set(analysis.surface_forms("司机")) == {"司机", "驾驶员"}


def test_it_folds_case_and_full_width() -> None:
    assert analysis.query_tokens("ＪＡＶＡ") == analysis.query_tokens("java") == ["java"]


def test_it_drops_punctuation_stop_words_and_query_syntax() -> None:
    tokens = analysis.query_tokens('Java AND (广州 OR 深圳) "NOT" *:+- [x] {y}')
    assert tokens == ["java", "广州", "深圳", "x", "y"]
    assert analysis.query_tokens("“”、。！？") == []


def test_it_turns_sql_injection_text_into_plain_words() -> None:
    tokens = analysis.query_tokens("'; DROP TABLE jobs_posting; --")
    assert tokens == ["drop", "table", "jobs_posting"]


def test_its_version_names_the_analysis() -> None:
    assert len(analysis.analysis_version()) == 12
