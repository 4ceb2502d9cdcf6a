"""The national catalogue of secondary vocational majors (教育部《职业教育专业目录》).

`data/majors_2021.tsv` holds the 2021 edition and `data/majors_2010.tsv` the 2010 one, which
older reports still use (code, name, category per line; typed in from the catalogues, names and
categories only). A name of the catalogue is a major whether or not 专业 follows it; a category
(专业大类: 装备制造, 财经商贸 …) is not a programme a school offers.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def catalogue() -> dict[str, str]:
    """Every major of both editions, by name, with its category (the 2021 one where both have it)."""
    names: dict[str, str] = {}
    for edition in ("majors_2010.tsv", "majors_2021.tsv"):
        text = resources.files("kg.lexicon").joinpath("data", edition).read_text("utf-8")
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            _code, name, category = line.split("\t")
            names[name.strip()] = category.strip()
    return names


@cache
def categories() -> frozenset[str]:
    """The categories of both editions, with and without 大类 / 类 (装备制造大类, 装备制造)."""
    found: set[str] = set()
    for category in catalogue().values():
        found.add(category)
        for ending in ("大类", "类"):
            if category.endswith(ending) and len(category) > len(ending) + 1:
                found.add(category[: -len(ending)])
    return frozenset(found)


@cache
def short_forms() -> dict[str, tuple[str, ...]]:
    """The usual short names of majors (汽修, 数控, 电商), each with the catalogue names it may
    stand for, most likely first: `data/major_short_forms.tsv`."""
    text = resources.files("kg.lexicon").joinpath("data", "major_short_forms.tsv").read_text("utf-8")
    forms: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, names = line.split("\t")
        forms[short.strip()] = tuple(n.strip() for n in names.split(",") if n.strip())
    return forms


def is_major(name: str) -> bool:
    return name in catalogue()
