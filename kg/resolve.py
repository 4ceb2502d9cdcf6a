"""Stage 4: turn mentions into entities, one per real-world thing, within and across reports.

Surface forms of one thing differ by a region prefix (温江区第二职业中学 / 第二职业中学), by an
abbreviation (温江一职, 电商 for 电子商务), by a title (陶文涛教授), by a legal form (锦程精工公司 /
锦程精工有限公司) or by full-/half-width characters. Each class has its own key; mentions with
the same key are one entity, whose IRI seed is the key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.extract.entities import split_place_prefix
from kg.lexicon import regions
from kg.model import (
    Entity,
    Evidence,
    Extraction,
    KnowledgeGraph,
    Mention,
    Passage,
    Relation,
    RelationMention,
    ResolvedReport,
)

# What a relation may join (GUIDELINES.md): anything else is an extraction error.
_DOMAINS = {
    "cooperates_with": ({"School"}, {"Enterprise", "School"}),
    "assists": ({"School", "Expert"}, {"Region", "School"}),
    "offers_major": ({"School"}, {"Major"}),
    "trains": ({"Expert"}, {"School"}),
    "located_in": ({"School", "Enterprise"}, {"Region"}),
    "affiliated_with": ({"Expert"}, {"School", "Enterprise"}),
}
_VOCATIONAL = re.compile("职业技术学校|职业学校|职业中学|职业高中|职业高级中学|职专|职中|职高")
_LEGAL_FORM = re.compile("(股份有限公司|有限责任公司|有限公司|公司|集团|景区|汽车4S店|4S店)$")
_CN_DIGITS = "一二三四五六七八九十"


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, no white space, no quotes."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s“”\"'‘’「」《》<>]", "", text)


@dataclass
class _Cluster:
    cls: str
    key: str
    surfaces: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    reports: set = field(default_factory=set)  # type: ignore[type-arg]
    division: regions.Division | None = None


class _ReportResolver:
    """Resolution inside one report: which mention is which entity."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.info = extraction.info
        self.passages = extraction.passages
        self.within = self.info.region_code
        self.keys: dict[int, str] = {}  # id(mention) -> entity key
        self.clusters: dict[str, _Cluster] = {}
        self.own_region_key: str | None = None

    # -- keys -----------------------------------------------------------------------------------

    def region_key(self, text: str) -> tuple[str, regions.Division | None]:
        division = regions.lookup(normalise(text), within=self.within)
        if division is None:
            return "Region/" + normalise(text), None
        return "Region/" + division.code, division

    def split_region(self, name: str) -> tuple[regions.Division | None, str]:
        """The region a name starts with, and the rest (温江区|第二职业中学)."""
        return split_place_prefix(name, within=self.within)

    def region_codes(self, name: str) -> set[str]:
        """Every division the place a school's name starts with may denote (东乡县 / 东乡族自治县)."""
        found = regions.find(normalise(name))
        if found and found[0].start == 0:
            return {d.code for d in found[0].candidates}
        return set()

    def school_core(self, name: str) -> tuple[regions.Division | None, str]:
        name = normalise(name)
        name = name.replace("大学附属中学", "附中").replace("附属中学", "附中")
        name = re.sub(r"\((.{2,8}?)(学校|校区)\)$", r"\1分校", name)
        division, rest = self.split_region(name)
        rest = re.sub("^(区|市|县)", "", rest)
        return division, rest

    # -- clustering -----------------------------------------------------------------------------

    def resolve_entities(self) -> None:
        mentions = [m for m in self.extraction.mentions if m.label != "Ref"]
        by_class: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_class[mention.label].append(mention)
        self.cluster_regions(by_class["Region"])
        self.cluster_schools(by_class["School"])
        self.cluster_enterprises(by_class["Enterprise"])
        self.cluster_majors(by_class["Major"])
        self.cluster_experts(by_class["Expert"])

    def assign(self, mention: Mention, cls: str, key: str, surface: str | None = None) -> None:
        cluster = self.clusters.setdefault(key, _Cluster(cls, key))
        cluster.surfaces[normalise(surface or mention.text)] += 1
        cluster.reports.add(mention.report)
        self.keys[id(mention)] = key

    def cluster_regions(self, mentions: list[Mention]) -> None:
        if self.info.region:
            key, division = self.region_key(self.info.region)
            self.own_region_key = key
            cluster = self.clusters.setdefault(key, _Cluster("Region", key, division=division))
            cluster.surfaces[normalise(self.info.region)] += 1
            cluster.reports.add(self.info.report)
        # A name that may denote several places (和田: the prefecture, the county or the city)
        # is the one the report also names unambiguously.
        certain = {
            d.code for m in mentions if len(regions.candidates(normalise(m.text))) == 1
            for d in regions.candidates(normalise(m.text))
        }
        for mention in mentions:
            text = normalise(mention.text)
            if mention.rule == "region-township":
                self.assign(mention, "Region", "Region/" + text)  # below the national code list
                continue
            options = [d for d in regions.candidates(text) if d.code in certain]
            if len(options) == 1:
                key, division = "Region/" + options[0].code, options[0]
            else:
                key, division = self.region_key(mention.text)
            if division is None:
                continue
            self.assign(mention, "Region", key)
            self.clusters[key].division = division
            # "青海玉树": the place is also called by its own part, 玉树
            for cut in range(len(text) - 2, 1, -1):
                if any(a in regions.candidates(text[:cut]) for a in regions.ancestors(division.code)):
                    self.clusters[key].surfaces[text[cut:]] += 1
                    break

    def cluster_schools(self, mentions: list[Mention]) -> None:
        full = [m for m in mentions if m.rule not in ("school-numbered-abbreviation", "school-short-form")]
        cores: dict[tuple[str, str], str] = {}
        for mention in sorted(full, key=lambda m: -len(m.text)):
            division, core = self.school_core(mention.text)
            code = division.code if division else ""
            key = None
            codes = self.region_codes(mention.text)
            for (other_code, other_core), other_key in cores.items():
                if _same_school(core, other_core) and (_compatible(code, other_code) or other_code in codes):
                    key = other_key
                    break
                if core.startswith(other_core) and len(other_core) >= 4 and re.search(
                    "分院|学院$|分校$", core[len(other_core) :]
                ):
                    key = other_key  # 某市教育学院职教分院 is part of 某市教育学院
                    break
            if key is None:
                key = "School/" + (code + ":" if code else "") + core
                if not code and core in [c for _, c in cores]:
                    key = next(k for (c2, cc), k in cores.items() if cc == core)
            cores.setdefault((code, core), key)
            self.assign(mention, "School", key)
        by_text = {normalise(m.text): self.keys[id(m)] for m in full if id(m) in self.keys}
        for mention in mentions:
            if mention.rule == "school-short-form":
                full_name = normalise(mention.refers_to)
                if full_name in by_text:
                    self.assign(mention, "School", by_text[full_name])
                continue
            if mention.rule != "school-numbered-abbreviation":
                continue
            match = re.match(rf"(.+?)([{_CN_DIGITS}])(职高|职专|职|中)$", normalise(mention.text))
            if not match:
                continue
            place, digit, kind = match.groups()
            target = None
            for (code, core), key in cores.items():
                division = regions.division(code) if code else None
                if division and (place in division.name or division.name.startswith(place)) and core.startswith(
                    "第" + digit
                ) and ("职" in core if kind.startswith("职") else "中" in core):
                    target = key
                    break
            if target is None:
                target = f"School/{place}{digit}{kind}"
            self.assign(mention, "School", target)

    def cluster_enterprises(self, mentions: list[Mention]) -> None:
        full = sorted(mentions, key=lambda m: -len(m.text))
        cores: dict[str, str] = {}
        for mention in full:
            name = normalise(mention.text)
            _, rest = self.split_region(name)
            core = _LEGAL_FORM.sub("", rest) or rest
            key = cores.get(core)
            if key is None:
                # a trade name alone, or with a shorter legal form (粤泓集团 of 广东粤泓家电集团有限公司)
                longer = [k for other, k in cores.items() if len(core) >= 2 and other.startswith(core)]
                if not longer and len(core) >= 3:
                    # 栎社物流 of 宁波栎社国际物流: same trade name, the rest in order
                    longer = [k for other, k in cores.items() if other[:2] == core[:2] and _subsequence(core, other)]
                if len(set(longer)) == 1:
                    key = longer[0]
            if key is None:
                key = "Enterprise/" + core
                cores[core] = key
            self.assign(mention, "Enterprise", key)
        # "成都锦岳数字科技有限公司（JY8）": the abbreviation in brackets is the same company
        for mention in mentions:
            if mention.rule == "org-parenthetical-alias":
                before = [
                    m for m in mentions
                    if m.passage == mention.passage and m.end <= mention.start and mention.start - m.end <= 2
                ]
                if before:
                    old = self.keys[id(mention)]
                    new = self.keys[id(before[-1])]
                    if old != new:
                        self.clusters[new].surfaces.update(self.clusters[old].surfaces)
                        self.clusters[old].surfaces.clear()
                        self.keys[id(mention)] = new

    def cluster_majors(self, mentions: list[Mention]) -> None:
        names = Counter(normalise(m.text) for m in mentions)
        canonical = {name: name for name in names}
        ordered = sorted(names, key=lambda n: (-len(n), n))
        # "学前教育与管理" once beside "学前教育" many times: one programme with a longer name
        for name in ordered:
            match = re.match("(.{2,})[与及](管理|应用)$", name)
            if match and match.group(1) in names and names[match.group(1)] > names[name]:
                canonical[name] = match.group(1)
        for name in ordered:
            loose = re.sub("[与及和]", "", name)
            for other in ordered:
                if other == name:
                    continue
                if re.sub("[与及和]", "", other) == loose and len(other) >= len(name):
                    canonical[name] = canonical[other]
                    break
                if len(name) == len(other) >= 4 and sum(a != b for a, b in zip(name, other)) == 1 and (
                    name[0] == other[0] and names[other] >= names[name] and other < name
                ):
                    canonical[name] = canonical[other]  # 中式烹饪 / 中餐烹饪
                    break
        ambiguous: dict[str, set[str]] = {}
        for name in ordered:
            if len(name) > 3 or canonical[name] != name:
                continue
            longer = {canonical[o] for o in ordered if len(o) > len(name) and o.startswith(name)}
            if len(longer) == 1:
                canonical[name] = longer.pop()  # 旅游 -> 旅游服务与管理
                continue
            if len(longer) > 1:
                ambiguous[name] = longer
            inside = {canonical[o] for o in ordered if len(o) > len(name) and name in o[1:]}
            if len(name) == 2 and not longer and len(inside) == 1:
                canonical[name] = inside.pop()  # 染整 -> 纺织染整技术
                continue
            if len(name) == 2 and not longer:
                spread = {
                    canonical[o] for o in ordered
                    if len(o) > 2 and o[0] == name[0] and name[1] in o[1:]
                }
                if len(spread) == 1:
                    canonical[name] = spread.pop()  # 电商 -> 电子商务
        for mention in mentions:
            name = normalise(mention.text)
            target = canonical[name]
            if name in ambiguous:
                # 动漫 of 动漫游戏 or of 动漫游戏与影视制作: the one named nearest to it
                near = [
                    (abs(m.passage - mention.passage), canonical[normalise(m.text)])
                    for m in mentions if canonical[normalise(m.text)] in ambiguous[name]
                ]
                if near and min(near)[0] <= 3:
                    target = min(near)[1]
            self.assign(mention, "Major", "Major/" + target)

    def cluster_experts(self, mentions: list[Mention]) -> None:
        brands = [k.split("/", 1)[1] for k, c in self.clusters.items() if c.cls == "Enterprise"]
        for mention in mentions:
            name = normalise(mention.text)
            if any(b.startswith(name) or name.startswith(b) for b in brands if len(b) >= 2):
                continue  # 柯瑞高级工程师: the company's name, not a person's
            self.assign(mention, "Expert", "Expert/" + name)
            if mention.alias:
                self.clusters["Expert/" + name].surfaces[mention.alias.strip()] += 1

    # -- the school a report speaks for -----------------------------------------------------------

    def home_schools(self) -> list[str]:
        counts = Counter(
            self.keys[id(m)] for m in self.extraction.mentions if m.label == "School" and id(m) in self.keys
        )
        if self.info.school:
            division, core = self.school_core(self.info.school)
            for key in counts:
                if key.endswith(core):
                    return [key]
        own = self.within or ""
        home = []
        top = max(counts.values(), default=0)
        for key, count in counts.most_common():
            if count < 0.4 * top:
                break
            code = key.split("/", 1)[1].split(":", 1)[0] if ":" in key else ""
            in_district = code == own or bool(code) and bool(own) and _compatible(code, own)
            if count >= 3 and (in_district or not code):
                home.append(key)
        return home

    def resolve_reference(self, mention: Mention, home: list[str]) -> str | None:
        if len(home) == 1:
            return home[0]
        if not home:
            return None
        # Several schools: the one last named in the same paragraph or case box.
        passage = self.passages[mention.passage]
        for index in range(mention.passage, -1, -1):
            other = self.passages[index]
            if other.paragraph != passage.paragraph and not (
                passage.in_case_box and other.in_case_box and other.section == passage.section
            ):
                break
            named = [
                m for m in self.extraction.mentions
                if m.passage == index and m.label == "School" and (index < mention.passage or m.end <= mention.start)
                and self.keys.get(id(m)) in home
            ]
            if named:
                return self.keys[id(named[-1])]
        return None


