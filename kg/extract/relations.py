"""Relations stated by a passage, read from the cues of the genre.

A relation joins two mentions of one sentence. Which mention is the subject is decided by word
order (the school or person named first acts), by hosting cues that reverse it (A 派学生到 B 访学:
B helps A), and, when a clause names no actor at all, by an implicit reference to the school the
report speaks for, which the resolver settles later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from kg.extract.rules import RULES
from kg.model import Mention, Passage, RelationMention

_RELATIONS = RULES["relations"]
_COOP = re.compile(_RELATIONS["cooperates_with"]["cue"])
_COOP_MULTI = re.compile(_RELATIONS["cooperates_with"]["multi_party"])
# Cues strong enough to imply "our school" when a clause names no school (企业实践, 签订协议).
_COOP_STRONG = re.compile("签订|签约|签署|协议|实训基地|实习基地|订单|顶岗实习|跟岗实习|企业实践|学徒制|产业学院|冠名班|校企合作")
_ASSIST = re.compile(_RELATIONS["assists"]["cue"])
_HOSTING = re.compile(_RELATIONS["assists"]["hosting"])
_TRAIN = re.compile(_RELATIONS["trains"]["cue"])
_AFFILIATION_GAP_STOP = re.compile(_RELATIONS["affiliated_with"]["gap_stop"])
_LOCATED = re.compile(_RELATIONS["located_in"]["cue"])
_LISTING = re.compile(_RELATIONS["located_in"]["listing"])

_ORG = ("School", "Enterprise")
_ACTOR = ("School", "Ref")


class RelationFinder:
    """spaCy component: `doc._.kg_relations`, the relations the passage states."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_relations = self.match(doc)
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def match(self, doc: Doc) -> list[RelationMention]:
        passage: Passage = doc._.kg_passage
        mentions: list[Mention] = doc._.kg_mentions
        found: list[RelationMention] = []
        found += _located_by_name(mentions, doc._.kg_info.region or "")
        if passage.kind == "table_row":
            found += _table_row(passage, mentions)
        else:
            for start, end in _spans(passage.text, "；;"):
                clause = [m for m in mentions if start <= m.start and m.end <= end]
                text = passage.text[start:end]
                found += _cooperation(passage, clause, text, start)
                found += _assistance(passage, clause, start, end)
                found += _training(passage, clause, text, start)
                found += _offers(clause)
                found += _located_by_cue(passage, clause, start, end)
            found += _affiliation(passage, mentions)
        return _unique(found)


