"""`kg build` on folders full of surprises: each bad file is one line on stderr naming it and
the fix, the good reports are still built, the summary lists what was skipped, exit code 1;
--strict stops at the first; a failed or interrupted build leaves the previous outputs."""

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph
from reportlab.pdfgen import canvas

import kg.build
from kg.cli import cli
from kg.vocab import ID, KG

GOOD = (
    "长治市潞城区中等职业教育质量年度报告（2020）\n\n"
    "潞城区职业学校与长治经纬纺织有限公司签订校企合作协议，共建实训基地。\n"
)
NOVEL = "却说曹操引兵追赶刘备，一路烟尘滚滚，人马喧嚣，直到天色将晚方才收兵回营。\n"


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file in the output folder, the store's files included, with its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def no_text_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 200, 200)  # a scanned page: drawing, no text layer
    pdf.showPage()
    pdf.save()


def zip_file(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")


# file name → (how to write it, the one line expected on stderr after "Error: <path>: ")
BAD = {
    "empty.txt": (b"", "is empty - give the report itself, or remove the file"),
    "blank lines.md": (b"\n \n\t\n", "is empty - give the report itself, or remove the file"),
    "binary.txt": (
        bytes(range(256)) * 4, "is a binary file, not text - save the report as UTF-8 text"
    ),
    "english.txt": (
        b"An annual report on nothing in particular.\n",
        "has no Chinese text, so it is no report - give a report written in Chinese",
    ),
    # "has no Chinese text when read as <codec> - ..." (the codec guessed varies): PREFIXES
    "latin-1.txt": ("Le café du lycée à Orsay, olé é ©\n".encode("latin-1"), None),
    "novel.txt": (
        NOVEL.encode("utf-8"),
        ("does not read like a vocational-education report (no 职业, 学校, 教育, 专业 …)"
         " - check it is a quality report"),
    ),
    "huge.txt": (
        "sparse",
        ("is 51 MB, over the 50 MB limit for a report"
         " - check it is a report; split it if it really is one"),
    ),
    "报告副本.txt": (
        GOOD.encode("utf-8"),
        "is the same report as {folder}/good.txt - remove one of the copies",
    ),
    "renamed pdf.txt": (
        b"%PDF-1.4\n%...", "is a PDF file with a text ending - rename it to .pdf"
    ),
    "not a pdf.pdf": (
        GOOD.encode("utf-8"),
        ("is not a PDF file (its content does not match its name)"
         " - check the file; give it the ending of its real format"),
    ),
    "scanned.pdf": (
        no_text_pdf,
        ("has no text layer (a scanned PDF?)"
         " - run OCR on it first, or give the report as text or .docx"),
    ),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog", None),  # see PREFIXES
    "zip.docx": (
        zip_file,
        ("is not a readable Word .docx file (KeyError)"
         " - open it in Word or WPS and save it again as .docx"),
    ),
    "old word.docx": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "is an old Word .doc file, not .docx - save it as .docx",
    ),
    "old word.doc": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "is a .doc file, which kg cannot read - save it as .docx",
    ),
}
PREFIXES = {  # lines whose end depends on a library: what they must start with
    "latin-1.txt": "has no Chinese text when read as ",
    "broken.pdf": "is not a readable PDF (",
}
IGNORED = ["~$good.docx", ".hidden/copy.txt", "notes.json"]  # lock files, hidden, other data


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad") / "下载 的 报告"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, "utf-8")
    for name, (content, _) in BAD.items():
        path = root / name
        if content == "sparse":
            with path.open("wb") as file:  # 51 MB on paper, nothing on disk
                file.truncate(51 * 2**20)
        elif callable(content):
            content(path)
        else:
            path.write_bytes(content)
    for name in IGNORED:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_bytes(b"\x00junk")
    return root


@pytest.fixture(scope="module")
def mixed(folder, tmp_path_factory):
    """One build of the whole folder plus a path that does not exist."""
    out = tmp_path_factory.mktemp("out")
    missing = folder.parent / "nowhere.txt"
    result = CliRunner().invoke(cli, ["build", str(folder), str(missing), "--out", str(out)])
    return result, out, missing


def expected_line(folder: Path, name: str) -> str:
    return f"Error: {(folder / name).as_posix()}: " + BAD[name][1].format(folder=folder.as_posix())