def _subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(c in characters for c in short)


def _same_school(core: str, other: str) -> bool:
    if core == other:
        return True
    a, b = _VOCATIONAL.sub("职业学校", core), _VOCATIONAL.sub("职业学校", other)
    return a == b and not re.search("第", a)


def _compatible(code: str, other: str) -> bool:
    """Two region codes that may denote the same place (和田 and 和田县; none and any).

    A province is never "the same place" as one of its counties: 北京市职业高中 is not
    温江区第二职业中学.
    """
    if not code or not other or code == other:
        return True
    chain = {d.code for d in regions.ancestors(code) if d.level != "province"}
    other_chain = {d.code for d in regions.ancestors(other) if d.level != "province"}
    return other in chain or code in other_chain


Triple = tuple[str, str, str]


def resolve(extractions: Sequence[Extraction]) -> KnowledgeGraph:
    """One knowledge graph from every report's extraction."""
    clusters: dict[str, _Cluster] = {}
    relations: dict[Triple, list[Evidence]] = defaultdict(list)
    reports = []
    for extraction in extractions:
        report_clusters, report_relations, report = _resolve_report(extraction)
        for key, cluster in report_clusters.items():
            merged = clusters.setdefault(key, _Cluster(cluster.cls, key, division=cluster.division))
            merged.surfaces.update(cluster.surfaces)
            merged.reports |= cluster.reports
        for triple, evidence in report_relations.items():
            relations[triple].extend(evidence)
        reports.append(report)
    # cooperates_with is symmetric: one direction only, the first in sorted order
    final: dict[Triple, list[Evidence]] = {}
    for (s, p, o), evidence in sorted(relations.items()):
        if s not in clusters or o not in clusters:
            continue
        if p == "cooperates_with" and (o, p, s) in final:
            final[(o, p, s)].extend(evidence)
            continue
        final[(s, p, o)] = list(evidence)
    return KnowledgeGraph(
        reports=tuple(reports),
        entities=tuple(_entity(c) for _, c in sorted(clusters.items())),
        relations=tuple(Relation(s, p, o, _one_per_sentence(ev)) for (s, p, o), ev in sorted(final.items())),
        region_links=tuple(sorted(_region_links(clusters))),
    )


