"""How fast the ready-made questions run through rdflib and Oxigraph on a large synthetic graph.

    python benchmarks/query_speed.py                  # ~1 million triples
    python benchmarks/query_speed.py --triples 200000 --keep /tmp/big.ttl

Generates a graph that follows the conventions of exports/graph.ttl (entities with labels,
aliases and mentions; relations backed by rdf:Statement nodes with evidence and offsets; regions
on a province > prefecture > county tree with division codes), loads it into both engines, runs
every ready-made question through each, checks that the answers are the same and prints the
times and their ratio. Deterministic: the same arguments write the same graph.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Literal

from kg.query import load, ready_query

PREFIXES = """\
@prefix kg: <https://w3id.org/vetkg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SYLLABLES = "华兴安宁泰和昌盛明德博文新立东方长城金海云天嘉禾鼎信恒通远航"


def _hex(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:12]


def _id(path: str) -> str:
    # full IRIs: "/" may not stand in a Turtle prefixed name
    return f"<https://w3id.org/vetkg/id/{path}>"


def _name(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


class Writer:
    """Streams Turtle straight to a file.

    Building a million triples in an rdflib Graph only to serialize them would take minutes and
    gigabytes; the synthetic names need no escaping, so plain lines are enough.
    """

    def __init__(self, path: Path) -> None:
        self.out = path.open("w", encoding="utf-8")
        self.out.write(PREFIXES)
        self.triples = 0
        self.statements = 0

    def node(self, iri: str, *pairs: tuple[str, str]) -> None:
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.out.write(f"{iri}\n    {body} .\n")
        self.triples += len(pairs)

    def relation(self, s: str, p: str, o: str, report: str, sentence: str, start: int) -> None:
        self.out.write(f"{s} kg:{p} {o} .\n")
        self.triples += 1
        self.statements += 1
        self.node(
            _id(f"statement/{_hex(s, p, o, report, start)}"),
            ("a", "rdf:Statement"),
            ("rdf:subject", s),
            ("rdf:predicate", f"kg:{p}"),
            ("rdf:object", o),
            ("prov:wasDerivedFrom", report),
            ("kg:evidence", f'"{sentence}"'),
            ("kg:start_offset", str(start)),
            ("kg:end_offset", str(start + len(sentence))),
            ("kg:extraction_rule", f'"{p}.synthetic"'),
        )

    def close(self) -> None:
        self.out.close()


def generate(path: Path, target: int) -> dict[str, str]:
    """Write about `target` triples; returns names to ask about (a busy school, an alias, …)."""
    rng = random.Random(0)
    scale = target / 1_000_000
    w = Writer(path)
    reports = [_id(f"report/{_hex('report', i)}") for i in range(max(10, int(2000 * scale)))]
    regions: list[str] = []
    for p in range(34):
        pcode = f"{11 + p:02d}0000"
        piri = _id(f"region/{pcode}")
        w.node(
            piri,
            ("a", "kg:Region"),
            ("rdfs:label", f'"{_name(rng, 3)}省"'),
            ("kg:division_code", f'"{pcode}"'),
            ("kg:division_level", '"province"'),
        )
        for c in range(1, 11):
            ccode = f"{11 + p:02d}{c:02d}00"
            ciri = _id(f"region/{ccode}")
            w.node(
                ciri,
                ("a", "kg:Region"),
                ("rdfs:label", f'"{_name(rng, 2)}市"'),
                ("kg:division_code", f'"{ccode}"'),
                ("kg:division_level", '"prefecture"'),
                ("kg:located_in", piri),
            )
            for k in range(1, 11):
                kcode = f"{11 + p:02d}{c:02d}{k:02d}"
                kiri = _id(f"region/{kcode}")
                w.node(
                    kiri,
                    ("a", "kg:Region"),
                    ("rdfs:label", f'"{_name(rng, 2)}县"'),
                    ("kg:division_code", f'"{kcode}"'),
                    ("kg:division_level", '"county"'),
                    ("kg:located_in", ciri),
                )
                regions.append(kiri)
    for i, r in enumerate(reports):
        w.node(
            r,
            ("a", "kg:Report"),
            ("kg:file_name", f'"{i:04d}_{_hex(i)}.txt"'),
            ("dcterms:title", f'"{2015 + i % 8}年中等职业教育质量年度报告"'),
            ("kg:year", str(2015 + i % 8)),
            ("kg:covers_region", rng.choice(regions)),
        )

    def entities(cls: str, count: int, suffix: str) -> list[tuple[str, str, str]]:
        made = []
        for i in range(count):
            label = f"{_name(rng, 4)}{suffix}{i}"
            alias = f"{label[:2]}{suffix[:1]}{i}"
            iri = _id(f"{cls.lower()}/{_hex(cls, i)}")
            mentions = {rng.choice(reports) for _ in range(2)}
            pairs = [
                ("a", f"kg:{cls}"),
                ("rdfs:label", f'"{label}"'),
                ("skos:altLabel", f'"{alias}"'),
            ]
            pairs += [("kg:mentioned_in", r) for r in sorted(mentions)]
            w.node(iri, *pairs)
            made.append((iri, label, alias))
        return made

    schools = entities("School", int(16000 * scale), "职业学校")
    enterprises = entities("Enterprise", int(20000 * scale), "有限公司")
    majors = entities("Major", 300, "专业")
    experts = entities("Expert", int(6000 * scale), "")

    def popular(items, skew=1.3):
        # a few partners are shared by many schools, as real reports show
        return items[min(len(items) - 1, int(rng.paretovariate(skew)) - 1)]

    def relate(s, p, o):
        report = rng.choice(reports)
        w.relation(s[0], p, o[0], report, f"{s[1]}与{o[1]}的{p}", rng.randrange(100_000))

    rng.shuffle(enterprises)
    while w.triples < target:
        school = rng.choice(schools)
        relate(
            school,
            "cooperates_with",
            popular(enterprises) if rng.random() < 0.3 else rng.choice(enterprises),
        )
        relate(school, "offers_major", rng.choice(majors))
        if rng.random() < 0.3:
            region = rng.choice(regions)
            relate(school, "located_in", (region, "", ""))
        if rng.random() < 0.1:
            relate(
                school,
                "assists",
                rng.choice(schools) if rng.random() < 0.5 else (rng.choice(regions), "", ""),
            )
        if rng.random() < 0.1:
            expert = rng.choice(experts)
            relate(expert, "trains", school)
            relate(expert, "affiliated_with", rng.choice(schools))
    w.close()
    busy = schools[0]
    return {
        "school": busy[2],
        "name": busy[2],
        "triples": str(w.triples),
        "statements": str(w.statements),
    }


def _timed(fn):
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="graph size to generate")
    parser.add_argument("--keep", type=Path, help="write the graph here and keep it")
    parser.add_argument("--repeat", type=int, default=1, help="runs per query (best is kept)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "graph.ttl"
        facts, seconds = _timed(lambda: generate(path, args.triples))
        print(
            f"generated {facts['triples']} triples ({facts['statements']} statements) "
            f"in {seconds:.1f} s: {path} ({path.stat().st_size / 1e6:.0f} MB)",
            flush=True,
        )
        fast, seconds = _timed(lambda: load(path, engine="oxigraph"))
        print(f"load   oxigraph {seconds:8.2f} s  ({fast.triples} triples)", flush=True)
        slow = load(path, engine="rdflib")
        _, seconds = _timed(lambda: slow.graph)
        print(f"load   rdflib   {seconds:8.2f} s", flush=True)

        cases = [
            ("partners", {"school": facts["school"]}),
            ("shared-partners", {}),
            ("assisted-regions", {}),
            ("majors", {"school": facts["school"]}),
            ("majors", {}),
            ("experts", {}),
            ("evidence", {"name": facts["name"]}),
            ("evidence", {}),
        ]
        print(f"\n{'question':<34}{'rows':>8}{'rdflib s':>11}{'oxigraph s':>12}{'ratio':>8}")
        total = {"rdflib": 0.0, "oxigraph": 0.0}
        for name, params in cases:
            q = ready_query(name)
            bound = {k: Literal(v) for k, v in params.items()}
            text = q.text(bound)
            times, answers = {}, {}
            for engine, kb in (("rdflib", slow), ("oxigraph", fast)):
                best = None
                for _ in range(args.repeat):
                    answers[engine], seconds = _timed(
                        lambda kb=kb, engine=engine, text=text, bound=bound: kb.query(
                            text, bound, engine=engine
                        )
                    )
                    best = seconds if best is None else min(best, seconds)
                times[engine] = best
                total[engine] += best
            same = "" if answers["rdflib"] == answers["oxigraph"] else "  DIFFERENT ANSWERS"
            label = name + "".join(f" {k}=…" for k in params)
            print(
                f"{label:<34}{len(answers['oxigraph'].rows):>8}{times['rdflib']:>11.3f}"
                f"{times['oxigraph']:>12.3f}{times['rdflib'] / max(times['oxigraph'], 1e-6):>7.1f}x"
                f"{same}",
                flush=True,
            )
        print(
            f"{'all questions':<34}{'':>8}{total['rdflib']:>11.3f}{total['oxigraph']:>12.3f}"
            f"{total['rdflib'] / max(total['oxigraph'], 1e-6):>7.1f}x"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
