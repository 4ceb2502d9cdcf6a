"""Stage 5: the resolved knowledge graph as RDF, with the ontology and the evidence inside.

Every relation is a plain triple (for simple SPARQL) and one `rdf:Statement` per sentence that
states it (for "why does the graph say this?"). Every indicator value is a `qb:Observation` of
the data set `kg:indicators` (W3C Data Cube; see the last section of ontology/kg.ttl), with the
same provenance as a statement. IRIs come from canonical keys, never from counters, so a build
is the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB

from kg.model import Entity, IndicatorValue, KnowledgeGraph
from kg.resolve import stable_id
from kg.vocab import ID, KG

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in (
        ("kg", str(KG)),
        ("id", str(ID)),
        ("skos", str(SKOS)),
        ("prov", str(PROV)),
        ("dcterms", str(DCTERMS)),
        ("owl", str(OWL)),
        ("qb", str(QB)),
    ):
        graph.bind(prefix, namespace, override=True)
    return graph


def entity_iri(entity: Entity) -> URIRef:
    if entity.cls == "Region" and entity.division_code:
        return ID[f"region/{entity.division_code}"]
    return ID[f"{entity.cls.lower()}/{stable_id(entity.key)}"]


def report_iri(file_name: str) -> URIRef:
    return ID[f"report/{stable_id(file_name)}"]


def build_graph(knowledge: KnowledgeGraph, *, include_ontology: bool = True) -> Graph:
    graph = bind_prefixes(Graph())
    if include_ontology:
        graph.parse(ONTOLOGY_FILE, format="turtle")
    iris = {entity.key: entity_iri(entity) for entity in knowledge.entities}
    for report in knowledge.reports:
        node = report_iri(report.file_name)
        graph.add((node, RDF.type, KG.Report))
        graph.add((node, KG.file_name, Literal(report.file_name)))
        if report.info.title:
            graph.add((node, DCTERMS.title, Literal(report.info.title)))
        if report.info.year:
            graph.add((node, KG.year, Literal(report.info.year, datatype=XSD.integer)))
        if report.region_key and report.region_key in iris:
            graph.add((node, KG.covers_region, iris[report.region_key]))
    for entity in knowledge.entities:
        node = iris[entity.key]
        graph.add((node, RDF.type, KG[entity.cls]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alias in entity.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        for file_name in entity.reports:
            graph.add((node, KG.mentioned_in, report_iri(file_name)))
        if entity.division_code:
            graph.add((node, KG.division_code, Literal(entity.division_code)))
        if entity.division_level:
            graph.add((node, KG.division_level, Literal(entity.division_level)))
    for child, parent in knowledge.region_links:
        graph.add((iris[child], KG.located_in, iris[parent]))
    for relation in knowledge.relations:
        subject, predicate, obj = iris[relation.subject], KG[relation.predicate], iris[relation.object]
        graph.add((subject, predicate, obj))
        for evidence in relation.evidence:
            statement = ID[
                "statement/"
                + stable_id(f"{subject}|{predicate}|{obj}|{evidence.report}|{evidence.start}|{evidence.end}")
            ]
            graph.add((statement, RDF.type, RDF.Statement))
            graph.add((statement, RDF.subject, subject))
            graph.add((statement, RDF.predicate, predicate))
            graph.add((statement, RDF.object, obj))
            graph.add((statement, PROV.wasDerivedFrom, report_iri(evidence.report)))
            graph.add((statement, KG.evidence, Literal(evidence.text)))
            graph.add((statement, KG.start_offset, Literal(evidence.start, datatype=XSD.integer)))
            graph.add((statement, KG.end_offset, Literal(evidence.end, datatype=XSD.integer)))
            graph.add((statement, KG.extraction_rule, Literal(evidence.rule)))
    for observation in knowledge.observations:
        _add_observation(graph, observation, iris[observation.organisation])
    return graph


#: Indicators whose values are counts (xsd:integer); the others are xsd:decimal.
COUNTS = frozenset({"enrolment", "admissions", "graduates", "full_time_teachers", "social_training"})


def observation_iri(observation: IndicatorValue, organisation: URIRef) -> URIRef:
    evidence = observation.evidence
    return ID["observation/" + stable_id(
        f"{organisation}|{observation.year}|{observation.indicator}|{evidence.report}|{evidence.start}"
    )]


def _add_observation(graph: Graph, observation: IndicatorValue, organisation: URIRef) -> None:
    node = observation_iri(observation, organisation)
    measure: URIRef = KG[observation.indicator]
    if observation.indicator in COUNTS:
        value = Literal(int(observation.value), datatype=XSD.integer)
    else:
        value = Literal(observation.value, datatype=XSD.decimal)
    evidence = observation.evidence
    graph.add((node, RDF.type, QB.Observation))
    graph.add((node, QB.dataSet, KG.indicators))
    graph.add((node, KG.organisation, organisation))
    graph.add((node, KG.ref_year, Literal(observation.year, datatype=XSD.integer)))
    graph.add((node, QB.measureType, measure))
    graph.add((node, measure, value))
    graph.add((node, KG.unit, Literal(observation.unit)))
    graph.add((node, PROV.wasDerivedFrom, report_iri(evidence.report)))
    graph.add((node, KG.evidence, Literal(evidence.text)))
    graph.add((node, KG.start_offset, Literal(evidence.start, datatype=XSD.integer)))
    graph.add((node, KG.end_offset, Literal(evidence.end, datatype=XSD.integer)))
    graph.add((node, KG.extraction_rule, Literal(evidence.rule)))