def _resolve_report(
    extraction: Extraction,
) -> tuple[dict[str, _Cluster], dict[Triple, list[Evidence]], ResolvedReport]:
    """The entities one report names, the relations it states, and the report itself."""
    resolver = _ReportResolver(extraction)
    resolver.resolve_entities()
    home = resolver.home_schools()
    majors_of: dict[str, set[str]] = defaultdict(set)
    resolved: list[tuple[str, str, str, RelationMention]] = []

    def key_of(mention: Mention) -> str | None:
        if mention.label == "Ref":
            return resolver.resolve_reference(mention, home)
        return resolver.keys.get(id(mention))

    through_major = []
    for relation in extraction.relations:
        if relation.subject.label == "Major":
            through_major.append(relation)
            continue
        subject, obj = key_of(relation.subject), key_of(relation.object)
        if subject and obj:
            resolved.append((subject, relation.predicate, obj, relation))
            if relation.predicate == "offers_major":
                majors_of[obj].add(subject)
    # in a report about one school, every major it lists is that school's
    if len(home) == 1:
        for mention in extraction.mentions:
            key = resolver.keys.get(id(mention)) if mention.label == "Major" else None
            if key and not majors_of[key]:
                resolved.append((home[0], "offers_major", key, _sole(mention)))
                majors_of[key].add(home[0])
    # "电商专业与…合作": the school that teaches the major
    for relation in through_major:
        major_key = resolver.keys.get(id(relation.subject))
        owners = majors_of.get(major_key or "", set()) & set(home)
        obj = key_of(relation.object)
        if len(owners) == 1 and obj:
            resolved.append((owners.pop(), relation.predicate, obj, relation))
    # keep what the ontology allows; the report's own district is not "assisted"
    own_chain: set[str] = set()
    own = resolver.clusters.get(resolver.own_region_key or "")
    if own is not None and own.division is not None:
        own_chain = {"Region/" + d.code for d in (own.division, *regions.ancestors(own.division.code))}
    relations: dict[Triple, list[Evidence]] = defaultdict(list)
    for subject, predicate, obj, relation in resolved:
        domain, range_ = _DOMAINS[predicate]
        subject_cluster, object_cluster = resolver.clusters.get(subject), resolver.clusters.get(obj)
        if subject_cluster is None or object_cluster is None or subject == obj:
            continue
        if subject_cluster.cls not in domain or object_cluster.cls not in range_:
            continue
        if predicate == "assists" and obj in own_chain:
            continue
        relations[(subject, predicate, obj)].append(_evidence(extraction.passages, relation))
        # 美姑县职业技术学校 lies in 美姑县, so also in 四川省 when the report names 四川省
        if predicate == "located_in" and object_cluster.division is not None:
            for ancestor in regions.ancestors(object_cluster.division.code):
                key = "Region/" + ancestor.code
                if key in resolver.clusters and key not in own_chain and resolver.clusters[key].surfaces:
                    relations[(subject, predicate, key)].append(
                        _evidence(extraction.passages, relation, "located-in-by-hierarchy")
                    )
    # entities: regions only where the report ties them to something
    tied = {o for _, p, o in relations if p != "located_in"}
    clusters = {
        key: cluster
        for key, cluster in resolver.clusters.items()
        if +cluster.surfaces
        and (
            cluster.cls != "Region"
            or key == resolver.own_region_key
            or key in tied
            or _standalone(resolver, key)
        )
    }
    report = ResolvedReport(
        info=extraction.info, file_name=extraction.info.report, region_key=resolver.own_region_key
    )
    return clusters, dict(relations), report


