"""Plain data passed between the pipeline stages.

Every stage hands the next one frozen dataclasses, never spaCy or rdflib objects, so a triple
in the exported graph can always be traced back to a report and a character span in it.
Offsets are always into `Report.text`, the decoded file as the user has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: The five entity classes of the ontology, in the order summaries list them.
ENTITY_CLASSES = ("School", "Enterprise", "Major", "Region", "Expert")

#: The six relations of the ontology, in the order summaries list them.
PREDICATES = (
    "cooperates_with",
    "assists",
    "offers_major",
    "trains",
    "located_in",
    "affiliated_with",
)


@dataclass(frozen=True)
class Report:
    """One report file, decoded."""

    path: str  # as given on the command line (or found under a folder), POSIX style
    name: str  # file name, unique within a build
    text: str
    encoding: str


@dataclass(frozen=True)
class Passage:
    """A unit of text the extractors read: a sentence of running text, a heading or a table row.

    `text` is cleaned (lines broken mid-sentence joined, spaces inside Chinese words and page
    headers of PDFs dropped); `offsets[i]` is the position in the report of `text[i]`.

    The structure fields say where the passage stands in the document, so that a sentence can be
    read as its reader reads it: under which heading, inside which case box or table.
    """

    report: str
    index: int
    kind: str  # see PASSAGE_KINDS
    text: str
    offsets: tuple[int, ...]
    paragraph: int = 0  # passages of one paragraph (or one table) share this number
    level: int = 0  # for headings and case titles: 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）
    heading: int = -1  # index of the innermost heading the passage stands under
    case: int = -1  # index of the title of the case box (【案例】) it stands in
    table: int = -1  # for table rows: the number of their table
    cells: tuple[str, ...] = ()  # for table rows: the cleaned cells
    columns: tuple[str, ...] = ()  # for table rows: the header of each cell ("" if none)

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Report offsets of `text[start:end]`."""
        return self.offsets[start], self.offsets[end - 1] + 1


#: What a passage is. The title block holds the title lines and the lines around them (issuing
#: body, date, a number such as 第1份); `toc` is a line of the table of contents.
PASSAGE_KINDS = ("title", "front", "toc", "heading", "case", "caption", "text", "table_header", "table_row")


@dataclass(frozen=True)
class ReportInfo:
    """What the report says about itself, read from its title block."""

    report: str
    title: str
    year: int | None
    region: str | None  # the district / city / province the report covers, as written
    region_code: str | None  # its national division code
    school: str | None  # for a single school's report, the school's full name
    issuer: str | None = None  # the body that issued it (编制单位, or the line under the title)


@dataclass(frozen=True)
class Mention:
    """A surface form of an entity in one passage.

    `refers_to` names what the mention stands for when that is not its own text: the full name a
    declared short form abbreviates ("某某卫校" -> "某某卫生学校"), the school 该校 or 我校 means,
    the two organisations of 两校. Resolution reads it; a `Ref` mention without it is dropped.
    """

    report: str
    passage: int
    label: str  # one of ENTITY_CLASSES, or "Ref" for 我校 / 该校 / 两校
    text: str  # the surface form as cleaned
    start: int  # character offsets in the passage text
    end: int
    rule: str  # id of the rule that found it
    alias: str = ""  # the surface with its title, as written ("吴教授" for 吴某): one more altLabel
    refers_to: tuple[str, ...] = ()
    inside: bool = False  # part of a longer name (the place in 某某区职业学校): not a party


@dataclass(frozen=True)
class RelationMention:
    """A relation stated by one passage, between two mentions of it."""

    predicate: str
    subject: Mention
    object: Mention
    rule: str


#: The indicators kg reads, in the order summaries list them: the local names of their measure
#: properties in the ontology, and the ids (after "indicator-") of their records in
#: kg/cues/indicators.jsonl.
INDICATORS = (
    "enrolment",
    "admissions",
    "graduates",
    "employment_rate",
    "matched_employment_rate",
    "progression_rate",
    "retention_rate",
    "full_time_teachers",
    "dual_qualified_teacher_ratio",
    "student_teacher_ratio",
    "campus_area",
    "equipment_value",
    "social_training",
    "starting_salary",
    "monthly_income",
)


@dataclass(frozen=True)
class Observation:
    """The value of an indicator stated by one passage, for one organisation and year.

    `organisation` is a name as the mentions give it: a school's name (the full name a short
    form or 我校 stands for), or, with `organisation_class` "Region", the region the report covers
    as written. Resolution turns it into the same entity as the school's other mentions.
    `value` is in `unit`: counts in 人 (万人 multiplied out), percentages as numbers with unit
    "%", 生师比 16.5:1 as 16.5 with unit ":1"; 亩, 平方米, 万元, 元/月 and 人次 are kept.
    """

    report: str
    passage: int
    organisation: str
    organisation_class: str  # "School" or "Region"
    indicator: str  # one of INDICATORS
    value: Decimal
    unit: str
    year: int
    start: int  # offsets of the value's words (keyword to unit) in the passage text
    end: int
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Everything the extractors found in one report."""

    info: ReportInfo
    passages: tuple[Passage, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[RelationMention, ...]
    topics: tuple[str | None, ...] = ()  # per passage: the school it is about, if it can be told
    observations: tuple[Observation, ...] = ()


@dataclass(frozen=True)
class Evidence:
    report: str
    text: str  # the sentence that states the relation
    start: int  # offsets in the report
    end: int
    rule: str


@dataclass(frozen=True)
class Entity:
    key: str  # canonical, stable: the seed of the IRI
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()
    division_code: str | None = None  # for regions on the national map
    division_level: str | None = None  # "province" | "prefecture" | "county" | "township"


@dataclass(frozen=True)
class Relation:
    subject: str  # Entity.key
    predicate: str
    object: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class IndicatorValue:
    """A resolved observation: an indicator's value for an entity (a school or a region) and a
    year, with the sentence that states it."""

    organisation: str  # Entity.key
    year: int
    indicator: str
    value: Decimal
    unit: str
    evidence: Evidence


@dataclass(frozen=True)
class ResolvedReport:
    info: ReportInfo
    file_name: str
    region_key: str | None  # Entity.key of the region the report covers


@dataclass(frozen=True)
class KnowledgeGraph:
    """The resolved graph of a whole build, before it becomes RDF."""

    reports: tuple[ResolvedReport, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    region_links: tuple[tuple[str, str], ...] = field(default=())  # (region key, parent key)
    observations: tuple[IndicatorValue, ...] = field(default=())
