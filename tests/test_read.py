"""Every report format kg reads (.txt, .md, .docx, .pdf), built together: the entities of each
file, in running text and in tables, reach graph.ttl. The Word and PDF files are written here."""

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kg.cli import cli
from kg.read import read_report

TITLE = "长治市潞城区中等职业教育质量年度报告（2020）"
SCHOOL = "潞城区职业学校"
HEADER = ("序号", "合作企业", "合作专业")

# file (relative to the folder built), enterprise of a sentence, enterprise of a table row
FILES = {
    "潞城 2020.txt": ("长治经纬纺织有限公司", "长治市钰锦科技有限公司"),
    "潞城 2020.md": ("长治市恒信电子科技有限公司", "长治宏达汽车服务有限公司"),
    "潞城 2020.docx": ("山西太行云数据有限公司", "长治市安泰建筑工程有限公司"),
    "潞城 2020.pdf": ("长治市捷通物流有限公司", "长治华泰食品有限公司"),
    "记事本 unicode.txt": ("长治华锐机械有限公司", None),
    "2021/报告.txt": ("长治市鼎盛商贸有限公司", None),
    "2022/报告.txt": ("长治市瑞丰农业发展有限公司", None),
}


def sentence(enterprise: str) -> str:
    return f"{SCHOOL}与{enterprise}签订校企合作协议，共建实训基地。"


def write_text(path: Path, enterprise: str, table: str | None, encoding: str = "utf-8") -> None:
    lines = [TITLE, "", "一、校企合作", sentence(enterprise), ""]
    if table:
        lines += ["\t".join(HEADER), f"1\t{table}\t机电技术应用", ""]
    path.write_text("\n".join(lines) + "表格之后的一段话。\n", encoding=encoding)


def write_markdown(path: Path, enterprise: str, table: str) -> None:
    path.write_text(
        f"# {TITLE}\n\n## 一、校企合作\n\n"
        f"**{SCHOOL}**与[{enterprise}](https://example.com/a?b=c)签订校企合作协议，共建实训基地。\n\n"
        f"| {' | '.join(HEADER)} |\n|---|---|---|\n| 1 | {table} | 机电技术应用 |\n\n"
        "表格之后的一段话。\n",
        encoding="utf-8",
    )


def write_docx(path: Path, enterprise: str, table: str) -> None:
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_heading("校企合作", level=1)  # no number, no full stop: must stand alone
    document.add_paragraph(sentence(enterprise))
    grid = document.add_table(rows=2, cols=3)
    for r, row in enumerate((HEADER, ("1", table, "机电技术应用"))):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.add_paragraph("表格之后的一段话。")
    document.save(str(path))


def write_pdf(path: Path, enterprise: str, table: str) -> None:
    """A PDF with a text layer, Chinese in Adobe's built-in CID font (no font file needed)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    grid = Table([HEADER, ("1", table, "机电技术应用")])
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ]))
    long = sentence(enterprise) + "学校坚持产教融合，校企双方在人才培养、课程建设和实习就业等方面开展了全方位的深度合作。"
    story = [Paragraph(TITLE, style), Spacer(1, 12), Paragraph("一、校企合作", style),
             Paragraph(long, style), Spacer(1, 12), grid, Paragraph("表格之后的一段话。", style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("read") / "报告 文件夹"  # a space and Chinese in the path
    (root / "2021").mkdir(parents=True)
    (root / "2022").mkdir()
    for name, (enterprise, table) in FILES.items():
        path = root / name
        if path.suffix == ".md":
            write_markdown(path, enterprise, table)
        elif path.suffix == ".docx":
            write_docx(path, enterprise, table)
        elif path.suffix == ".pdf":
            write_pdf(path, enterprise, table)
        else:
            write_text(path, enterprise, table, "utf-16" if "unicode" in name else "utf-8")
    return root


@pytest.fixture(scope="module")
def built(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(folder), "--out", str(out)])
    return result, Graph().parse(out / "graph.ttl")


def test_every_format_is_read(built):
    result, _ = built
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Read {len(FILES)} reports."
    assert result.stderr == ""


def reports_stating(graph: Graph, enterprise: str) -> set[str]:
    """File names of the reports with a cooperates_with statement from the school to it."""
    rows = graph.query(
        """SELECT ?file WHERE {
             ?school rdfs:label ?school_name . ?enterprise rdfs:label ?name .
             ?school kg:cooperates_with ?enterprise .
             ?st rdf:subject ?school ; rdf:predicate kg:cooperates_with ; rdf:object ?enterprise ;
                 prov:wasDerivedFrom ?report .
             ?report kg:file_name ?file . }""",
        initBindings={"school_name": Literal(SCHOOL), "name": Literal(enterprise)},
        initNs={"kg": "https://w3id.org/vetkg/ontology#", "prov": "http://www.w3.org/ns/prov#"},
    )
    return {str(row.file) for row in rows}


def reports_mentioning(graph: Graph, enterprise: str) -> set[str]:
    rows = graph.query(
        """SELECT ?file WHERE { ?e a kg:Enterprise ; rdfs:label ?name ; kg:mentioned_in ?r .
                               ?r kg:file_name ?file . }""",
        initBindings={"name": Literal(enterprise)},
        initNs={"kg": "https://w3id.org/vetkg/ontology#"},
    )
    return {str(row.file) for row in rows}


@pytest.mark.parametrize("name", FILES)
def test_cooperation_in_running_text_reaches_the_graph(built, name):
    # Files of the same name in two folders keep their folder (2021/报告.txt): two reports.
    assert reports_stating(built[1], FILES[name][0]) == {name}


@pytest.mark.parametrize("name", [name for name, (_, table) in FILES.items() if table])
def test_enterprise_in_a_table_row_reaches_the_graph(built, name):
    assert reports_mentioning(built[1], FILES[name][1]) == {name}


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_documents_become_text_in_reading_order_with_tab_separated_rows(folder, suffix):
    enterprise, table = FILES[f"潞城 2020{suffix}"]
    text = read_report(folder / f"潞城 2020{suffix}").text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == TITLE
    header, row = "\t".join(HEADER), f"1\t{table}\t机电技术应用"
    assert lines.index(header) + 1 == lines.index(row)
    assert text.index(enterprise) < text.index(row) < text.index("表格之后的一段话。")


def test_markdown_offsets_point_into_the_file(built, folder):
    """Markup is blanked, not removed: offsets of the evidence are offsets into the .md file."""
    rows = built[1].query(
        """SELECT ?start ?end WHERE { ?st prov:wasDerivedFrom ?r ; kg:start_offset ?start ;
                                          kg:end_offset ?end . ?r kg:file_name "潞城 2020.md" . }""",
        initNs={"kg": "https://w3id.org/vetkg/ontology#", "prov": "http://www.w3.org/ns/prov#"},
    )
    text = (folder / "潞城 2020.md").read_text("utf-8")
    spans = [text[int(row.start) : int(row.end)] for row in rows]
    stating = [span for span in spans if FILES["潞城 2020.md"][0] in span]
    assert stating and all(
        span.startswith(SCHOOL) and span.endswith("共建实训基地。") for span in stating
    ), spans
