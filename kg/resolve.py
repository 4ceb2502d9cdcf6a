"""Stage 5: turn mentions into entities, one per real-world thing, within and across reports.

Surface forms of one thing differ by a place prefix (某某区第二职业中学 / 第二职业中学), by a short
form (某某职专, 某某一职, 电商 for 电子商务), by a title (某某教授), by a legal form (某某精工公司 /
某某精工有限公司) or by full- and half-width characters; declared short names already point to
their full name (`Mention.refers_to`). Each class has its own key; mentions with the same key are
one entity, whose IRI seed is the key, so that reports built apart name it alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.extract.names import leading_places
from kg.extract.topics import name_of
from kg.lexicon import regions
from kg.lexicon.majors import catalogue, short_forms
from kg.model import (
    Entity,
    Evidence,
    Extraction,
    IndicatorValue,
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
_LEGAL_FORM = re.compile(
    "(?:集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团|公司|4S店)$"
)
_SCHOOL_TYPE = re.compile(
    "(?:中等职业技术学校|中等职业学校|职业中等专业学校|中等专业学校|职业技术学校|职业学校|职业中专|职业高级中学|"
    "职业中学|职业高中|职校|职专|中专|职高|职中)$"
)
_NUMBERED_SCHOOL = re.compile("(.{2,3}?)([一二三四五六七八九十])(职高|职专|职中|职|中)")
_SHORT_SCHOOL = re.compile("(职校|职专|中专|职高|职中|卫校|技校|职院|技院|职教中心|工校|农校)$")


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
        self.within = self.info.region_code
        self.key_by_name: dict[tuple[str, str], str] = {}  # (class, normalised name) -> key
        self.clusters: dict[str, _Cluster] = {}
        self.own_region_key: str | None = None
        self.standalone: set[str] = set()  # names of places that stand on their own somewhere

    def key(self, mention: Mention) -> str | None:
        return self.key_by_name.get((mention.label, normalise(name_of(mention))))

    def add(self, cls: str, key: str, surface: str, report: str, division: regions.Division | None = None) -> None:
        cluster = self.clusters.setdefault(key, _Cluster(cls, key, division=division))
        cluster.surfaces[normalise(surface)] += 1
        cluster.reports.add(report)

    # -- clustering -------------------------------------------------------------------------------

    def resolve(self) -> None:
        by_class: dict[str, list[Mention]] = defaultdict(list)
        for mention in self.extraction.mentions:
            if mention.label != "Ref":
                by_class[mention.label].append(mention)
        self.regions(by_class["Region"])
        self.schools(by_class["School"])
        self.enterprises(by_class["Enterprise"])
        self.majors(by_class["Major"])
        self.experts(by_class["Expert"])

    def _name(self, cls: str, name: str, key: str, surfaces: Iterable[str], report: str,
              division: regions.Division | None = None) -> None:
        self.key_by_name[(cls, normalise(name))] = key
        for surface in surfaces:
            self.add(cls, key, surface, report, division)

    def regions(self, mentions: list[Mention]) -> None:
        if self.info.region:
            division = regions.lookup(normalise(self.info.region), within=self.within)
            key = "Region/" + (division.code if division else normalise(self.info.region))
            self.own_region_key = key
            self._name("Region", self.info.region, key, [self.info.region], self.info.report, division)
        for mention in mentions:
            text = normalise(mention.text)
            if not mention.inside:
                self.standalone.add(text)
            if mention.rule == "region-township":
                surfaces = [text, normalise(mention.alias)] if mention.alias else [text]
                self._name("Region", text, "Region/" + text, surfaces, mention.report)
                continue
            division = regions.lookup(text, within=self.within)
            if division is None:
                continue
            self._name("Region", text, "Region/" + division.code, [text], mention.report, division)

    def _place_and_core(self, name: str) -> tuple[str, str]:
        """The division code of the places a name starts with (or "") and the rest of it."""
        name = normalise(name)
        places = leading_places(name)
        code = ""
        if places:
            division = regions.lookup(name[:places], within=self.within)
            code = division.code if division else ""
        return code, re.sub("^[区市县]", "", name[places:])

    def schools(self, mentions: list[Mention]) -> None:
        names = sorted({normalise(name_of(m)) for m in mentions}, key=lambda n: (-len(n), n))
        full = [n for n in names if not (_SHORT_SCHOOL.search(n) and len(n) <= 8 or _NUMBERED_SCHOOL.fullmatch(n))]
        cores: list[tuple[str, str, str]] = []  # (code, core, key)
        for name in full:
            code, core = self._place_and_core(name)
            key = None
            if not code and _SCHOOL_TYPE.fullmatch(core):
                core = name  # a type alone says nothing of which school it is
            for other_code, other_core, other_key in cores:
                if _same_school(core, other_core) and _compatible(code, other_code):
                    key = other_key
                    break
            if key is None:
                key = "School/" + (code + ":" if code else "") + core
                cores.append((code, core, key))
            self.key_by_name[("School", name)] = key
        for name in names:
            if ("School", name) in self.key_by_name:
                continue
            self.key_by_name[("School", name)] = self._short_school(name, cores) or "School/" + name
        for mention in mentions:
            key = self.key_by_name[("School", normalise(name_of(mention)))]
            self.add("School", key, mention.text, mention.report)

    def _short_school(self, short: str, cores: list[tuple[str, str, str]]) -> str | None:
        """The full name a short form abbreviates: its own part starts the full name's (after
        places), or is the place the full name starts with (某某职教中心), and the rest of it
        comes from the full name in order; a place and an ordinal (某某一职) stand for the
        school numbered so in that place."""
        numbered = _NUMBERED_SCHOOL.fullmatch(short)
        if numbered:
            place, digit, kind = numbered.groups()
            codes = {d.code for d in regions.candidates(place)}
            options = {
                key for code, core, key in cores
                if core.startswith("第" + digit) and ("职" in core if kind.startswith("职") else "中" in core)
                and (not code or code in codes or place in key)
            }
            return options.pop() if len(options) == 1 else None
        match = _SHORT_SCHOOL.search(short)
        own = short[: match.start()] if match else short
        code, rest = self._place_and_core(own)
        candidates = []
        for other_code, core, key in cores:
            name = key.split("/", 1)[1]
            if (
                (rest and core[:1] == rest[:1] and _subsequence(rest, core) and _compatible(code, other_code))
                or (
                    not rest and code and other_code
                    and (other_code == code or code in {d.code for d in _ancestors(other_code)})
                )
                or (rest and len(rest) >= 2 and rest in name)
            ):
                candidates.append(key)
        unique = sorted(set(candidates))
        return unique[0] if len(unique) == 1 else None

    def enterprises(self, mentions: list[Mention]) -> None:
        names = sorted({normalise(name_of(m)) for m in mentions}, key=lambda n: (-len(n), n))
        cores: list[tuple[str, str, str]] = []  # (division code, core, key)
        for name in names:
            code, rest = self._place_and_core(name)
            core = _LEGAL_FORM.sub("", rest) or rest
            # companies of two places are two companies (北京某某电子, 天津某某集团), even where
            # one name is a beginning of the other; a name without a place may be either
            here = [(c, k) for other, c, k in cores if _compatible(code, other)]
            key = next((k for c, k in here if c == core), None)
            if key is None:
                longer = {k for c, k in here if len(core) >= 2 and c.startswith(core)}
                if not longer and len(core) >= 3:
                    longer = {k for c, k in here if c[:2] == core[:2] and _subsequence(core, c)}
                key = longer.pop() if len(longer) == 1 else None
            if key is None:
                key = "Enterprise/" + core
                if any(k == key for _, _, k in cores):
                    key += "@" + code  # the same trade name in another place
                cores.append((code, core, key))
            self.key_by_name[("Enterprise", name)] = key
        for mention in mentions:
            key = self.key_by_name[("Enterprise", normalise(name_of(mention)))]
            self.add("Enterprise", key, mention.text, mention.report)

    def majors(self, mentions: list[Mention]) -> None:
        """One programme per name of the catalogue; a short form (汽修, 电商, 旅游) goes to the
        full name the report also uses, and a short word that stands for none is no programme."""
        known, usual = catalogue(), short_forms()
        counts = Counter(normalise(name_of(m)) for m in mentions)
        canonical: dict[str, str | None] = {name: name for name in counts}
        ordered = sorted(counts, key=lambda n: (-len(n), n))
        for name in ordered:
            if name in known and name not in usual:
                continue
            if name in usual:
                named = [full for full in usual[name] if full in counts and full != name]
                if named or name not in known:
                    canonical[name] = named[0] if named else usual[name][0]
                continue
            # 学前教育与管理 once beside 学前教育: one programme with a longer name
            match = re.match("(.{2,})[与及](管理|应用|服务)$", name)
            if match and match.group(1) in counts:
                canonical[name] = match.group(1)
                continue
            longer = {o for o in ordered if len(o) > len(name) and (o.startswith(name) or name in o)}
            if len(name) <= 5 and len(longer) == 1:
                canonical[name] = longer.pop()  # 旅游 -> 旅游服务与管理, 烹饪 -> 中餐烹饪
                continue
            if len(name) == 2 and not longer:
                spread = {o for o in ordered if len(o) > 2 and o[0] == name[0] and _subsequence(name, o)}
                if len(spread) == 1:
                    canonical[name] = spread.pop()  # 电商 -> 电子商务
                    continue
            if len(name) <= 3:
                canonical[name] = None  # 订单, 合计: a word before 专业 that names no programme
        for name, target in canonical.items():
            while target is not None and canonical.get(target, target) != target:
                target = canonical[target]
            canonical[name] = target
        for mention in mentions:
            name = normalise(name_of(mention))
            target = canonical[name]
            if target is None:
                continue
            key = "Major/" + target
            self.key_by_name[("Major", name)] = key
            self.add("Major", key, mention.text, mention.report)

    def experts(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            name = normalise(mention.text)
            key = "Expert/" + name
            self.key_by_name[("Expert", name)] = key
            self.add("Expert", key, name, mention.report)
            if mention.alias:
                self.clusters[key].surfaces[normalise(mention.alias)] += 1


def _subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(c in characters for c in short)


def _same_school(core: str, other: str) -> bool:
    if core == other:
        return True
    a, b = _SCHOOL_TYPE.sub("职业学校", core), _SCHOOL_TYPE.sub("职业学校", other)
    return a == b and "第" not in a


def _compatible(code: str, other: str) -> bool:
    """Two division codes that may denote the same place (and none with any).

    A province is never "the same place" as one of its counties: 某省职业高中 is not 某区职业高中.
    """
    if not code or not other or code == other:
        return True
    chain = {d.code for d in _ancestors(code) if d.level != "province"}
    other_chain = {d.code for d in _ancestors(other) if d.level != "province"}
    return other in chain or code in other_chain


def _ancestors(code: str) -> tuple[regions.Division, ...]:
    try:
        return regions.ancestors(code)
    except KeyError:
        return ()


Triple = tuple[str, str, str]


def resolve(extractions: Sequence[Extraction]) -> KnowledgeGraph:
    """One knowledge graph from every report's extraction."""
    clusters: dict[str, _Cluster] = {}
    relations: dict[Triple, list[Evidence]] = defaultdict(list)
    reports = []
    observations: list[IndicatorValue] = []
    for extraction in extractions:
        report_clusters, report_relations, report, report_observations = _resolve_report(extraction)
        observations += report_observations
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
        observations=tuple(
            sorted(
                (o for o in observations if o.organisation in clusters),
                key=lambda o: (o.organisation, o.year, o.indicator, o.evidence.report, o.evidence.start),
            )
        ),
    )