def _one_per_sentence(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """One piece of evidence per sentence (the first rule that found it, by name)."""
    by_sentence: dict[tuple[str, int, int], Evidence] = {}
    for item in sorted(set(evidence), key=lambda e: (e.report, e.start, e.end, e.rule)):
        by_sentence.setdefault((item.report, item.start, item.end), item)
    return tuple(by_sentence.values())


def _sole(mention: Mention) -> RelationMention:
    return RelationMention("offers_major", mention, mention, "offers-major-sole-school")


def _standalone(resolver: _ReportResolver, key: str) -> bool:
    """A region named on its own, or at the head of a school's name, not inside a company's
    name or in the middle of a name (广州 of 广州某公司, 海港 of 宁波海港职业技术学院)."""
    orgs = [m for m in resolver.extraction.mentions if m.label in ("School", "Enterprise")]
    places = [m for m in resolver.extraction.mentions if m.label == "Region"]
    for mention in places:
        if resolver.keys.get(id(mention)) != key:
            continue
        inside = [o for o in orgs if o.passage == mention.passage and o.start <= mention.start and mention.end <= o.end]
        if not inside:
            return True
        for org in inside:
            if org.label != "School":
                continue
            # the head of the name: the place starts it, or follows a place that does
            reach, above = org.start, None
            for place in sorted((p for p in places if p.passage == org.passage and org.start <= p.start < org.end),
                                key=lambda p: (p.start, -p.end)):
                if place.start > reach + 1 or place.start == reach + 1 and org_text(resolver, org, reach) not in "州市县区旗盟":
                    break
                code = resolver.keys.get(id(place), "").split("/", 1)[-1]
                related = {d.code for d in _ancestors(code)} | {d.code for d in _ancestors(above or "")}
                if above and code and above != code and above not in related and code not in related:
                    break  # 宁波|海港: 海港区 is not in 宁波, so it is part of the name
                if place is mention:
                    return True
                reach, above = max(reach, place.end), code or above
    return False


def org_text(resolver: _ReportResolver, org: Mention, position: int) -> str:
    """The character of the passage at `position` (within the organisation's name)."""
    return resolver.passages[org.passage].text[position : position + 1]


def _ancestors(code: str) -> tuple[regions.Division, ...]:
    try:
        return regions.ancestors(code)
    except KeyError:
        return ()


def _evidence(passages: Sequence[Passage], relation: RelationMention, rule: str | None = None) -> Evidence:
    passage = passages[relation.object.passage if relation.subject.text == "" else relation.subject.passage]
    return Evidence(
        report=passage.report, text=passage.text, start=passage.start, end=passage.end,
        rule=rule or relation.rule,
    )


def _entity(cluster: _Cluster) -> Entity:
    surfaces = [s for s, n in cluster.surfaces.items() if n > 0 or s]
    if cluster.cls == "Region" and cluster.division is not None:
        label = cluster.division.name  # the official name; the report's forms are aliases
        aliases = set(surfaces)
    elif cluster.cls in ("Expert", "Major"):
        # the bare name of a person; the canonical name of a programme (学前教育, not
        # 学前教育与管理); the other forms are aliases
        label = cluster.key.split("/", 1)[1]
        aliases = set(surfaces)
    else:
        # the fullest form the reports use (longest; most frequent on ties)
        label = max(surfaces, key=lambda s: (len(s), cluster.surfaces[s], s))
        aliases = set(surfaces)
    aliases.discard(label)
    return Entity(
        key=cluster.key,
        cls=cluster.cls,
        label=label,
        aliases=tuple(sorted(aliases)),
        reports=tuple(sorted(cluster.reports)),
        division_code=cluster.division.code if cluster.division else None,
        division_level=cluster.division.level if cluster.division else None,
    )


def _region_links(clusters: dict[str, _Cluster]) -> Iterable[tuple[str, str]]:
    """Each region to the nearest region above it that the graph also holds."""
    present = {c.division.code: k for k, c in clusters.items() if c.cls == "Region" and c.division}
    for code, key in present.items():
        for ancestor in regions.ancestors(code):
            if ancestor.code in present:
                yield key, present[ancestor.code]
                break


def stable_id(key: str) -> str:
    """12 hex digits that name an entity the same on every build and machine."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
