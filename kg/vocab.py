"""The kg vocabulary: every IRI the graph uses, in one place.

Mirrors `ontology/kg.ttl` term for term (a test checks both ways), and fails at once on a
misspelt term, as rdflib's own closed namespaces do.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: Where entity nodes live: ``ID + "school/<hash>"``, ``ID + "region/<division code>"``.
ID = Namespace("https://w3id.org/vetkg/id/")


class KG(DefinedNamespace):
    """Classes and properties of the kg ontology."""

    _NS = Namespace("https://w3id.org/vetkg/ontology#")
    _fail = True

    # classes
    School: URIRef
    Enterprise: URIRef
    Major: URIRef
    Region: URIRef
    Expert: URIRef
    Report: URIRef

    # relations between entities
    cooperates_with: URIRef
    assists: URIRef
    offers_major: URIRef
    trains: URIRef
    located_in: URIRef
    affiliated_with: URIRef

    # reports and provenance
    mentioned_in: URIRef  # entity -> report that mentions it
    covers_region: URIRef  # report -> the region it reports on
    file_name: URIRef
    year: URIRef
    evidence: URIRef  # statement -> the sentence that states it
    start_offset: URIRef
    end_offset: URIRef
    extraction_rule: URIRef

    # regions on the national map
    division_code: URIRef
    division_level: URIRef

    # indicators, as a W3C Data Cube (qb:) data set
    indicators: URIRef  # the qb:DataSet of every observation
    indicator_structure: URIRef  # its qb:DataStructureDefinition
    organisation: URIRef  # dimension: the school or region the value is of
    ref_year: URIRef  # dimension: the year of the report that states it
    unit: URIRef  # attribute: the unit of the value
    # measures, one per indicator (kg.model.INDICATORS)
    enrolment: URIRef
    admissions: URIRef
    graduates: URIRef
    employment_rate: URIRef
    matched_employment_rate: URIRef
    progression_rate: URIRef
    retention_rate: URIRef
    full_time_teachers: URIRef
    dual_qualified_teacher_ratio: URIRef
    student_teacher_ratio: URIRef
    campus_area: URIRef
    equipment_value: URIRef
    social_training: URIRef
    starting_salary: URIRef
    monthly_income: URIRef


#: The ontology's own IRI (owl:Ontology).
ONTOLOGY = URIRef("https://w3id.org/vetkg/ontology")


#: Prefixes every query may use without declaring them (and that tables and Turtle shorten
#: IRIs with).
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "qb": str(QB),
}