@pytest.mark.parametrize("name", BAD)
def test_each_bad_file_is_one_line_naming_it_and_the_fix(mixed, folder, name):
    result = mixed[0]
    lines = [line for line in result.stderr.splitlines() if (folder / name).as_posix() + ":" in line]
    assert len(lines) == 1, result.stderr
    if name in PREFIXES:
        assert lines[0].startswith(f"Error: {(folder / name).as_posix()}: {PREFIXES[name]}")
        assert " - " in lines[0]
    else:
        assert lines[0] == expected_line(folder, name)


@pytest.mark.parametrize("name", BAD)
def test_the_summary_lists_each_skipped_file(mixed, folder, name):
    problem = (BAD[name][1] or PREFIXES[name]).format(folder=folder.as_posix()).split(" - ")[0]
    assert f"  {(folder / name).as_posix()}: {problem}" in mixed[0].stdout


def test_the_good_report_is_built_and_the_exit_code_says_files_were_skipped(mixed, folder):
    result, out, missing = mixed
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.splitlines()[0] == "Read 1 report."
    skipped = len(BAD) + 1  # and the missing path
    assert f"Skipped {skipped} files:" in result.stdout
    assert f"Error: {missing}: no such file or folder - check the path" in result.stderr.splitlines()
    assert len(result.stderr.splitlines()) == skipped
    assert "长治经纬纺织有限公司" in (out / "graph.ttl").read_text("utf-8")
    assert not any(name in result.output for name in ("~$good", ".hidden", "notes.json"))


def build(*args):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


