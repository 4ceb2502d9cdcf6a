"""Relations stated by a passage, read from the cues of the genre.

A sentence is read clause by clause (split at ， ；：). Its subject is the school (or person) a
clause opens with, carried on to the clauses after it, and otherwise the passage's topic: "与某某
公司签订协议" has the school it is about as its unnamed subject. Each relation has its own reading:

- cooperates_with: a cue of cooperation (签订, 共建, 订单, 实习, 3+2 …) between the subject and the
  organisations after 与 / 同 / 联合, or the enterprises of the clause;
- assists: the subject helps what stands after 帮扶 / 支援 / 到…支教, what it trains (为某校教师
  开展培训), where it trains (在某某镇开展培训) or whom it hosts; a pairing (A与B结对帮扶) is help
  from the side further east or higher in the hierarchy of places;
- trains: a person with a cue of teaching (授课, 讲座, 指导, 带徒, 担任兼职教师) and the school it
  names, or the topic;
- affiliated_with: an organisation written before a person's role and name (某某公司高级工程师某某),
  the one that sends a person (某校选派某某), or the one a person serves in (兼任某校副校长);
- offers_major: a school and the majors it opens (开设), or one written straight before a major;
- located_in: the places a name starts with, and 位于 / 坐落于.

Table rows tie their school (the row's topic) to the majors, partners and people in their cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from kg.cues import rules_of
from kg.extract.topics import name_of
from kg.lexicon import regions
from kg.model import Mention, Passage, RelationMention

_ORGANISATIONS = ("School", "Enterprise")
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")
_SENTENCE_PART = re.compile(r"[^；;]+[；;]?")


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    mentions: list[Mention]


class RelationReader:
    def __init__(self) -> None:
        cues = rules_of("relations")
        self.cues = cues
        self.coop = cues["cooperation-cue"].regex
        self.coop_strong = cues["cooperation-without-partner-marker"].regex
        self.partner_marker = cues["cooperation-partner-marker"].regex
        self.multi = cues["cooperation-multi-party"].regex
        self.assist = cues["assistance-cue"].regex
        self.received = cues["assistance-received"].regex
        self.pairing = cues["assistance-pairing"].regex
        self.sent = cues["assistance-sent-teachers"].regex
        self.train_others = cues["assistance-training-others"].regex
        self.in_place = cues["assistance-training-in-place"].regex
        self.hosting = cues["assistance-hosting"].regex
        self.students_from = cues["assistance-students-from"].regex
        self.visit = cues["assistance-visit"].regex
        self.train = cues["training-cue"].regex
        self.affiliation_gap = cues["affiliation-role-gap"].regex
        self.affiliation_serves = cues["affiliation-serves-in"].regex
        self.affiliation_sent = cues["affiliation-sent-by"].regex
        self.offers = cues["offers-cue"].regex
        self.located = cues["location-cue"].regex
        self.east = frozenset(cues["assistance-pairing"].get("helping_provinces", []))

    # -- parties ------------------------------------------------------------------------------------

    @staticmethod
    def expand(mentions: Sequence[Mention], labels: dict[str, str]) -> list[Mention]:
        """The parties of a passage: its mentions, each reference standing for what it means."""
        parties = []
        for mention in mentions:
            if mention.label != "Ref":
                parties.append(mention)
                continue
            for target in mention.refers_to:
                label = labels.get(target, "School")
                parties.append(replace(mention, label=label, refers_to=(target,)))
        return parties

    @staticmethod
    def implicit(passage: Passage, topic: str | None, at: int, labels: dict[str, str]) -> Mention | None:
        if not topic:
            return None
        return Mention(passage.report, passage.index, labels.get(topic, "School"), topic, at, at,
                       "implicit-subject", refers_to=(topic,))

    # -- reading ------------------------------------------------------------------------------------

    def read(
        self, passage: Passage, mentions: Sequence[Mention], topic: str | None, labels: dict[str, str]
    ) -> list[RelationMention]:
        parties = [m for m in self.expand(mentions, labels) if not m.inside or m.label == "Region"]
        found = list(self._located_by_name(parties))
        if passage.kind == "table_row":
            found += self._table_row(passage, parties, topic, labels)
            return _unique(found)
        if passage.kind not in ("text", "case"):
            return _unique(found)
        top = [m for m in parties if not m.inside]
        for part in _SENTENCE_PART.finditer(passage.text):
            clauses = [
                _Clause(part.start() + c.start(), part.start() + c.end(), c.group(),
                        [m for m in top if part.start() + c.start() <= m.start < part.start() + c.end()])
                for c in _CLAUSE.finditer(part.group())
            ]
            found += self._sentence(passage, clauses, topic, labels)
        found += self._affiliations(passage, top)
        return _unique(found)

    def _sentence(
        self, passage: Passage, clauses: list[_Clause], topic: str | None, labels: dict[str, str]
    ) -> list[RelationMention]:
        found: list[RelationMention] = []
        subjects: list[Mention] = []
        people: list[Mention] = []
        sentence_text = "".join(c.text for c in clauses)
        for index, clause in enumerate(clauses):
            opening = self._opening_actors(passage, clause)
            if opening:
                subjects = opening
            elif not subjects:
                implicit = self.implicit(passage, topic, clause.start, labels)
                subjects = [implicit] if implicit else []
            experts = [m for m in clause.mentions if m.label == "Expert"]
            if experts:
                people = experts
            following = clauses[index + 1].text if index + 1 < len(clauses) else ""
            found += self._cooperation(passage, clause, subjects, following)
            found += self._assistance(passage, clause, subjects, people, labels)
            found += self._training(passage, clause, people, topic, labels, sentence_text)
            found += self._offers(passage, clause, subjects)
            found += self._located_by_cue(clause, subjects)
        return found

    def _opening_actors(self, passage: Passage, clause: _Clause) -> list[Mention]:
        """The schools a clause opens with (某某职校、某某中专与…): its subject."""
        actors: list[Mention] = []
        position = clause.start
        for mention in clause.mentions:
            gap = passage.text[position : mention.start]
            major_acts = mention.label == "Major" and passage.text[mention.end : mention.end + 2] == "专业"
            if major_acts and not actors:
                actors.append(mention)  # 某某专业与某某公司…: the major's school acts
                break
            if mention.label not in ("School", "Expert") and not (mention.label == "Enterprise" and not actors):
                break
            if gap.strip() and not (actors and re.fullmatch(r"[、和及]", gap)) and not (
                not actors and re.fullmatch(r"(?:(?:19|20)\d{2}年\S{0,6}?|同年|此外|其中|目前|同时|另外)?[，,]?", gap)
            ):
                break
            actors.append(mention)
            position = mention.end
        return [a for a in actors if a.label != "Enterprise" or len(actors) == 1]

    # -- cooperation ----------------------------------------------------------------------------------

    def _cooperation(
        self, passage: Passage, clause: _Clause, subjects: list[Mention], following: str
    ) -> list[RelationMention]:
        text = passage.text
        span = text[clause.start : clause.end]
        continues = re.match(r"(?:并|还|又|共同|双方)?(?:签订|签署|共建|建立|开展|合作)", following)
        cue = self.coop.search(span) or (self.coop.match(following) if continues else None)
        if not cue:
            return []
        found: list[RelationMention] = []
        organisations = [m for m in clause.mentions if m.label in _ORGANISATIONS]
        markers = [m for m in self.partner_marker.finditer(span)]
        partners: list[Mention] = []
        actors: list[Mention] = []
        if markers:
            marker = markers[0]
            at = clause.start + marker.start()
            actors = [m for m in organisations if m.end <= at and m.label == "School"]
            partners = [m for m in organisations if m.start >= clause.start + marker.end()]
        elif self.coop_strong.search(span) or self.coop_strong.search(following):
            partners = [m for m in organisations if m.label == "Enterprise"]
        if not actors:
            actors = [s for s in subjects if s.label in ("School", "Major")]
        rule = "cooperation-cue"
        for actor in actors:
            for partner in partners:
                if name_of(actor) != name_of(partner):
                    found.append(RelationMention("cooperates_with", actor, partner, rule))
        if self.multi.search(span) and len(actors) + len(partners) > 2:
            everyone = actors + partners
            for i, a in enumerate(everyone):
                for b in everyone[i + 1 :]:
                    if "School" in (a.label, b.label) and name_of(a) != name_of(b):
                        s, o = (a, b) if a.label == "School" else (b, a)
                        found.append(RelationMention("cooperates_with", s, o, "cooperation-multi-party"))
        return found

    # -- assistance -----------------------------------------------------------------------------------

    def _assistance(
        self, passage: Passage, clause: _Clause, subjects: list[Mention], people: list[Mention],
        labels: dict[str, str],
    ) -> list[RelationMention]:
        text = passage.text
        span = text[clause.start : clause.end]
        found: list[RelationMention] = []
        schools = [s for s in subjects if s.label == "School"]
        def targets_after(position: int) -> list[Mention]:
            return [m for m in clause.mentions if m.label in ("School", "Region") and m.start >= position]

        received = self.received.search(span)
        if received:
            helpers = [m for m in clause.mentions if m.label == "School" and m.start >= clause.start + received.start()]
            for helper in helpers:
                for school in schools:
                    found.append(RelationMention("assists", helper, school, "assistance-received"))
            return found
        pairing = self.pairing.search(span) or (self.assist.search(span) if self.partner_marker.search(span) else None)
        if pairing and (marker := self.partner_marker.search(span)) and marker.start() < pairing.start():
            at = clause.start + marker.start()
            left = [m for m in clause.mentions if m.label == "School" and m.end <= at] or schools
            right = [m for m in clause.mentions if m.label == "School" and m.start >= clause.start + marker.end()]
            for a in left:
                for b in right:
                    helper, helped = self._helper_of(a, b)
                    found.append(RelationMention("assists", helper, helped, "assistance-pairing"))
                    found.append(RelationMention("cooperates_with", a, b, "assistance-pairing"))
            if found:
                return found
        sent = self.sent.search(span)
        if sent:
            # teachers of an earlier clause go on acting, unless this clause opens with a name of
            # its own (…支教，某地某老师来我校挂职: that teacher is someone else)
            opens = clause.mentions and not span[: clause.mentions[0].start - clause.start].strip(" ，,：:")
            senders = [m for m in clause.mentions if m.label == "Expert"] or ([] if opens else people)
            # the places up to the comma after the cue: 前往某县某校支教，某地某老师来我校…
            # names the next subject, not a place the teachers went to
            pause = re.search(r"[，,；;]", span[sent.end() :])
            until = clause.start + sent.end() + pause.start() if pause else clause.end
            places = [m for m in targets_after(clause.start + sent.start() - 12) if m.start < until]
            places = places or targets_after(clause.start + sent.start() - 12) or [
                m for m in clause.mentions if m.label in ("School", "Region")
            ]
            school_names = {name_of(s) for s in schools}
            places = [p for p in places if p.label == "Region" or name_of(p) not in school_names] or places
            for person in senders:
                for place in places:
                    found.append(RelationMention("assists", person, place, "assistance-sent-teachers"))
            for school in schools:
                for place in places:
                    if name_of(place) != name_of(school):
                        found.append(RelationMention("assists", school, place, "assistance-sent-teachers"))
            return found
        training = self.train_others.search(span)
        if training:
            trainees = [
                m for m in clause.mentions
                if m.label in ("School", "Region")
                and clause.start + training.start() <= m.start < clause.start + training.end()
                and name_of(m) not in {name_of(s) for s in schools}
            ]
            for school in schools:
                for target in trainees:
                    found.append(RelationMention("assists", school, target, "assistance-training-others"))
            if trainees:
                return found
        in_place = self.in_place.search(span)
        if in_place:
            towns = [
                m for m in clause.mentions
                if m.label == "Region" and clause.start + in_place.start() <= m.start < clause.start + in_place.end()
            ]
            for helper in schools + [p for p in people if p.label == "Expert"]:
                for town in towns:
                    found.append(RelationMention("assists", helper, town, "assistance-training-in-place"))
            if towns:
                return found
        visit = self.visit.search(span)
        if visit:
            hosts = [m for m in clause.mentions if m.label == "School" and clause.start + visit.start("to") <= m.start]
            guests = [
                m for m in clause.mentions if m.label == "School" and m.end <= clause.start + visit.start()
            ] or schools
            for host in hosts[:1]:
                for guest in guests:
                    if name_of(guest) != name_of(host):
                        found.append(RelationMention("assists", host, guest, "assistance-visit"))
            if hosts:
                return found
        origin = self.students_from.search(span)
        if origin:
            places = [
                m for m in clause.mentions
                if m.label == "Region" and clause.start + origin.start() <= m.start < clause.start + origin.end()
            ]
            for school in schools:
                for place in places:
                    found.append(RelationMention("assists", school, place, "assistance-students-from"))
            if places:
                return found
        hosting = self.hosting.search(span)
        if hosting:
            guests = [
                m for m in clause.mentions
                if m.label in ("School", "Region") and clause.start + hosting.start() <= m.start
                and name_of(m) not in {name_of(s) for s in schools}
            ]
            for school in schools:
                for guest in guests:
                    found.append(RelationMention("assists", school, guest, "assistance-hosting"))
            return found
        cue = self.assist.search(span)
        if cue:
            at = clause.start + cue.start()
            helpers = [m for m in clause.mentions if m.label in ("School", "Expert") and m.end <= at] or schools
            for helper in helpers:
                for target in targets_after(at):
                    if name_of(target) != name_of(helper):
                        found.append(RelationMention("assists", helper, target, "assistance-cue"))
        return found

    def _helper_of(self, a: Mention, b: Mention) -> tuple[Mention, Mention]:
        """Of two paired schools, the one that helps: the one in a province that helps others
        (东西部协作), else the one whose place stands higher (a city helps its counties), else
        the first named."""
        def standing(mention: Mention) -> tuple[int, int]:
            found = regions.find(name_of(mention))
            if not found or found[0].start != 0:
                return (0, -9)
            division = found[0].resolve()
            if division is None:
                return (0, -9)
            province = regions.ancestors(division.code)[-1].name if regions.ancestors(division.code) else division.name
            return (1 if province in self.east else 0, -division.rank)
        if standing(b) > standing(a):
            return b, a
        return a, b

    # -- training -------------------------------------------------------------------------------------

    def _training(
        self, passage: Passage, clause: _Clause, people: list[Mention], topic: str | None,
        labels: dict[str, str], sentence: str,
    ) -> list[RelationMention]:
        text = passage.text
        span = text[clause.start : clause.end]
        cue = self.train.search(span)
        if not cue or not people:
            return []
        experts = [m for m in clause.mentions if m.label == "Expert"] or people
        own_orgs = {
            name_of(o) for e in experts for o in self._organisation_before(passage, clause.mentions, e)
        }
        schools = [
            m for m in clause.mentions
            if m.label == "School" and name_of(m) not in own_orgs and m.start >= experts[0].start
        ]
        if not schools:
            implicit = self.implicit(passage, topic, clause.start, labels)
            schools = [implicit] if implicit and implicit.label == "School" and topic not in own_orgs else []
        return [RelationMention("trains", e, s, "training-cue") for e in experts for s in schools]

    # -- affiliation ----------------------------------------------------------------------------------

    def _organisation_before(self, passage: Passage, mentions: Sequence[Mention], expert: Mention) -> list[Mention]:
        text = passage.text
        organisations = [m for m in mentions if m.label in _ORGANISATIONS and m.end <= expert.start]
        if not organisations:
            return []
        nearest = organisations[-1]
        gap = text[nearest.end : expert.start]
        if len(gap) <= 24 and not re.search(r"[，。；：,;:]", gap) and not self.affiliation_gap.search(gap):
            return [nearest]
        return []

    def _affiliations(self, passage: Passage, parties: Sequence[Mention]) -> Iterator[RelationMention]:
        text = passage.text
        organisations = [m for m in parties if m.label in _ORGANISATIONS]
        for expert in (m for m in parties if m.label == "Expert"):
            for organisation in self._organisation_before(passage, parties, expert):
                yield RelationMention("affiliated_with", expert, organisation, "affiliation-role-gap")
            after = [o for o in organisations if o.start >= expert.end and o.start - expert.end <= 6]
            if after and self.affiliation_serves.match(text, expert.end):
                yield RelationMention("affiliated_with", expert, after[0], "affiliation-serves-in")
            clause_start = max(text.rfind(c, 0, expert.start) for c in "，。；,;") + 1
            senders = [
                o for o in organisations
                if clause_start <= o.start and o.end <= expert.start
                and self.affiliation_sent.search(text, o.end, expert.start)
            ]
            for sender in senders[-1:]:
                yield RelationMention("affiliated_with", expert, sender, "affiliation-sent-by")

    # -- majors ---------------------------------------------------------------------------------------

    def _offers(self, passage: Passage, clause: _Clause, subjects: list[Mention]) -> list[RelationMention]:
        text = passage.text
        found: list[RelationMention] = []
        majors = [m for m in clause.mentions if m.label == "Major"]
        if not majors:
            return found
        for major in majors:
            before = [m for m in clause.mentions if m.label == "School" and m.end <= major.start]
            if before and re.fullmatch(r"的?", text[before[-1].end : major.start]):
                found.append(RelationMention("offers_major", before[-1], major, "offers-school-before-major"))
            elif subjects and subjects[0].label == "School" and subjects[0].rule != "implicit-subject" \
                    and (not before or before[-1].start == subjects[0].start) \
                    and re.match("专业", text[major.end : major.end + 2]):
                # 某某职校完成了17级学前教育专业学生的实习: the students of the school's major
                found.append(RelationMention("offers_major", subjects[0], major, "offers-subject-major"))
        cue = self.offers.search(text, clause.start, clause.end)
        if cue:
            schools = [m for m in clause.mentions if m.label == "School" and m.end <= cue.start()] or [
                s for s in subjects if s.label == "School"
            ]
            for major in majors:
                if major.start >= cue.start() or re.search(r"是|为", text[major.end : cue.start()]):
                    for school in schools[-1:]:
                        found.append(RelationMention("offers_major", school, major, "offers-cue"))
        return found

    # -- places ---------------------------------------------------------------------------------------

    def _located_by_name(self, parties: Sequence[Mention]) -> Iterator[RelationMention]:
        """某某区第一职业学校 lies in 某某区: the places its name starts with (a chain, each of its
        places, and a town right after them), not a place further in (宁波|海港职业技术学院)."""
        places = [m for m in parties if m.label == "Region" and m.inside]
        for organisation in (m for m in parties if m.label in _ORGANISATIONS and not m.refers_to):
            inside = [p for p in places if organisation.start <= p.start < organisation.end]
            branch = self.cues["located-in-branch"].regex.search(organisation.text)
            if branch:
                at = organisation.start + branch.start()
                branch_places = [p for p in inside if p.end == at]
                if branch_places:  # 某地某某有限公司|北京|分公司: the branch's place only
                    for place in branch_places:
                        yield RelationMention("located_in", organisation, place, "located-in-branch")
                    continue
            leading = [p for p in inside if p.start == organisation.start]
            if not leading:
                continue
            reach = max(p.end for p in leading if p.rule != "region-chain-part") if any(
                p.rule != "region-chain-part" for p in leading) else max(p.end for p in leading)
            chain = [p for p in inside if p.start < reach]
            towns = [p for p in inside if p.start == reach and p.rule == "region-township"]
            short_form = organisation.rule in ("school-short-types", "school-numbered-short-form")
            for place in chain + towns:
                if place.rule == "region-division" and not self._named_in_full(place) and not short_form:
                    continue
                yield RelationMention("located_in", organisation, place, "located-in-by-name")

    def _named_in_full(self, place: Mention) -> bool:
        """A place written without its suffix locates a name only if it is a province or a
        prefecture (河南某某学院 is in 河南; 某某 alone may be a county elsewhere)."""
        found = regions.find(place.text)
        if not found:
            return False
        match = found[0]
        if match.is_full and not match.parts:
            return True
        last = match.parts[-1] if match.parts else match
        return last.is_full or any(d.level in ("province", "prefecture") for d in last.candidates)

    def _located_by_cue(self, clause: _Clause, subjects: list[Mention]) -> list[RelationMention]:
        found = []
        places = [m for m in clause.mentions if m.label == "Region"]
        for cue in self.located.finditer(clause.text):
            at = clause.start + cue.end()
            after = [p for p in places if at <= p.start <= at + 12]
            chain = after[-1:] if after else []
            before = [m for m in clause.mentions if m.label in _ORGANISATIONS and m.end <= clause.start + cue.start()]
            described = [
                m for m in clause.mentions
                if m.label in _ORGANISATIONS
                and chain
                and re.fullmatch(r"[^，。；]{0,12}的", clause_text_between(clause, chain[-1].end, m.start))
            ]
            owners = described[:1] or before[-1:] or [s for s in subjects if s.label in _ORGANISATIONS]
            for owner in owners:
                for place in chain:
                    found.append(RelationMention("located_in", owner, place, "location-cue"))
        return found

    # -- tables ---------------------------------------------------------------------------------------

    def _table_row(
        self, passage: Passage, parties: Sequence[Mention], topic: str | None, labels: dict[str, str]
    ) -> list[RelationMention]:
        found: list[RelationMention] = []
        row_school = self.implicit(passage, topic, 0, labels)
        schools = [m for m in parties if m.label == "School" and not m.inside]
        first_cell_end = len(passage.cells[0]) if passage.cells else 0
        owners = [m for m in schools if m.start <= first_cell_end] or ([row_school] if row_school else [])
        owners = [o for o in owners if o.label == "School"]
        majors = [m for m in parties if m.label == "Major"]
        partners = [m for m in parties if m.label in _ORGANISATIONS and not m.inside and m not in owners]
        experts = [m for m in parties if m.label == "Expert"]
        partner_columns = self.cues["table-partner-column"].regex
        for owner in owners:
            found += [RelationMention("offers_major", owner, m, "table-row") for m in majors]
            for partner in partners:
                column = _column_at(passage, partner.start)
                if partner_columns.search(column) or partner.label == "School" and owner is row_school:
                    found.append(RelationMention("cooperates_with", owner, partner, "table-row"))
        place_columns = self.cues["table-place-column"].regex
        for owner in owners:
            for place in (m for m in parties if m.label == "Region" and not m.inside):
                if place_columns.search(_column_at(passage, place.start)):
                    found.append(RelationMention("located_in", owner, place, "table-place-column"))
        organisations = [m for m in parties if m.label in _ORGANISATIONS and not m.inside]
        person_columns = self.cues["table-person-organisation-column"].regex
        for expert in experts:
            column_orgs = [o for o in organisations if person_columns.search(_column_at(passage, o.start))]
            for organisation in column_orgs[:1]:
                found.append(RelationMention("affiliated_with", expert, organisation, "table-row"))
        return found


def clause_text_between(clause: _Clause, start: int, end: int) -> str:
    return clause.text[start - clause.start : end - clause.start] if start <= end else "\0"


def _column_at(passage: Passage, position: int) -> str:
    offset = 0
    for cell, column in zip(passage.cells, passage.columns):
        if offset <= position <= offset + len(cell):
            return column
        offset += len(cell) + 1
    return ""


def _unique(relations: list[RelationMention]) -> list[RelationMention]:
    seen, kept = set(), []
    for relation in relations:
        key = (relation.predicate, relation.subject.start, relation.subject.end, name_of(relation.subject),
               relation.object.start, relation.object.end, name_of(relation.object))
        if key in seen or name_of(relation.subject) == name_of(relation.object):
            continue
        seen.add(key)
        kept.append(relation)
    return kept
