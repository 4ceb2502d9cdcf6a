"""Reading a report as its reader does: declared short names, the title block, who each
sentence is about, and what table rows, case boxes and sections say of one school.

Each test is a short report written for it (the organisations are invented) and asserts the
exact relations the graph holds, by the labels of their ends.
"""

from __future__ import annotations

from kg.extract import extract
from kg.model import Report
from kg.resolve import resolve
from kg.segment import segment
from kg.structure import structure


def knowledge(text: str):  # type: ignore[no-untyped-def]
    report = Report(path="r.txt", name="r.txt", text=text, encoding="utf-8")
    return resolve([extract(structure(report, segment(report)))])


def triples(text: str, *predicates: str) -> set[tuple[str, str, str]]:
    graph = knowledge(text)
    labels = {e.key: e.label for e in graph.entities}
    return {
        (labels[r.subject], r.predicate, labels[r.object])
        for r in graph.relations
        if not predicates or r.predicate in predicates
    }


AREA = "庆阳市中等职业教育质量年度报告（2022年度）\n\n庆阳市教育局\n\n一、基本情况\n\n"


def test_a_declared_short_name_is_the_school_it_declares_in_every_form():
    text = AREA + (
        "庆阳市鹏湾卫生学校（以下简称“鹏湾卫校”）与庆阳康宁医疗器械有限公司签订实习协议。\n\n"
        "庆阳市青禾职业技术学校(简称青禾职校)与庆阳禾丰农业发展有限公司共建实训基地。\n\n"
        "庆阳市松涛中等专业学校（下称“松涛中专”）开设护理专业。\n\n"
        "鹏湾卫校与庆阳仁和药业有限公司开展订单培养。青禾职校与庆阳鑫源物流有限公司签订就业协议。"
        "松涛中专与庆阳华信电子科技有限公司合作开设订单班。\n"
    )
    assert triples(text, "cooperates_with") == {
        ("庆阳市鹏湾卫生学校", "cooperates_with", "庆阳康宁医疗器械有限公司"),
        ("庆阳市鹏湾卫生学校", "cooperates_with", "庆阳仁和药业有限公司"),
        ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳禾丰农业发展有限公司"),
        ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳鑫源物流有限公司"),
        ("庆阳市松涛中等专业学校", "cooperates_with", "庆阳华信电子科技有限公司"),
    }
    labels = {e.label for e in knowledge(text).entities if e.cls == "School"}
    assert labels == {"庆阳市鹏湾卫生学校", "庆阳市青禾职业技术学校", "庆阳市松涛中等专业学校"}


def test_a_full_name_given_in_brackets_makes_the_short_one_its_alias():
    text = "庆阳市青禾职业技术学校质量年度报告（2022年度）\n\n一、校企合作\n\n学校与鑫源重工（全称庆阳鑫源重工机械股份有限公司）共建实训基地。鑫源重工选派工程师到校授课。\n"
    graph = knowledge(text)
    company = next(e for e in graph.entities if e.cls == "Enterprise")
    assert company.label == "庆阳鑫源重工机械股份有限公司" and "鑫源重工" in company.aliases
    assert triples(text, "cooperates_with") == {
        ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳鑫源重工机械股份有限公司")
    }


def test_the_title_block_names_the_school_whatever_stands_above_it():
    for above in ("第1份\n", "庆阳市教育局  二〇二三年一月\n\n", "内部资料\n2023年1月\n"):
        text = above + (
            "庆阳市鹏湾镇中心学校\n中等职业教育质量年度报告\n（2022年度）\n\n一、学校概况\n\n"
            "学校与庆阳禾丰农业发展有限公司签订订单培养协议。我校开设园林技术专业。\n"
        )
        report = Report(path="r.txt", name="r.txt", text=text, encoding="utf-8")
        info = structure(report, segment(report)).info
        assert info.school == "庆阳市鹏湾镇中心学校" and info.year == 2022, above
        assert triples(text, "cooperates_with", "offers_major") == {
            ("庆阳市鹏湾镇中心学校", "cooperates_with", "庆阳禾丰农业发展有限公司"),
            ("庆阳市鹏湾镇中心学校", "offers_major", "园林技术"),
        }, above


def test_references_in_a_report_of_several_schools_go_to_the_school_they_mean():
    text = AREA + (
        "全市有庆阳市鹏湾职业技术学校、庆阳市青禾职业技术学校（以下简称“青禾职校”）2所学校。\n\n"
        "青禾职校始建于1985年。学校与庆阳禾丰农业发展有限公司签订订单培养协议。\n\n"
        "庆阳市鹏湾职业技术学校与青禾职校结成帮扶对子。该校选派骨干教师韩立峰到青禾职校支教一年。"
        "两校共同开发课程6门。\n\n"
        "部分学校与企业签订协议。学校与庆阳鑫源物流有限公司签订协议。\n"
    )
    found = triples(text)
    assert ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳禾丰农业发展有限公司") in found
    assert ("韩立峰", "affiliated_with", "庆阳市鹏湾职业技术学校") in found
    assert ("韩立峰", "assists", "庆阳市青禾职业技术学校") in found
    # the last paragraph names no school: its relation is left out rather than put on one
    assert not any(t[2] == "庆阳鑫源物流有限公司" for t in found if t[1] == "cooperates_with")


def test_table_rows_case_boxes_and_sections_belong_to_the_school_they_are_about():
    text = AREA + (
        "表1  各校专业设置\n学校名称\t专业名称\t合作企业\n"
        "庆阳市鹏湾职业技术学校\t数控技术应用\t庆阳精工机械有限公司\n"
        "\t电子商务\t庆阳云商网络科技有限公司\n"
        "庆阳市青禾职业技术学校\t园林技术\t庆阳禾丰农业发展有限公司\n\n"
        "【案例1】庆阳市青禾职业技术学校的订单班\n\n"
        "青禾职校是全市首批示范校。学校与庆阳鑫源物流有限公司开设订单班。\n"
    )
    assert triples(text, "cooperates_with", "offers_major") == {
        ("庆阳市鹏湾职业技术学校", "offers_major", "数控技术应用"),
        ("庆阳市鹏湾职业技术学校", "offers_major", "电子商务"),
        ("庆阳市鹏湾职业技术学校", "cooperates_with", "庆阳精工机械有限公司"),
        ("庆阳市鹏湾职业技术学校", "cooperates_with", "庆阳云商网络科技有限公司"),
        ("庆阳市青禾职业技术学校", "offers_major", "园林技术"),
        ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳禾丰农业发展有限公司"),
        ("庆阳市青禾职业技术学校", "cooperates_with", "庆阳鑫源物流有限公司"),
    }


def test_a_teacher_never_assists_the_school_he_works_for():
    text = (
        "江苏省苏州青禾技师学院质量年度报告（2023年度）\n\n一、对口帮扶\n\n"
        "本年度，学院选派数控专业教师林语嫣赴松涛中职支教一学期，帮助该校建成数控实训室。"
        "林语嫣老师在支教期间每周为该校教师开设数控编程提高班。\n"
    )
    found = triples(text)
    assert ("林语嫣", "affiliated_with", "江苏省苏州青禾技师学院") in found
    assert ("林语嫣", "assists", "江苏省苏州青禾技师学院") not in found
