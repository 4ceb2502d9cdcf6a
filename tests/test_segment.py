"""Segmentation: lines broken mid-sentence are joined, stray spaces in names go, tables keep headers."""

from kg.model import Report
from kg.segment import segment


def passages(text: str):
    return segment(Report(path="r.txt", name="r.txt", text=text, encoding="utf-8"))


def test_title_stands_alone_and_broken_sentence_is_joined():
    text = "某市中等职业教育质量年度报告（2021）\n\n我校与某某科技有限公司签订了\n\n合作协议。下一句。\n"
    found = passages(text)
    assert found[0].kind == "title"
    assert [p.text for p in found[1:]] == ["我校与某某科技有限公司签订了合作协议。", "下一句。"]


def test_offsets_point_back_into_the_report():
    text = "标题\n\n学校开设会 计专业。\n"
    sentence = passages(text)[1]
    assert sentence.text == "学校开设会计专业。"
    start, end = sentence.span(4, 6)
    assert text[start:end] == "会 计"


def test_table_rows_know_their_column_headers():
    text = "标题\n\n序号\t专业名称\t就业情况\n\t\t就业单位\n1\t会 计\t甲乙丙有限公司、丁戊公司\n"
    rows = [p for p in passages(text) if p.kind == "table_row"]
    assert rows[-1].cells == ("1", "会计", "甲乙丙有限公司、丁戊公司")
    assert rows[-1].columns == ("序号", "专业名称", "就业单位")


def test_markdown_and_space_aligned_tables_are_tables():
    text = "标题\n\n| 专业 | 合作企业 |\n|---|---|\n| 数控技术应用 | 某某机械有限公司 |\n\n专业      合作企业\n物流服务与管理      某某物流有限公司\n"
    rows = [p for p in passages(text) if p.kind == "table_row"]
    assert ("数控技术应用", "某某机械有限公司") in [r.cells for r in rows]
    assert any(r.cells == ("物流服务与管理", "某某物流有限公司") and r.columns == ("专业", "合作企业") for r in rows)