def _resolve_report(
    extraction: Extraction,
) -> tuple[dict[str, _Cluster], dict[Triple, list[Evidence]], ResolvedReport, list[IndicatorValue]]:
    """The entities one report names, the relations it states, and the report itself."""
    resolver = _ReportResolver(extraction)
    resolver.resolve()
    own_school = (
        resolver.key_by_name.get(("School", normalise(extraction.info.school))) if extraction.info.school else None
    )
    own_chain: set[str] = set()
    own = resolver.clusters.get(resolver.own_region_key or "")
    if own is not None and own.division is not None:
        own_chain = {"Region/" + d.code for d in (own.division, *regions.ancestors(own.division.code))}
    relations: dict[Triple, list[Evidence]] = defaultdict(list)

    def keep(subject: str | None, predicate: str, obj: str | None, evidence: Evidence) -> None:
        if not subject or not obj or subject == obj:
            return
        s, o = resolver.clusters.get(subject), resolver.clusters.get(obj)
        domain, range_ = _DOMAINS[predicate]
        if s is None or o is None or s.cls not in domain or o.cls not in range_:
            return
        if predicate == "assists" and obj in own_chain:
            return  # a report's own district is not "assisted" by its schools
        relations[(subject, predicate, obj)].append(evidence)

    by_major = []
    for relation in extraction.relations:
        if relation.subject.label == "Major":
            by_major.append(relation)
            continue
        keep(resolver.key(relation.subject), relation.predicate, resolver.key(relation.object),
             _evidence(extraction.passages, relation))
    # 某某专业与某某公司合作: the school that offers the major, where one does
    owners: dict[str, set[str]] = defaultdict(set)
    for s, p, o in relations:
        if p == "offers_major":
            owners[o].add(s)
    for relation in by_major:
        major = resolver.key(relation.subject)
        schools = owners.get(major or "", set()) or ({own_school} if own_school else set())
        if len(schools) == 1:
            keep(next(iter(schools)), relation.predicate, resolver.key(relation.object),
                 _evidence(extraction.passages, relation))
    # in a report about one school, every major it names is that school's, unless the report
    # ties the major to another school only
    if own_school:
        offered = {o for s, p, o in relations if p == "offers_major"}
        for mention in extraction.mentions:
            if mention.label != "Major":
                continue
            key = resolver.key(mention)
            if key and key not in offered:
                evidence = _evidence_of(extraction.passages, mention, "offers-major-own-school")
                keep(own_school, "offers_major", key, evidence)
                offered.add(key)
    # an expert does not help the organisation he works for: where that is what the sentences
    # give, 该校 or a name that was not recognised put his own school for the one he went to
    employers = {(s, o) for s, p, o in relations if p == "affiliated_with"}
    for triple in [t for t in relations if t[1] == "assists" and (t[0], t[2]) in employers]:
        del relations[triple]
    observations = _observations(extraction, resolver)
    # regions only where the report ties them to something
    tied = {o for _, _, o in relations} | {s for s, _, _ in relations}
    standalone = {resolver.key_by_name.get(("Region", name)) for name in resolver.standalone}
    clusters = {
        key: cluster
        for key, cluster in resolver.clusters.items()
        if +cluster.surfaces
        and (cluster.cls != "Region" or key == resolver.own_region_key or key in tied or key in standalone)
    }
    report = ResolvedReport(
        info=extraction.info, file_name=extraction.info.report, region_key=resolver.own_region_key
    )
    return clusters, dict(relations), report, observations


