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


def test_school_short_form_is_one_school_with_its_full_name():
    found = run("全区现有天津市津南区咸阳路职业中等专业学校一所。咸阳路职专与天津恒远精工机械有限公司签订订单培养协议。")
    short = [m for m in found.mentions if m.rule.startswith("school-short-form")]
    assert [m.text for m in short] == ["咸阳路职专"]
    assert ("咸阳路职专", "天津恒远精工机械有限公司") in relations(found, "cooperates_with")


def test_town_after_a_district_is_a_region():
    found = run("温江职业学校位于温江区柳城街道。")
    assert "柳城街道" in names(found, "Region")
    assert ("温江职业学校", "柳城街道") in relations(found, "located_in")


def test_parenthetical_abbreviation_of_a_company():
    found = run("学校与成都锦岳数字科技有限公司（JY8）共建实训基地。")
    assert [m.text for m in found.mentions if m.rule == "org-parenthetical-alias"] == ["JY8"]


def test_latin_name_with_title_and_affiliation():
    found = run("德国博世公司培训总监Mr Klaus到温江职业学校讲授汽车诊断技术。")
    assert "Klaus" in names(found, "Expert")
    assert ("Klaus", "德国博世公司") in relations(found, "affiliated_with")
    assert ("Klaus", "温江职业学校") in relations(found, "trains")


def test_master_teacher_studio_names_its_teacher():
    found = run("区财政支持“谭明亮数控名师工作室”建设。")
    assert "谭明亮" in names(found, "Expert")


def test_several_partners_each_with_their_own_school():
    found = run("温江职业学校与阿坝州理县职业中学结对，温江二职与甘孜州丹巴县职业中学结对。")
    pairs = relations(found, "cooperates_with")
    assert ("温江二职", "甘孜州丹巴县职业中学") in pairs
    assert ("温江职业学校", "甘孜州丹巴县职业中学") not in pairs


def test_three_party_agreement_joins_every_pair():
    found = run("温江职业学校与成都航宇精密部件有限公司、成都航空职业技术学院签订三方合作协议。")
    pairs = relations(found, "cooperates_with")
    assert ("成都航空职业技术学院", "成都航宇精密部件有限公司") in pairs


def test_employers_in_a_table_column():
    found = run("序号\t专业名称\t就业单位\n1\t数控技术应用\t成都蓉锦机床有限公司、锦程精工\n")
    assert {"成都蓉锦机床有限公司", "锦程精工"} <= names(found, "Enterprise")
    assert "数控技术应用" in names(found, "Major")


def test_district_listing_places_its_schools():
    found = run("温江区现有中等职业学校2所：温江职业学校和成都市温江区燕山职业技术学校。")
    assert ("成都市温江区燕山职业技术学校", "温江区") in relations(found, "located_in")


def test_names_in_a_document_title_are_not_mentions():
    found = run("区教育局印发《温江区中等职业学校实训基地管理办法》。")
    assert names(found, "School") == set()


def test_catalogue_categories_are_not_majors():
    found = run("学校开设装备制造、财经商贸两大类专业，包括数控技术应用等3个专业。")
    assert names(found, "Major") == {"数控技术应用"}
