"""ontology/kg.ttl: parses, declares exactly the terms of kg.vocab.KG, documents and aligns them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, QB, RDF, RDFS, SKOS, XSD

from kg.model import INDICATORS
from kg.vocab import KG, ONTOLOGY

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

CLASSES = ("School", "Enterprise", "Major", "Region", "Expert", "Report")
OBJECT_PROPERTIES = (
    "cooperates_with",
    "assists",
    "offers_major",
    "trains",
    "located_in",
    "affiliated_with",
    "mentioned_in",
    "covers_region",
    "organisation",
)
DATATYPE_PROPERTIES = {
    "file_name": XSD.string,
    "year": XSD.integer,
    "evidence": XSD.string,
    "start_offset": XSD.integer,
    "end_offset": XSD.integer,
    "extraction_rule": XSD.string,
    "division_code": XSD.string,
    "division_level": XSD.string,
    "ref_year": XSD.integer,
    "unit": XSD.string,
}
#: One measure per indicator (Data Cube): counts are integers, the rest decimals.
MEASURES = {
    name: XSD.integer if name in ("enrolment", "admissions", "graduates", "full_time_teachers", "social_training")
    else XSD.decimal
    for name in INDICATORS
}
DATATYPE_PROPERTIES.update(MEASURES)
#: The Data Cube data set of the observations and its structure.
CUBE = ("indicators", "indicator_structure")
TERMS = CLASSES + OBJECT_PROPERTIES + tuple(DATATYPE_PROPERTIES) + CUBE

#: Domain and range of each object property, as GUIDELINES.md gives them.
ENDS = {
    "cooperates_with": ({"School", "Enterprise"}, {"School", "Enterprise"}),
    "assists": ({"School", "Expert"}, {"Region", "School"}),
    "offers_major": ({"School"}, {"Major"}),
    "trains": ({"Expert"}, {"School"}),
    "located_in": ({"School", "Enterprise", "Region"}, {"Region"}),
    "affiliated_with": ({"Expert"}, {"School", "Enterprise"}),
    "mentioned_in": ({"School", "Enterprise", "Major", "Region", "Expert"}, {"Report"}),
    "covers_region": ({"Report"}, {"Region"}),
    "organisation": ({"Observation"}, {"School", "Region"}),
}

ALIGNMENTS = [
    (KG.School, RDFS.subClassOf, SCHEMA.EducationalOrganization),
    (KG.School, RDFS.subClassOf, ORG.Organization),
    (KG.Enterprise, RDFS.subClassOf, SCHEMA.Organization),
    (KG.Enterprise, RDFS.subClassOf, ORG.Organization),
    (KG.Expert, RDFS.subClassOf, FOAF.Person),
    (KG.Expert, RDFS.subClassOf, SCHEMA.Person),
    (KG.Expert, RDFS.subClassOf, PROV.Person),
    (KG.Region, RDFS.subClassOf, SCHEMA.AdministrativeArea),
    (KG.Region, RDFS.subClassOf, PROV.Location),
    (KG.Major, RDFS.subClassOf, SKOS.Concept),
    (KG.Report, RDFS.subClassOf, PROV.Entity),
    (KG.Report, RDFS.subClassOf, FOAF.Document),
    (KG.Report, RDFS.subClassOf, SCHEMA.Report),
    (KG.cooperates_with, RDFS.subPropertyOf, ORG.linkedTo),
    (KG.affiliated_with, RDFS.subPropertyOf, SCHEMA.affiliation),
    (KG.affiliated_with, RDFS.subPropertyOf, ORG.memberOf),
    (KG.located_in, RDFS.subPropertyOf, SCHEMA.location),
    (KG.covers_region, RDFS.subPropertyOf, SCHEMA.spatialCoverage),
    (KG.covers_region, RDFS.subPropertyOf, DCTERMS.spatial),
    (KG.mentioned_in, OWL.inverseOf, SCHEMA.mentions),
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def members(graph: Graph, node) -> set:
    """The classes a domain or range names: one class, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        assert union is not None, "a blank domain or range must be an owl:unionOf"
        return set(Collection(graph, union))
    return {node}


def test_ontology_node(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, RDFS.label) is not None


