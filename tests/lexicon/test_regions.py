"""Regions on the national map: codes, hierarchy, short forms, ties, chains, and `find` in text."""

from __future__ import annotations

import itertools

import pytest

from kg.lexicon.regions import (
    Division,
    all_divisions,
    ancestors,
    candidates,
    division,
    find,
    lookup,
)


def codes(found) -> list[str]:
    return [d.code for d in found]


# --- the national list and its hierarchy -------------------------------------------------


def test_division_by_code() -> None:
    assert division("152224") == Division("152224", "突泉县", "county", "152200")
    assert division("152200") == Division("152200", "兴安盟", "prefecture", "150000")
    assert division("150000") == Division("150000", "内蒙古自治区", "province", None)


def test_unknown_code_raises_key_error() -> None:
    with pytest.raises(KeyError, match="999999"):
        division("999999")


def test_ancestors_parent_first_province_last() -> None:
    assert codes(ancestors("152224")) == ["152200", "150000"]
    assert ancestors("150000") == ()


def test_districts_of_a_municipality_hang_from_it() -> None:
    assert codes(ancestors("110115")) == ["110000"]


def test_county_level_city_under_a_province_hangs_from_it() -> None:
    # 仙桃市 (429004) has no prefecture above it: its code's 429000 does not exist.
    assert division("429004").level == "county"
    assert codes(ancestors("429004")) == ["420000"]


def test_hierarchy_is_consistent() -> None:
    everything = all_divisions()
    known = {d.code for d in everything}
    assert codes(everything) == sorted(known)
    assert sum(d.level == "province" for d in everything) == 34
    for d in everything:
        assert len(d.code) == 6 and d.code.isdigit(), d
        assert (d.parent is None) == (d.level == "province"), d
        if d.parent is not None:
            assert d.parent in known, d
            assert division(d.parent).rank < d.rank, d
        if d.level == "county":
            up = ancestors(d.code)
            assert up and up[-1].level == "province", d
            assert up[-1].code[:2] == d.code[:2], d


def test_every_official_name_resolves_to_itself_near_itself() -> None:
    wrong = [d for d in all_divisions() if lookup(d.name, within=d.code) != d]
    assert wrong == []


def test_every_full_chain_resolves_to_its_last_division() -> None:
    wrong = []
    for d in all_divisions():
        chain = "".join(a.name for a in reversed(ancestors(d.code))) + d.name
        if lookup(chain) != d:
            wrong.append(chain)
    assert wrong == []


# --- lookup: full names, short forms, chains ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("内蒙古自治区", "150000"),
        ("内蒙古", "150000"),
        ("内蒙", "150000"),
        ("新疆", "650000"),
        ("新疆维吾尔自治区", "650000"),
        ("广西", "450000"),
        ("宁夏", "640000"),
        ("西藏", "540000"),
        ("河北", "130000"),
        ("河北省", "130000"),
        ("北京", "110000"),
        ("北京市", "110000"),
        ("突泉县", "152224"),
        ("突泉", "152224"),
        ("内蒙突泉县", "152224"),
        ("内蒙古突泉县", "152224"),
        ("内蒙古自治区兴安盟突泉县", "152224"),
        ("兴安盟突泉县", "152224"),
        ("大兴区", "110115"),
        ("北京市大兴区", "110115"),
        ("北京大兴区", "110115"),
        ("肃宁", "130926"),
        ("肃宁县", "130926"),
        ("河北省沧州市肃宁县", "130926"),
        ("河北省邯郸", "130400"),
        ("苏尼特右旗", "152524"),
        ("正镶白旗", "152529"),
        ("和田县", "653221"),
        ("和田市", "653201"),
        ("新疆和田县", "653221"),
        ("吉林省吉林市", "220200"),
        ("神农架", "429021"),  # 神农架林区
        ("六枝", "520203"),  # 六枝特区
        ("浦东", "310115"),  # 浦东新区
        ("锡林郭勒", "152500"),  # 锡林郭勒盟
    ],
)
def test_lookup_full_and_short_forms(name: str, code: str) -> None:
    found = lookup(name)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("察右前旗", "150926"),  # 察哈尔右翼前旗
        ("察右后旗", "150928"),  # 察哈尔右翼后旗
        ("科左中旗", "150521"),  # 科尔沁左翼中旗
        ("喀左", "211324"),  # 喀喇沁左翼蒙古族自治县
        ("苏右旗", "152524"),  # 苏尼特右旗
        ("阿左旗", "152921"),  # 阿拉善左旗
        ("恩施", "422800"),  # 恩施土家族苗族自治州, over 恩施市 (a lower level)
        ("鄂温克", "150724"),  # 鄂温克族自治旗
        ("积石山", "622927"),  # 积石山保安族东乡族撒拉族自治县
        ("伊犁", "654000"),  # 伊犁哈萨克自治州
    ],
)
def test_lookup_contractions_and_autonomous_names(name: str, code: str) -> None:
    found = lookup(name)
    assert found is not None and found.code == code


def test_lookup_unknown_name_is_none() -> None:
    assert lookup("光明顶") is None
    assert lookup("") is None
    assert candidates("光明顶") == ()


