"""Plain data passed between the pipeline stages.

Every stage hands the next one frozen dataclasses, never spaCy or rdflib objects, so a triple
in the exported graph can always be traced back to a report and a character span in it.
Offsets are always into `Report.text`, the decoded file as the user has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """A unit of text the extractors read: a sentence of running text or one table row.

    `text` is cleaned (lines broken mid-sentence joined, spaces inside Chinese words dropped);
    `offsets[i]` is the position in the report of `text[i]`.
    """

    report: str
    index: int
    kind: str  # "text" | "table_row" | "heading"
    text: str
    offsets: tuple[int, ...]
    section: str = ""  # the heading the passage stands under, e.g. "5.3 区域合作"
    paragraph: int = 0  # passages of one paragraph (or one table) share this number
    cells: tuple[str, ...] = ()  # for table rows: the cleaned cells
    columns: tuple[str, ...] = ()  # for table rows: the header of each cell ("" if none)
    in_case_box: bool = False  # inside a 【案例分享】 box

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Report offsets of `text[start:end]`."""
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class ReportInfo:
    """What the report says about itself: read from its title."""

    report: str
    title: str
    year: int | None
    region: str | None  # the district / city / province the report covers, as written
    region_code: str | None  # its national division code
    school: str | None  # for a single school's report, the school


@dataclass(frozen=True)
class Mention:
    """A surface form of an entity in one passage."""

    report: str
    passage: int
    label: str  # one of ENTITY_CLASSES, or "Ref" for 我校 / 该校 / 学校 (resolved later)
    text: str  # the surface form as cleaned
    start: int  # character offsets in the passage text
    end: int
    rule: str  # id of the pattern or rule that found it
    alias: str = ""  # the surface with its title, as written ("吴教授" for 吴某): one more altLabel
    refers_to: str = ""  # for a short form the report derives from a full name: that name


@dataclass(frozen=True)
class RelationMention:
    """A relation stated by one passage, between two mentions of it."""

    predicate: str
    subject: Mention
    object: Mention
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Everything the extractors found in one report."""

    info: ReportInfo
    passages: tuple[Passage, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[RelationMention, ...]


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
