"""kg must not know the reports it is measured on: no name of an organisation or a person from
any gold file stands in the package (code, rules, comments, help texts).

Places and majors are public facts (the national lists of divisions and of majors) and are
not checked. A few words that are names in some gold file are also ordinary words of the genre;
each is allowed with its reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_FOLDERS = [
    ROOT.parent / "shared" / "gold",
    ROOT.parent / "shared" / "dev",
    ROOT / "tests" / "unseen" / "gold",
    ROOT / "tests" / "heldout" / "gold",
]
CHECKED_CLASSES = ("School", "Enterprise", "Expert")

#: Words that are names in a gold file and also generic words of the genre.
GENERIC = {
    "职教中心": "the type of a school (职业教育中心); a school's short name in one report",
    "职业学校": "a type of school",
    "职业中学": "a type of school",
    "职业高中": "a type of school",
    "技工学校": "a type of school",
    "中职学校": "a kind of school",
    "职业学院": "a type of college",
    "技师学院": "a type of college",
    "卫生学校": "a type of school",
}


def gold_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for folder in GOLD_FOLDERS:
        for path in sorted(folder.glob("*.json")):
            for entity in json.loads(path.read_text("utf-8")).get("entities", []):
                if entity.get("type") not in CHECKED_CLASSES:
                    continue
                for name in [entity["name"], *entity.get("aliases", [])]:
                    name = re.sub(r"\s+", "", name)
                    if len(name) >= 3 and name not in GENERIC:
                        names.setdefault(name, path.name)
    return names


def test_the_gold_files_are_there_to_check_against():
    assert (ROOT / "tests" / "heldout" / "gold").is_dir() and gold_names()


def test_no_name_of_a_gold_file_stands_in_the_package():
    names = gold_names()
    found = []
    for path in sorted((ROOT / "kg").rglob("*")):
        if path.suffix not in (".py", ".json", ".jsonl", ".rq", ".txt", ".html", ".js"):
            continue
        text = path.read_text("utf-8")
        found += [f"{path.relative_to(ROOT)}: {name} (from {names[name]})" for name in names if name in text]
    assert not found, "names from reports in kg/:\n" + "\n".join(found)