def _spans(text: str, separators: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, char in enumerate(text):
        if char in separators:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _implicit(passage: Passage, at: int) -> Mention:
    """The school a clause speaks for without naming it ("五位老师奔赴…企业实践")."""
    return Mention(passage.report, passage.index, "Ref", "", at, at, "implicit-subject")


def _inside(inner: Mention, outer: Mention) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and inner is not outer


def _top_level(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions not inside an organisation's name (the 四川省 of 四川省美姑县职业技术学校)."""
    orgs = [m for m in mentions if m.label in _ORG]
    return [m for m in mentions if not any(_inside(m, o) for o in orgs)]


def _cue_near(text: str, offset: int, mention: Mention, cue: re.Pattern[str]) -> bool:
    """The cue stands in the comma segment of the mention, or in the next one ("…，签订了协议")."""
    segments = _spans(text, "，,")
    for index, (s, e) in enumerate(segments):
        if s + offset <= mention.start < e + offset:
            near = text[s:e]
            if index + 1 < len(segments):
                following = text[segments[index + 1][0] : segments[index + 1][1]]
                if re.match("(并|还|又|共同|双方)?(签订|签署|共建|建立|开展|达成|合作|联合)", following):
                    near += following  # "…进行对口帮扶，签订了《…合作…协议书》"
            return bool(cue.search(near))
    return False


def _cooperation(passage: Passage, clause: list[Mention], text: str, offset: int) -> list[RelationMention]:
    if not _COOP.search(text):
        return []
    clause = _top_level(clause)
    objects = [m for m in clause if m.label in _ORG and _cue_near(text, offset, m, _COOP)]
    if not objects:
        return []
    actors = [m for m in clause if m.label in ("School", "Ref", "Major") and m.start < objects[0].start + 1]
    subject = actors[0] if actors and actors[0].label in ("School", "Ref", "Major") else None
    if subject is None:
        first_school = next((m for m in objects if m.label == "School"), None)
        if first_school is not None and _COOP_MULTI.search(text):
            subject = first_school
        elif _COOP_STRONG.search(text) and all(m.label == "Enterprise" for m in objects):
            subject = _implicit(passage, offset)
        else:
            return []
    rule = _RELATIONS["cooperates_with"]["id"]
    found = []
    # "A与B结对，C与D结对": an organisation followed by 与/同 is the actor of what follows it
    actors_with = {
        id(m): m for m in clause
        if m.label in ("School", "Ref", "Major")
        and re.match("(还|又|也|先后|分别|继|已)?(与|同|跟)", text[m.end - offset : m.end - offset + 3])
    }
    def leads_its_own_pair(m: Mention) -> bool:
        return id(m) in actors_with and any(
            p.start > m.end and not re.search("[，,；;]", text[m.end - offset : p.start - offset])
            for p in objects
        )

    for o in objects:
        if o is subject or leads_its_own_pair(o):
            continue
        own = [
            m for m in actors_with.values()
            if m.end <= o.start and not re.search("[，,；;]", text[m.end - offset : o.start - offset])
        ]
        found.append(RelationMention("cooperates_with", own[-1] if own else subject, o, rule))
    if _COOP_MULTI.search(text):
        parties = [m for m in objects if m is not subject]
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                if "School" in (a.label, b.label):
                    s, o = (a, b) if a.label == "School" else (b, a)
                    found.append(RelationMention("cooperates_with", s, o, rule + "-multi-party"))
    return found


def _assistance(passage: Passage, clause: list[Mention], start: int, end: int) -> list[RelationMention]:
    found: list[RelationMention] = []
    rule = _RELATIONS["assists"]["id"]
    previous_actor: list[Mention] = []
    for s, e in _spans(passage.text[start:end], "，,：:"):
        s, e = s + start, e + start
        segment_text = passage.text[s:e]
        segment = _top_level([m for m in clause if s <= m.start and m.end <= e])
        experts = [m for m in segment if m.label == "Expert"]
        actors = [m for m in segment if m.label in _ACTOR]
        if _ASSIST.search(segment_text):
            cue = _ASSIST.search(segment_text).start() + s  # type: ignore[union-attr]
            targets = [m for m in segment if m.label in ("Region", "School")]
            hosting = _HOSTING.search(segment_text)
            moves = re.search("到|来|赴", segment_text)
            if hosting and moves and len(actors) >= 2 and actors[0].label == "School" and actors[-1].start > moves.start() + s:
                # "理县职业中学派出学生到温江职业学校访学": the host (named second) assists the sender.
                host, guest = actors[-1], actors[0]
                found.append(RelationMention("assists", host, guest, rule + "-hosting"))
            elif hosting and actors and actors[-1].label == "Ref" and not experts:
                # "四川省理县张老师来我校挂职学习": our school hosts, the place is helped.
                host = actors[-1]
                for target in targets:
                    if target is not host and target.start < host.start:
                        found.append(RelationMention("assists", host, target, rule + "-hosting"))
            else:
                subjects = [m for m in experts if m.start < cue] or [
                    m for m in actors if m.start < cue
                ][:1]
                if not subjects:
                    subjects = previous_actor or [_implicit(passage, s)]
                for subject in subjects:
                    for target in targets:
                        if target is subject or target.start < subject.start and target.label == "School":
                            continue
                        found.append(RelationMention("assists", subject, target, rule))
        if experts:
            previous_actor = experts[-1:]
        elif actors:
            previous_actor = actors[:1]
    return found


def _training(passage: Passage, clause: list[Mention], text: str, offset: int) -> list[RelationMention]:
    if not _TRAIN.search(text):
        return []
    experts = [m for m in clause if m.label == "Expert"]
    if not experts:
        return []
    affiliations = {id(a) for e in experts for a in _affiliations_of(passage, clause, e)}
    targets = [
        m for m in _top_level(clause) if m.label in _ACTOR and id(m) not in affiliations
    ]
    if not targets:
        targets = [_implicit(passage, offset)]
    rule = _RELATIONS["trains"]["id"]
    schools = [t for t in targets if t.label == "School"] or targets[:1]
    found = [RelationMention("trains", e, t, rule) for e in experts for t in schools]
    # "专家为黔南、凉山两地…教师开展培训": training another region's teachers is assistance
    places = [m for m in _top_level(clause) if m.label == "Region" and m.start > experts[0].end]
    if places and not [t for t in targets if t.label == "School"]:
        found += [
            RelationMention("assists", e, p, _RELATIONS["assists"]["id"] + "-training")
            for e in experts for p in places
        ]
    return found


def _offers(clause: list[Mention]) -> list[RelationMention]:
    found = []
    rule = "offers-major-same-clause"
    for major in (m for m in clause if m.label == "Major"):
        before = [m for m in clause if m.label in _ACTOR and m.end <= major.start]
        if before:
            found.append(RelationMention("offers_major", before[-1], major, rule))
    return found


def _affiliations_of(passage: Passage, mentions: Sequence[Mention], expert: Mention) -> list[Mention]:
    text = passage.text
    found = []
    orgs = [m for m in mentions if m.label in _ACTOR + ("Enterprise",) and m.end <= expert.start]
    if orgs:
        org = orgs[-1]
        gap = text[org.end : expert.start]
        if len(gap) <= 40 and not re.search("[，。；：,;:]", gap) and not _AFFILIATION_GAP_STOP.search(gap):
            found.append(org)
    source = text.rfind(_RELATIONS["affiliated_with"]["from"], 0, expert.start)
    if source >= 0 and not re.search("[，。；,;]", text[source : expert.start]):
        found += [m for m in orgs if m.start >= source and m not in found]
    return found


_SENT_STAFF = re.compile("(派出|选派|安排|委派|组织)[^，。；]{0,10}(教师|老师|带头人)$")


def _affiliation(passage: Passage, mentions: Sequence[Mention]) -> list[RelationMention]:
    rule = _RELATIONS["affiliated_with"]["id"]
    found = []
    for expert in (m for m in mentions if m.label == "Expert"):
        orgs = _affiliations_of(passage, mentions, expert)
        if not orgs and _SENT_STAFF.search(passage.text[max(0, expert.start - 16) : expert.start]):
            # "派出汽车专业教师方振宇": a teacher the school sends is the school's own
            orgs = [_implicit(passage, expert.start)]
        found += [RelationMention("affiliated_with", expert, org, rule) for org in orgs]
    return found


def _located_by_name(mentions: Sequence[Mention], own_region: str = "") -> list[RelationMention]:
    """温江区第一职业学校 lies in 温江区: the region a name starts with, or the report's own
    district wherever the name carries it (北汽某某房山某某4S店)."""
    found = []
    for org in (m for m in mentions if m.label in _ORG):
        # only the places the name starts with (宁波|海港职业技术学院: 海港 is part of the name)
        inside = sorted((m for m in mentions if m.label == "Region" and _inside(m, org)), key=lambda m: (m.start, -m.end))
        reach = org.start
        for region in inside:
            if region.start > reach:
                if own_region and region.text in own_region:
                    found.append(RelationMention("located_in", org, region, "located-in-by-name"))
                continue
            found.append(RelationMention("located_in", org, region, "located-in-by-name"))
            reach = max(reach, region.end)
    return found


def _located_by_cue(passage: Passage, clause: list[Mention], start: int, end: int) -> list[RelationMention]:
    found = []
    text = passage.text
    for cue in _LOCATED.finditer(text, start, end):
        top = _top_level(clause)
        places = [m for m in top if m.label == "Region" and cue.end() <= m.start <= cue.end() + 20]
        places = [p for p in places if not any(_inside(p, q) for q in places)]
        # "位于禅城区张槎街道": the last of places written together is where it is
        places = [p for p in places if not any(q.start == p.end for q in places)]
        if not places:
            continue
        after = [m for m in top if m.label in _ORG and m.start > places[-1].end]
        segment_start = max(text.rfind(c, start, cue.start()) for c in "，,：:") + 1
        before = [m for m in top if m.label in _ORG and segment_start <= m.start and m.end <= cue.start()]
        orgs = before or after[:1]
        for org in orgs:
            for place in places:
                found.append(RelationMention("located_in", org, place, _RELATIONS["located_in"]["id"]))
    return found


def _table_row(passage: Passage, mentions: Sequence[Mention]) -> list[RelationMention]:
    """A row ties its school to its majors and partners, and its major to its employers."""
    found = []
    schools = [m for m in mentions if m.label == "School" and m.rule.startswith("table-column")]
    majors = [m for m in mentions if m.label == "Major"]
    enterprises = [m for m in mentions if m.label in _ORG and m not in schools]
    for school in schools:
        found += [RelationMention("offers_major", school, m, "table-row") for m in majors]
        found += [RelationMention("cooperates_with", school, e, "table-row") for e in enterprises]
    if not schools:
        # an employer of a major's graduates works with the school that teaches the major
        for major in majors:
            found += [
                RelationMention("cooperates_with", major, e, "table-row-employer")
                for e in enterprises
            ]
    return found


def find_listing_relations(docs: Sequence[Doc]) -> list[list[RelationMention]]:
    """Schools listed in a paragraph that opens "温江区现有…" lie in that district."""
    extra: list[list[RelationMention]] = []
    opener: Mention | None = None
    paragraph = -1
    for doc in docs:
        passage: Passage = doc._.kg_passage
        mentions: list[Mention] = doc._.kg_mentions
        if passage.paragraph != paragraph:
            paragraph = passage.paragraph
            opener = None
            first = mentions[0] if mentions else None
            if (
                first is not None
                and first.label == "Region"
                and first.start == 0
                and _LISTING.match(passage.text)
                and re.match(r"现有|共有|拥有|有", passage.text[first.end :])
            ):
                opener = first
        found = []
        if opener is not None:
            for school in _top_level(mentions):
                if school.label == "School":
                    found.append(RelationMention("located_in", school, opener, "located-in-district-listing"))
        extra.append(found)
    return extra


def _unique(relations: list[RelationMention]) -> list[RelationMention]:
    seen, kept = set(), []
    for relation in relations:
        key = (relation.predicate, relation.subject.start, relation.subject.end, relation.subject.label,
               relation.object.start, relation.object.end, relation.object.label)
        if key not in seen and (relation.subject.start, relation.subject.end) != (
            relation.object.start, relation.object.end
        ):
            seen.add(key)
            kept.append(relation)
    return kept