@pytest.fixture
def previous(tmp_path):
    """A folder with a good report, and the outputs of a build of it."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, "utf-8")
    out = tmp_path / "out"
    assert build(tmp_path / "in", "--out", out).exit_code == 0
    return tmp_path / "in", out, snapshot(out)


def unchanged(out: Path, before: dict[str, bytes]) -> bool:
    return snapshot(out) == before  # no temporary file or folder left


def test_strict_stops_at_the_first_bad_file_and_writes_nothing(previous):
    folder, out, before = previous
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01")
    (folder / "more.txt").write_text(GOOD.replace("经纬纺织", "恒信电子科技"), "utf-8")
    result = build(folder, "--strict", "--out", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {(folder / 'binary.txt').as_posix()}: is a binary file, not text - save the report as UTF-8 text\n"
    assert unchanged(out, before)


def test_one_unreadable_file_alone_is_one_line_and_nothing_is_written(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = build(tmp_path / "empty.txt", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == f"Error: {(tmp_path / 'empty.txt').as_posix()}: is empty - give the report itself, or remove the file\n"
    assert not (tmp_path / "out").exists()


def test_when_no_file_can_be_read_nothing_is_written(previous):
    folder, out, before = previous
    (folder / "good.txt").write_bytes(b"")
    (folder / "english.txt").write_text("Hello.\n", "utf-8")
    result = build(folder, "--out", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: no report could be read (2 files were skipped) - nothing written;"
        " fix the files named above"
    )
    assert len(result.stderr.splitlines()) == 3
    assert unchanged(out, before)


def test_a_folder_without_reports_is_named(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "logo.png").write_bytes(b"\x89PNG")
    result = build(tmp_path / "pictures", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'pictures'}: holds no report files - put reports (.txt, .md, .docx, .pdf) in it\n"
    )


def test_an_output_folder_that_cannot_be_written_is_one_line(previous, tmp_path):
    folder, _, _ = previous
    (tmp_path / "a file").write_text("in the way", "utf-8")
    result = build(folder, "--out", tmp_path / "a file")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {(tmp_path / 'a file').as_posix()}: cannot be written to (")
    assert result.output.endswith(") - choose another folder with --out\n")
    assert (tmp_path / "a file").read_text("utf-8") == "in the way"


def test_ctrl_c_during_the_build_keeps_the_previous_outputs(previous, monkeypatch):
    folder, out, before = previous
    (folder / "more.txt").write_text(GOOD.replace("经纬纺织", "恒信电子科技"), "utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.build, "resolve", interrupted)
    result = build(folder, "--out", out)
    assert result.exit_code == 130
    assert result.output == "Interrupted - nothing written, the previous outputs are unchanged.\n"
    assert unchanged(out, before)


def test_ctrl_c_while_writing_keeps_the_previous_outputs_and_no_temporary_file(previous, monkeypatch):
    folder, out, before = previous
    (folder / "more.txt").write_text(GOOD.replace("经纬纺织", "恒信电子科技"), "utf-8")
    chmod, calls = kg.build.os.chmod, []

    def interrupted_on_the_second_file(path, mode):
        calls.append(path)
        if len(calls) == 2:  # graph.ttl is on disk under its temporary name, graph.html too
            raise KeyboardInterrupt
        chmod(path, mode)

    monkeypatch.setattr(kg.build.os, "chmod", interrupted_on_the_second_file)
    result = build(folder, "--out", out)
    assert result.exit_code == 130
    assert len(calls) == 2
    assert unchanged(out, before)


def test_a_report_kg_fails_on_is_skipped_and_strict_shows_the_traceback(previous, monkeypatch):
    folder, out, _ = previous
    (folder / "odd.txt").write_text(GOOD.replace("经纬纺织", "恒信电子科技"), "utf-8")
    extract = kg.batch.extract

    def failing_on_odd(document, *args):
        if document.report.name == "odd.txt":
            raise ValueError("index out of range\nsecond line")
        return extract(document, *args)

    monkeypatch.setattr(kg.batch, "extract", failing_on_odd)
    result = build(folder, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {(folder / 'odd.txt').as_posix()}: kg failed on it (ValueError: index out of range)"
        " - a bug in kg: build it alone with --strict to see where, and report it\n"
    )
    assert "长治经纬纺织有限公司" in (out / "graph.ttl").read_text("utf-8")
    strict = build(folder, "--strict", "--out", out)
    assert isinstance(strict.exception, ValueError)


def test_every_build_reports_its_validation(previous, monkeypatch):
    folder, out, _ = previous
    clean = build(folder, "--out", out)
    assert "Validation: conforms to the kg shapes" in clean.stdout.splitlines()
    build_graph = kg.build.build_graph

    def with_an_unlabelled_school(knowledge):
        graph = build_graph(knowledge)
        graph.add((ID["school/000000000000"], RDF.type, KG.School))  # no rdfs:label, no report: breaks the shapes
        return graph

    monkeypatch.setattr(kg.build, "build_graph", with_an_unlabelled_school)
    broken = build(folder, "--out", out)
    assert broken.exit_code == 0  # the graph is written all the same
    line = next(line for line in broken.stdout.splitlines() if line.startswith("Validation:"))
    assert re.fullmatch(rf"Validation: [1-9]\d* violations? \(run kg validate {re.escape((out / 'graph.ttl').as_posix())}\)", line)


def test_a_report_that_yields_nothing_replaces_no_graph(previous):
    folder, out, before = previous
    (folder / "good.txt").unlink()
    (folder / "title.txt").write_text("长治市潞州区中等职业教育质量年度报告（2022年）\n", "utf-8")
    result = build(folder, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: nothing could be extracted from {(folder / 'title.txt').as_posix()} - nothing written;"
        " check that the files are quality reports with a text layer\n"
    )
    assert unchanged(out, before)


def test_a_report_that_yields_little_is_warned_of_and_the_others_are_built(previous):
    folder, out, _ = previous
    (folder / "title.txt").write_text("长治市潞州区中等职业教育质量年度报告（2022年）\n", "utf-8")
    result = build(folder, "--out", out)
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: {(folder / 'title.txt').as_posix()}: no entity and no relation could be extracted"
        " from it - is it a quality report, and is its text readable?\n"
    )
    assert "长治经纬纺织有限公司" in (out / "graph.ttl").read_text("utf-8")


def test_the_summary_counts_are_the_graphs(previous):
    folder, out, _ = previous
    result = build(folder, "--out", out)
    graph = Graph().parse(out / "graph.ttl")
    line = next(line for line in result.stdout.splitlines() if line.startswith("Relations: "))
    for item in line.removeprefix("Relations: ").split(", "):
        predicate, count = item.rsplit(" ", 1)
        assert len(list(graph.triples((None, KG[predicate], None)))) == int(count), predicate


def test_the_page_title_is_the_reports_title(previous):
    _, out, _ = previous
    html = (out / "graph.html").read_text("utf-8")
    title = GOOD.strip().splitlines()[0]
    assert f"<title>{title}</title>" in html
