"""Segmentation: lines broken mid-sentence are joined, stray spaces in names go, tables keep headers."""

from kg.model import Report
from kg.segment import segment


def passages(text: str):
    return segment(Report(path="r.txt", name="r.txt", text=text, encoding="utf-8"))


def test_title_block_lines_stand_alone_and_broken_sentence_is_joined():
    text = "某市中等职业教育质量年度报告\n（2021）\n\n我校与某某科技有限公司签订了\n\n合作协议。下一句。\n"
    found = passages(text)
    assert [p.kind for p in found[:2]] == ["front", "front"]
    assert [p.text for p in found[2:]] == ["我校与某某科技有限公司签订了合作协议。", "下一句。"]


def test_page_numbers_and_running_headers_of_a_pdf_leave_the_sentence_whole():
    header = "某某职业学校质量年度报告（2022年度）"
    text = (f"{header}\n\n一、学校概况\n\n学校与岚山精工机械有限公司签订\n— 3 —\n{header}\n合作协议。"
            f"\n学校开设数控专业。\n— 4 —\n{header}\n")
    assert "学校与岚山精工机械有限公司签订合作协议。" in [p.text for p in passages(text)]


def test_space_aligned_rows_keep_their_columns_when_the_first_cell_is_blank():
    text = ("标题\n\n一、专业\n\n学校名称              专业名称        在校生\n"
            "岚山职业学校          数控技术应用    120\n                      电子商务        98\n")
    rows = [p for p in passages(text) if p.kind == "table_row"]
    assert rows[1].cells[:2] == ("", "电子商务") and rows[1].columns[1] == "专业名称"


def test_cells_one_per_line_after_a_caption_are_put_back_into_rows():
    text = "标题\n\n一、规模\n\n表1  学校规模\n项目\n2021年\n2022年\n在校生（人）\n4631\n4862\n招生（人）\n1652\n1736\n"
    rows = [p.cells for p in passages(text) if p.kind == "table_row"]
    assert ("在校生（人）", "4631", "4862") in rows


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
