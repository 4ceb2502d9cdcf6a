"""Random and mutated report text through the whole pipeline: no crash, valid Turtle.

The examples are derandomized (the same 30 every run) so the suite stays reproducible; to
explore, run  KG_FUZZ_EXAMPLES=500 pytest tests/test_fuzz.py  (random examples, ~1 s each).
"""

import os
import tempfile
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.errors import InputError
from kg.export.turtle import to_turtle
from kg.extract import build_pipeline, extract
from kg.graph import build_graph
from kg.read import read_report
from kg.resolve import resolve
from kg.segment import segment
from kg.structure import structure

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPLORE = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))

FUZZ = settings(
    max_examples=EXPLORE or 30,
    deadline=None,
    derandomize=not EXPLORE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that mean something to the segmenter and the extractors, and some that mean trouble.
TOKENS = [
    "\t", "\n", "\n\n", "\r\n", "\r", " ", "  ", "\u3000", "\xa0", "\x0c", "\x00", "\ufeff",
    "【", "】", "【案例分享】", "|", " | ", "|---|---|", "（", "）", "(", ")", "《", "》",
    "。", "，", "；", "：", "、", '"', "“", "”", "\\", "<script>", "{", "}", "?s",
    "0", "1.", "2.3", "（一）", "一、", "2020", "100%", "第三章",
    "有限公司", "职业学校", "专业", "区", "省", "市", "与", "合作", "签订", "校企合作协议",
    "😀", "\U00020000", "\u200b", "\u202e", "\ud7ff",
]

hostile_text = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(TOKENS),
    ),
    max_size=40,
).map("".join)


@st.composite
def mutated_report(draw, seeds: list[str]) -> str:
    """A slice of a seed report with chunks deleted, inserted and duplicated."""
    text = draw(st.sampled_from(seeds))
    start = draw(st.sampled_from([0, len(text) // 3])) + draw(st.integers(0, 500))
    # Sizes are sampled: integers() would mostly draw tiny slices.
    text = text[start : start + draw(st.sampled_from([50, 500, 2000, 8000, len(text)]))]
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 200)))
        operation = draw(st.sampled_from(["delete", "insert", "duplicate", "token"]))
        if operation == "delete":
            text = text[:i] + text[j:]
        elif operation == "insert":
            text = text[:i] + draw(hostile_text) + text[i:]
        elif operation == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 3)) + text[i:]
    return text


def random_report() -> st.SearchStrategy[str]:
    """A report title (so the file reads as a report) over random text and tokens."""
    body = st.lists(st.one_of(hostile_text, st.sampled_from(TOKENS)), max_size=30).map("".join)
    return body.map(lambda text: "某区中等职业教育质量年度报告（2020）\n职业学校\n" + text)


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


SEED_TEXTS = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]


@FUZZ
@given(
    text=st.one_of(mutated_report(SEED_TEXTS), random_report()),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_any_text_becomes_valid_turtle_or_one_clear_error(nlp, text, encoding, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"报告 fuzz{suffix}"
        path.write_bytes(text.encode(encoding))
        try:
            report = read_report(path)
        except InputError as error:  # bad input is refused with one line, never a crash
            assert "\n" not in str(error) and path.as_posix() in str(error)
            event(f"refused: {error.problem[:20]}")
            return
    event(f"read, {len(report.text) // 1000}k characters")
    extraction = extract(structure(report, segment(report)), nlp)
    turtle = to_turtle(build_graph(resolve([extraction]), include_ontology=False))

    graph = Graph().parse(data=turtle, format="turtle")
    oxigraph_triples = set(pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxigraph_triples) == len(graph)
    for row in graph.query(
        "SELECT ?start ?end WHERE { ?s <https://w3id.org/vetkg/ontology#start_offset> ?start ;"
        " <https://w3id.org/vetkg/ontology#end_offset> ?end }"
    ):
        assert 0 <= int(row.start) < int(row.end) <= len(report.text)