def _observations(extraction: Extraction, resolver: _ReportResolver) -> list[IndicatorValue]:
    """The report's indicator values on the entities they are of: a school as its other
    mentions resolve, a region only if it is the one the report covers. Where the report gives
    one entity two different values of an indicator, neither is kept (which one holds for the
    whole is unclear); the same value stated twice is one observation, with its first sentence."""
    by_key: dict[tuple[str, str], list[IndicatorValue]] = defaultdict(list)
    for observation in extraction.observations:
        if observation.organisation_class == "Region":
            key = resolver.key_by_name.get(("Region", normalise(observation.organisation)))
            if key is None or key != resolver.own_region_key:
                continue
        else:
            key = resolver.key_by_name.get(("School", normalise(observation.organisation)))
        if key is None or key not in resolver.clusters:
            continue
        passage = extraction.passages[observation.passage]
        evidence = Evidence(report=passage.report, text=passage.text, start=passage.start, end=passage.end,
                            rule=observation.rule)
        by_key[(key, observation.indicator)].append(IndicatorValue(
            organisation=key, year=observation.year, indicator=observation.indicator,
            value=observation.value, unit=observation.unit, evidence=evidence,
        ))
    kept = []
    for values in by_key.values():
        if len({(v.value, v.unit) for v in values}) == 1:
            kept.append(values[0])
    return kept