def test_lookup_does_not_take_a_name_with_trailing_words() -> None:
    assert lookup("突泉县职业中学") is None


# --- ties ------------------------------------------------------------------------------------


def test_same_name_in_two_places_needs_within() -> None:
    assert codes(candidates("朝阳区")) == ["110105", "220104"]
    assert lookup("朝阳区") is None
    assert lookup("朝阳区", within="110000").code == "110105"
    assert lookup("朝阳区", within="220100").code == "220104"


def test_within_prefers_the_nearest_relative() -> None:
    # 大兴区 and 朝阳区 share 北京; nothing else links 北京 to 长春's 朝阳区.
    assert lookup("朝阳区", within="110115").code == "110105"
    assert lookup("长安区", within="610000").code == "610116"
    assert lookup("长安区", within="130100").code == "130102"
    assert lookup("长安区") is None


def test_within_does_not_override_a_unique_name() -> None:
    assert lookup("突泉县", within="110000").code == "152224"


def test_within_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        lookup("朝阳区", within="000001")


def test_highest_level_wins_a_tie_without_within() -> None:
    assert codes(candidates("和田")) == ["653200", "653201", "653221"]
    assert lookup("和田").code == "653200"
    assert lookup("新疆和田").code == "653200"
    assert codes(candidates("河北")) == ["130000", "120105"]
    assert lookup("河北区").code == "120105"
    assert lookup("吉林").code == "220000"


def test_tie_at_the_same_level_is_none() -> None:
    assert lookup("东乡") is None  # 东乡区 (抚州) and 东乡族自治县 (临夏)
    assert lookup("东乡", within="620000").code == "622926"


def test_a_chain_breaks_the_tie() -> None:
    assert codes(candidates("北京朝阳区")) == ["110105"]
    assert codes(candidates("吉林朝阳区")) == ["220104"]
    assert codes(candidates("新疆和田")) == ["653200", "653201", "653221"]


def test_a_chain_wins_over_a_name_across_its_join() -> None:
    # 甘肃 + 宁县, not the 肃宁县 of 河北 hidden across the join.
    assert lookup("甘肃宁县").code == "621026"
    assert lookup("肃宁县").code == "130926"


# --- find in running text ---------------------------------------------------------------------


def test_find_returns_names_chains_and_flags() -> None:
    text = "学校派教师赴内蒙古突泉县支教，又与河北省邯郸的两所学校和长安汽车合作。"
    found = [(m.surface, m.is_full, codes(m.candidates)) for m in find(text)]
    assert found == [
        ("内蒙古突泉县", True, ["152224"]),
        ("河北省邯郸", True, ["130400"]),
        ("长安", False, ["130102", "610116"]),
        ("合作", False, ["623001"]),  # 合作市 (甘南): an ordinary word here, hence the flag
    ]


def test_find_offsets_point_into_the_text() -> None:
    text = "来自新疆和田县和察右前旗的学生在北京市大兴区学习。"
    matches = find(text)
    assert [m.surface for m in matches] == ["新疆和田县", "察右前旗", "北京市大兴区"]
    for m in matches:
        assert text[m.start : m.end] == m.surface
    assert [(m.start, m.end) for m in matches] == [(2, 7), (8, 12), (16, 22)]


def test_find_matches_are_sorted_and_do_not_overlap() -> None:
    text = "大兴安岭地区与大兴区、北京大兴区、山西城区、甘肃宁县都有合作学校。"
    matches = find(text)
    assert [m.surface for m in matches] == [
        "大兴安岭地区",
        "大兴区",
        "北京大兴区",
        "山西城区",
        "甘肃宁县",
        "合作",
    ]
    for left, right in itertools.pairwise(matches):
        assert left.end <= right.start


def test_find_short_forms_are_flagged() -> None:
    text = "突泉的学生和新华、城关、和平社区的居民。"
    found = {m.surface: m.is_full for m in find(text)}
    assert found == {"突泉": False, "新华": False, "城关": False, "和平": False}


def test_find_two_character_official_names_are_flagged() -> None:
    # 城区 and 赵县 are official names, but also ordinary words or inside them.
    found = {m.surface: m.is_full for m in find("城区道路改造后，赵县的学校")}
    assert found == {"城区": False, "赵县": False}


def test_find_never_returns_a_single_character() -> None:
    text = "县里的区域和市场，省内旗下各盟。"
    assert all(m.end - m.start >= 2 for m in find(text))


def test_find_on_text_without_places() -> None:
    assert find("学校开设数控技术应用专业。") == []
    assert find("") == []


def test_find_is_deterministic() -> None:
    text = "朝阳区、长安区、鼓楼区、和平区和市中区的学校。"
    assert find(text) == find(text)
    assert next(codes(m.candidates) for m in find(text)) == ["110105", "220104"]


def test_match_resolves_like_lookup() -> None:
    chain, tie = find("北京朝阳区和朝阳区")
    assert chain.resolve().code == "110105"
    assert tie.resolve() is None
    assert tie.resolve(within="220000").code == "220104"
