"""GB/T 2260 division lookups (JOB-1 work location, SRCH-1 filters)."""

from pinqiao.reference import divisions


def test_it_has_all_provincial_level_units():
    provinces = divisions.provinces()
    assert len(provinces) == 34
    names = {p.name for p in provinces}
    assert {
        "北京市",
        "广东省",
        "新疆维吾尔自治区",
        "台湾省",
        "香港特别行政区",
        "澳门特别行政区",
    } <= names


def test_it_has_every_prefecture_level_city():
    cities = [
        child
        for province in divisions.provinces()
        for child in divisions.children(province.code)
        if child.level == "city"
    ]
    # 333 prefecture-level units + 4 municipalities + 32 county-level units under a province.
    assert len(cities) == 369
    for code in ("440100", "440300", "441900", "620200", "460300", "652300"):
        assert divisions.get(code).level == "city"


def test_it_resolves_a_district_to_its_full_name():
    assert divisions.get("440106").name == "天河区"
    assert divisions.full_name("440106") == "广东省广州市天河区"
    assert divisions.city_of("440106").code == "440100"
    assert divisions.province_of("440106").name == "广东省"


def test_it_treats_municipalities_as_one_city():
    for province, city in (("110000", "110100"), ("120000", "120100"), ("310000", "310100")):
        assert divisions.get(city).name == divisions.get(province).name
        assert divisions.get(city).parent_code == province
    assert divisions.full_name("110105") == "北京市朝阳区"
    assert divisions.city_of("110105").name == "北京市"
    assert divisions.full_name("110100") == "北京市"


def test_it_folds_chongqing_counties_into_the_city():
    assert divisions.get("500200") is None
    assert divisions.get("500235").parent_code == "500100"
    assert divisions.full_name("500235") == "重庆市云阳县"
    assert len(divisions.children("500100")) == 38


def test_it_treats_county_level_cities_under_a_province_as_cities():
    xiantao = divisions.get("429004")
    assert xiantao.level == "city" and xiantao.parent_code == "420000"
    assert divisions.city_of("429004") == xiantao
    assert divisions.full_name("429004") == "湖北省仙桃市"


def test_it_returns_none_for_unknown_codes():
    for code in ("999999", "440199", "", "abc", "130171"):
        assert divisions.get(code) is None
        assert divisions.full_name(code) is None
        assert divisions.city_of(code) is None
        assert divisions.province_of(code) is None
    assert divisions.children("999999") == []


def test_it_has_the_districts_of_the_main_cities():
    expected = {
        "110100": 16,
        "120100": 16,
        "310100": 16,
        "440100": 11,
        "440300": 9,
        "330100": 13,
        "320100": 11,
        "420100": 13,
        "510100": 20,
        "610100": 13,
        "210100": 13,
        "210200": 10,
        "370200": 10,
        "350200": 6,
        "330200": 10,
        "370100": 12,
        "220100": 11,
        "230100": 18,
    }
    for city, count in expected.items():
        assert len(divisions.children(city)) == count, divisions.get(city).name


def test_it_lists_children_in_code_order():
    kids = divisions.children("440000")
    assert [k.code for k in kids] == sorted(k.code for k in kids)
    assert kids[0].name == "广州市"
    assert divisions.children("810000") == []


def test_it_searches_by_name_fragment():
    assert [d.code for d in divisions.search("天河区")] == ["440106"]
    assert divisions.search("广州")[0].code == "440100"
    assert [d.code for d in divisions.search("广州天河")] == ["440106"]
    assert divisions.search("南京")[0].name == "南京市"
    assert divisions.search("  ") == []
    assert len(divisions.search("区", limit=5)) == 5