def _one_per_sentence(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """One piece of evidence per sentence (the first rule that found it, by name)."""
    by_sentence: dict[tuple[str, int, int], Evidence] = {}
    for item in sorted(set(evidence), key=lambda e: (e.report, e.start, e.end, e.rule)):
        by_sentence.setdefault((item.report, item.start, item.end), item)
    return tuple(by_sentence.values())


def _evidence(passages: Sequence[Passage], relation: RelationMention) -> Evidence:
    anchor = relation.object if relation.subject.rule == "implicit-subject" else relation.subject
    return _evidence_of(passages, anchor, relation.rule)


def _evidence_of(passages: Sequence[Passage], mention: Mention, rule: str) -> Evidence:
    passage = passages[mention.passage]
    return Evidence(report=passage.report, text=passage.text, start=passage.start, end=passage.end, rule=rule)


def _entity(cluster: _Cluster) -> Entity:
    surfaces = [s for s, n in cluster.surfaces.items() if n > 0 and s]
    if cluster.cls == "Region" and cluster.division is not None:
        label = cluster.division.name  # the official name; the report's forms are aliases
    elif cluster.cls in ("Expert", "Major"):
        label = cluster.key.split("/", 1)[1]  # the bare name; the canonical name of a programme
    else:
        label = max(surfaces, key=lambda s: (len(s), cluster.surfaces[s], s))  # the fullest form
    aliases = set(surfaces) - {label}
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
