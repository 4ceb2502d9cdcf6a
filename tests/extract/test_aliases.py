"""Short forms a report uses without declaring them: never a guess between two companies,
and never an answer that depends on the process (Python's hash of strings differs per run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kg.extract import extract
from kg.model import Report
from kg.resolve import resolve
from kg.segment import segment
from kg.structure import structure

# Two companies of names equally long whose trade name is the same: 星河.
TEXT = (
    "庆阳市青禾职业技术学校质量年度报告（2022年度）\n\n一、校企合作\n\n"
    "学校与北京星河电子有限公司签订合作协议。\n\n学校与天津星河集团有限公司共建实训基地。\n\n"
    "星河选派工程师到校授课。学校与星河开展订单培养。星河接收学生实习。\n"
)


def cooperations(text: str) -> set[tuple[str, str, str]]:
    """(school, company, sentence) of every cooperation the graph holds."""
    report = Report(path="r.txt", name="r.txt", text=text, encoding="utf-8")
    graph = resolve([extract(structure(report, segment(report)))])
    labels = {e.key: e.label for e in graph.entities}
    return {
        (labels[r.subject], labels[r.object], evidence.text)
        for r in graph.relations
        if r.predicate == "cooperates_with"
        for evidence in r.evidence
    }


def test_a_trade_name_two_companies_share_stands_for_neither() -> None:
    assert cooperations(TEXT) == {
        ("庆阳市青禾职业技术学校", "北京星河电子有限公司", "学校与北京星河电子有限公司签订合作协议。"),
        ("庆阳市青禾职业技术学校", "天津星河集团有限公司", "学校与天津星河集团有限公司共建实训基地。"),
    }


def test_the_extraction_is_the_same_whatever_the_hash_seed() -> None:
    script = (
        "import json, sys; sys.path.insert(0, 'tests/extract'); import test_aliases as t;"
        " print(json.dumps(sorted(t.cooperations(t.TEXT)), ensure_ascii=False))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and json.loads(outputs.pop())
