"""kg serve: a read-only SPARQL 1.1 Protocol endpoint, queried over HTTP as a client would."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.cli import cli
from kg.query import load
from kg.serve import make_server
from kg.vocab import ID, KG

SELECT = "SELECT ?label WHERE { ?s a kg:School ; rdfs:label ?label } ORDER BY ?label"


def build_graph() -> Graph:
    g = Graph()
    for key, label, alias in (
        ("a1a1a1a1a1a1", "甲职业学校", "甲职"),
        ("b2b2b2b2b2b2", "乙职业学校", "乙职"),
    ):
        node = ID[f"school/{key}"]
        g.add((node, RDF.type, KG.School))
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((ID["school/a1a1a1a1a1a1"], KG.cooperates_with, ID["school/b2b2b2b2b2b2"]))
    return g


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def endpoint(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    build_graph().serialize(path, format="turtle")
    server = make_server(load(path, engine=request.param), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/sparql"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode()


def labels(body: str) -> list[str]:
    return [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_returns_sparql_json_by_default(endpoint):
    status, ctype, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": SELECT}))
    assert (status, ctype) == (200, "application/sparql-results+json")
    assert labels(body) == ["乙职业学校", "甲职业学校"]


def test_post_sparql_query_body(endpoint):
    status, _, body = fetch(endpoint, SELECT.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200
    assert labels(body) == ["乙职业学校", "甲职业学校"]


def test_post_form_encoded(endpoint):
    data = urllib.parse.urlencode({"query": SELECT}).encode()
    status, _, body = fetch(endpoint, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert labels(body) == ["乙职业学校", "甲职业学校"]


def test_results_as_xml_and_csv_by_accept(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": SELECT})
    status, ctype, body = fetch(url, headers={"Accept": "application/sparql-results+xml"})
    assert (status, ctype) == (200, "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [e.text for e in ET.fromstring(body).findall(".//r:literal", ns)] == [
        "乙职业学校",
        "甲职业学校",
    ]
    status, ctype, body = fetch(url, headers={"Accept": "text/csv;q=0.9, text/html;q=1"})
    assert (status, ctype) == (200, "text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["label"], ["乙职业学校"], ["甲职业学校"]]


def test_ask_and_construct(endpoint):
    status, _, body = fetch(
        endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?a kg:cooperates_with ?b }"})
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kg:School ; rdfs:label ?l }"
    status, ctype, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": construct}))
    assert (status, ctype) == (200, "text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) == 2


def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, _, _ = fetch(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})
    assert status == 403
    data = urllib.parse.urlencode({"update": update}).encode()
    status, _, _ = fetch(endpoint, data, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = fetch(endpoint + "?" + urllib.parse.urlencode({"query": update}))
    assert status == 403
    # and the graph is unchanged
    status, _, body = fetch(
        endpoint + "?" + urllib.parse.urlencode({"query": "ASK { <urn:a> ?p ?o }"})
    )
    assert json.loads(body)["boolean"] is False


def test_bad_requests(endpoint):
    status, ctype, body = fetch(
        endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s"})
    )
    assert (status, ctype) == (400, "text/plain")
    assert "syntax error at line 1" in body
    assert fetch(endpoint)[0] == 400
    assert fetch(endpoint.replace("/sparql", "/other"))[0] == 404
    status, _, _ = fetch(
        endpoint + "?" + urllib.parse.urlencode({"query": SELECT}), headers={"Accept": "image/png"}
    )
    assert status == 406


def test_serve_without_a_graph(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--graph", str(tmp_path / "graph.ttl")])
    assert result.exit_code == 1
    assert "run kg build first" in result.output


def client(endpoint: str, query: str, fmt: str = JSON, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


PREFIXED = (
    "PREFIX kg: <https://w3id.org/vetkg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_standard_sparql_client_gets_select_and_ask_answers(endpoint, method):
    data = client(endpoint, PREFIXED + SELECT, JSON, method).queryAndConvert()
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == [
        "乙职业学校",
        "甲职业学校",
    ]
    csv_body = client(endpoint, PREFIXED + SELECT, CSV, method).queryAndConvert()
    assert csv_body.decode().split() == ["label", "乙职业学校", "甲职业学校"]
    ask = client(endpoint, PREFIXED + "ASK { ?a kg:cooperates_with ?b }", JSON, method)
    assert ask.queryAndConvert()["boolean"] is True


# SPARQLWrapper parses graph results into rdflib's deprecated ConjunctiveGraph
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_a_standard_sparql_client_gets_construct_as_a_graph(endpoint):
    query = PREFIXED + "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kg:School ; rdfs:label ?l }"
    graph = client(endpoint, query, XML).queryAndConvert()  # RDF/XML, parsed by the client
    assert sorted(str(o) for o in graph.objects(None, RDFS.label)) == ["乙职业学校", "甲职业学校"]


def test_a_chosen_dataset_is_refused_clearly(endpoint):
    ask = "ASK { ?s ?p ?o }"
    for name in ("default-graph-uri", "named-graph-uri"):
        url = endpoint + "?" + urllib.parse.urlencode({"query": ask, name: "urn:kg:other"})
        status, ctype, body = fetch(url)
        assert (status, ctype) == (400, "text/plain")
        assert body.startswith("This endpoint serves one graph (the default graph)")
        form = urllib.parse.urlencode({"query": ask, name: "urn:kg:other"}).encode()
        status, _, _ = fetch(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400
    # an empty value chooses nothing
    url = endpoint + "?" + urllib.parse.urlencode({"query": ask, "default-graph-uri": ""})
    assert fetch(url)[0] == 200
    sparql = client(endpoint, ask)
    sparql.addDefaultGraph("urn:kg:other")
    with pytest.raises(QueryBadFormed, match="default-graph-uri"):
        sparql.queryAndConvert()


def test_from_and_service_in_the_query_are_refused(endpoint):
    for query, message in (
        ("SELECT * FROM <urn:kg:other> WHERE { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ):
        status, _, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": query}))
        assert status == 400
        assert message in body