def test_declares_exactly_the_vocabulary(ontology: Graph) -> None:
    namespace = str(KG._NS)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, QB.DataSet, QB.DataStructureDefinition)
    declared = {
        s for kind in kinds for s in ontology.subjects(RDF.type, kind) if s.startswith(namespace)
    }
    used = {
        term
        for triple in ontology
        for term in triple
        if isinstance(term, URIRef) and term.startswith(namespace)
    }
    vocabulary = set(dir(KG))
    assert sorted(declared - vocabulary) == []
    assert sorted(vocabulary - declared) == []
    assert sorted(used - vocabulary) == []
    assert vocabulary == {KG[name] for name in TERMS}


@pytest.mark.parametrize("name", CLASSES)
def test_class_is_declared(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_object_property_is_declared(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.ObjectProperty) in ontology
    assert (KG[name], RDF.type, OWL.DatatypeProperty) not in ontology


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_range(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.DatatypeProperty) in ontology
    assert list(ontology.objects(KG[name], RDFS.range)) == [DATATYPE_PROPERTIES[name]]


@pytest.mark.parametrize("name", TERMS)
def test_term_is_documented(ontology: Graph, name: str) -> None:
    term = KG[name]
    labels = sorted((label.language, str(label)) for label in ontology.objects(term, RDFS.label))
    assert [language for language, _ in labels] == ["en", "zh"], labels
    assert all(text.strip() for _, text in labels)
    comments = [c for c in ontology.objects(term, RDFS.comment) if isinstance(c, Literal)]
    assert comments and all(len(str(c)) > 20 for c in comments)
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology


@pytest.mark.parametrize("name", OBJECT_PROPERTIES + tuple(DATATYPE_PROPERTIES))
def test_property_has_one_domain_and_range(ontology: Graph, name: str) -> None:
    assert len(list(ontology.objects(KG[name], RDFS.domain))) == 1
    assert len(list(ontology.objects(KG[name], RDFS.range))) == 1


@pytest.mark.parametrize("name", sorted(ENDS))
def test_object_property_ends_follow_the_guidelines(ontology: Graph, name: str) -> None:
    domain, range_ = ENDS[name]
    expected = {QB[c] if c == "Observation" else KG[c] for c in domain}
    assert members(ontology, ontology.value(KG[name], RDFS.domain)) == expected
    assert members(ontology, ontology.value(KG[name], RDFS.range)) == {KG[c] for c in range_}


@pytest.mark.parametrize("name", ["evidence", "start_offset", "end_offset", "extraction_rule"])
def test_provenance_properties_describe_statements(ontology: Graph, name: str) -> None:
    # and indicator values, which carry the same evidence
    assert members(ontology, ontology.value(KG[name], RDFS.domain)) == {RDF.Statement, QB.Observation}


@pytest.mark.parametrize("name", INDICATORS)
def test_each_indicator_is_a_measure_of_the_data_set(ontology: Graph, name: str) -> None:
    measure = KG[name]
    assert (measure, RDF.type, QB.MeasureProperty) in ontology
    assert ontology.value(measure, RDFS.domain) == QB.Observation
    assert str(ontology.value(measure, SKOS.notation)) == name
    structure = ontology.value(KG.indicators, QB.structure)
    assert structure == KG.indicator_structure
    components = set(ontology.objects(structure, QB.component))
    assert any((c, QB.measure, measure) in ontology for c in components)


def test_the_data_set_has_organisation_year_and_measure_type_dimensions(ontology: Graph) -> None:
    components = set(ontology.objects(KG.indicator_structure, QB.component))
    dimensions = {ontology.value(c, QB.dimension) for c in components} - {None}
    assert dimensions == {KG.organisation, KG.ref_year, QB.measureType}
    assert {ontology.value(c, QB.attribute) for c in components} - {None} == {KG.unit}


def test_cooperates_with_is_symmetric(ontology: Graph) -> None:
    assert (KG.cooperates_with, RDF.type, OWL.SymmetricProperty) in ontology
    # A symmetric property with a narrower domain than range would retype its objects.
    domain = members(ontology, ontology.value(KG.cooperates_with, RDFS.domain))
    range_ = members(ontology, ontology.value(KG.cooperates_with, RDFS.range))
    assert domain == range_


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].fragment}-{t[2]}")
def test_alignment(ontology: Graph, triple) -> None:
    assert triple in ontology


def test_mentioned_in_is_not_derivation(ontology: Graph) -> None:
    # An entity is not derived from the report that names it; only statements are.
    assert (KG.mentioned_in, RDFS.subPropertyOf, PROV.wasDerivedFrom) not in ontology
