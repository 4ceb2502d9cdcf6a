"""Each rule of the genre on a sentence of its own (none of them from the seed reports)."""

import pytest

from kg.extract import extract
from kg.model import Report
from kg.segment import segment


def run(body: str, title: str = "成都市温江区中等职业教育质量年度报告（2021）"):
    text = f"{title}\n\n{body}\n"
    report = Report(path="t.txt", name="t.txt", text=text, encoding="utf-8")
    return extract(report, segment(report))


def names(extraction, label):
    return {m.text for m in extraction.mentions if m.label == label}


def relations(extraction, predicate):
    return {(r.subject.text, r.object.text) for r in extraction.relations if r.predicate == predicate}


def test_school_name_starts_after_the_preposition():
    found = run("温江职业学校与四川锦城精工机械有限公司签订了订单培养协议。")
    assert "温江职业学校" in names(found, "School")
    assert "四川锦城精工机械有限公司" in names(found, "Enterprise")
    assert ("温江职业学校", "四川锦城精工机械有限公司") in relations(found, "cooperates_with")


def test_generic_school_words_are_not_names():
    found = run("全区两所中等职业学校积极开展中职学校招生宣传。")
    assert names(found, "School") == set()


def test_numbered_abbreviation_is_a_school():
    found = run("温江一职学生参加技能大赛。")
    assert "温江一职" in names(found, "School")


@pytest.mark.parametrize(
    "sentence, majors",
    [
        ("学校下设数控技术应用、物流服务与管理、会计事务等3个专业。", {"数控技术应用", "物流服务与管理", "会计事务"}),
        ("2021年新增无人机操控与维护专业。", {"无人机操控与维护"}),
        ("凡是被录取到“智能网联汽车”专业的学生均可参加。", {"智能网联汽车"}),
    ],
)
def test_majors_before_zhuanye(sentence, majors):
    assert majors <= names(run(sentence), "Major")


def test_experts_by_title_and_list():
    found = run("学校聘请市级专家陶文涛、钱玉珍对全体教师进行了专题培训。")
    assert {"陶文涛", "钱玉珍"} <= names(found, "Expert")
    assert ("陶文涛", "学校") in relations(found, "trains")


def test_teacher_sent_to_teach_assists_the_school():
    found = run("我校数控专业教师郑国梁老师赴凉山州美姑县职业技术学校支教一年。")
    assert "郑国梁" in names(found, "Expert")
    assert ("郑国梁", "凉山州美姑县职业技术学校") in relations(found, "assists")


def test_region_from_lexicon_with_chain():
    found = run("学校与四川省美姑县开展东西部协作。")
    assert {"四川省美姑县", "四川省"} <= names(found, "Region")


def test_ordinary_words_are_not_regions():
    # 合作 is also 合作市 and 东方 is 东方市; neither is meant here
    found = run("学校与企业深度合作，面向东方开展交流。")
    assert {m.text for m in found.mentions if m.label == "Region" and m.passage > 0} == set()


def test_short_form_of_an_enterprise_is_found_after_the_full_name():
    found = run("学校与成都蓉晟光电科技有限公司共建实训基地。蓉晟光电派出工程师授课。")
    short = [m for m in found.mentions if m.rule == "enterprise-short-form"]
    assert [m.text for m in short] == ["蓉晟光电"]


def test_host_assists_the_school_that_sends_students():
    found = run("2021年，阿坝州理县职业中学派出30名学生到温江职业学校跟岗访学。")
    assert ("温江职业学校", "阿坝州理县职业中学") in relations(found, "assists")
