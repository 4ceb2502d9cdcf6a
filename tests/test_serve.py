"""kg serve: a read-only SPARQL 1.1 Protocol endpoint, queried over HTTP as a client would."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.cli import cli
from kg.export.store import STORE_NAME, write_store
from kg.query import load
from kg.serve import Limits, make_server
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


# --------------------------------------------------------------------------- limits

HEAVY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 407^3 rows: never ends in time


@pytest.fixture(scope="module")
def big_graph_path(tmp_path_factory):
    """The two schools, and 200 enterprises that make a cross join of their triples heavy."""
    g = build_graph()
    for i in range(200):
        node = ID[f"enterprise/{i:012x}"]
        g.add((node, RDF.type, KG.Enterprise))
        g.add((node, RDFS.label, Literal(f"企业{i}")))
    path = tmp_path_factory.mktemp("serve-limits") / "graph.ttl"
    g.serialize(path, format="turtle")
    return path


@contextlib.contextmanager
def serving(path, engine: str = "rdflib", **limits):
    server = make_server(load(path, engine=engine), "127.0.0.1", 0, Limits(**limits))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/sparql", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def ask(endpoint: str, query: str):
    return fetch(endpoint + "?" + urllib.parse.urlencode({"query": query}))


def children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux /proc); zombies count as gone."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids = {int(p) for p in f.read().split()}
    except OSError:
        return set()
    return {p for p in pids if alive(p)}


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_simple_queries_stay_fast_while_heavy_ones_run(big_graph_path, engine):
    """Two cross joins run all along; 300 simple queries from 16 threads take under 1 s each."""
    with serving(big_graph_path, engine, timeout=60) as (endpoint, _):
        heavy = ThreadPoolExecutor(2)
        heavy_answers = [heavy.submit(ask, endpoint, HEAVY) for _ in range(2)]
        time.sleep(0.5)  # both are running (and soon yield the CPU)

        def timed(_):
            started = time.monotonic()
            status, _, body = ask(endpoint, SELECT)
            return status, body, time.monotonic() - started

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(timed, range(300)))
        assert not any(f.done() for f in heavy_answers)  # still running: they did not block us
    heavy.shutdown(wait=True)
    assert {status for status, _, _ in answers} == {200}
    assert all(labels(body) == ["乙职业学校", "甲职业学校"] for _, body, _ in answers)
    seconds = sorted(took for _, _, took in answers)
    assert seconds[-1] < 1.0, (
        f"{sum(t >= 1.0 for t in seconds)} of 300 simple queries took 1 s or more: "
        f"median {seconds[150]:.2f} s, 99th percentile {seconds[296]:.2f} s, "
        f"slowest {seconds[-1]:.2f} s"
    )
    for f in heavy_answers:  # stopped with the server, which is stopping
        assert f.result()[0] == 503


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_over_the_time_limit_is_stopped_and_the_server_keeps_answering(
    big_graph_path, engine
):
    with serving(big_graph_path, engine, timeout=1) as (endpoint, server):
        running: set[int] = set()  # the worker that runs the query, seen while it runs

        def see_workers() -> bool:
            running.update(children(server.workers._pid))
            return bool(running)

        watcher = threading.Thread(target=wait_for, args=(see_workers, 1.0))
        watcher.start()
        started = time.monotonic()
        status, ctype, body = ask(endpoint, HEAVY)
        took = time.monotonic() - started
        watcher.join()
        assert (status, ctype) == (503, "text/plain")
        assert body == (
            "The query took longer than 1 s and was stopped - narrow it (LIMIT, fewer unbound "
            "patterns) or restart kg serve with a higher --timeout\n"
        )
        assert 1.0 <= took < 2.5
        assert running, "no worker process was seen running the query"
        assert wait_for(lambda: not any(alive(pid) for pid in running), 1.0)  # really stopped
        status, _, body = ask(endpoint, SELECT)
        assert status == 200 and labels(body) == ["乙职业学校", "甲职业学校"]


def test_the_store_kg_build_writes_is_served_within_the_limits_too(big_graph_path, tmp_path):
    """kg build writes an on-disk Oxigraph store beside graph.ttl; forked workers query it."""
    path = tmp_path / "graph.ttl"
    shutil.copy(big_graph_path, path)
    write_store(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), tmp_path / STORE_NAME)
    with pytest.raises(RuntimeError, match="read-write"):  # the store on disk, not graph.ttl
        load(path).store.add(ox.Quad(*(ox.NamedNode(f"urn:{x}") for x in "abc")))
    with serving(path, "oxigraph", timeout=1) as (endpoint, _):
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: ask(endpoint, SELECT), range(40)))
        assert all(
            status == 200 and labels(body) == ["乙职业学校", "甲职业学校"]
            for status, _, body in answers
        )
        status, _, body = ask(endpoint, HEAVY)
        assert status == 503 and "took longer than 1 s" in body
        assert labels(ask(endpoint, SELECT)[2]) == ["乙职业学校", "甲职业学校"]


#: A label doubled 30 times: 2^30 copies, gigabytes, built in a fraction of a second.
HUGE_STRING = (
    "SELECT (STRLEN(?l30) AS ?n) WHERE { ?s rdfs:label ?l0 . "
    + " ".join(f"BIND(CONCAT(?l{i}, ?l{i}) AS ?l{i + 1})" for i in range(30))
    + " }"
)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_over_the_memory_limit_is_stopped(big_graph_path, engine):
    with serving(big_graph_path, engine, max_memory=64) as (endpoint, _):
        status, _, body = ask(endpoint, HUGE_STRING)
        assert status == 503
        assert body.startswith("The query needed more than 64 MB of memory and was stopped - ")
        assert ask(endpoint, SELECT)[0] == 200


def test_a_query_that_waits_too_long_for_a_worker_is_told_so(big_graph_path):
    with serving(big_graph_path, workers=1, timeout=1) as (endpoint, _):
        heavy = ThreadPoolExecutor(2)
        first = heavy.submit(ask, endpoint, HEAVY)  # holds the one worker for 1 s
        time.sleep(0.2)
        second = heavy.submit(ask, endpoint, HEAVY)  # first in line: it gets the worker next
        time.sleep(0.2)
        status, _, body = ask(endpoint, SELECT)  # behind both: no worker within 1 s
        assert status == 503
        assert body == (
            "All 1 query workers stayed busy for 1 s - try again later, or restart kg serve "
            "with more --workers\n"
        )
        assert [f.result()[0] for f in (first, second)] == [503, 503]
        heavy.shutdown()
        assert ask(endpoint, SELECT)[0] == 200


def test_an_answer_over_the_row_limit_is_refused(big_graph_path):
    with serving(big_graph_path, max_rows=100) as (endpoint, _):
        status, ctype, body = ask(endpoint, "SELECT * WHERE { ?s ?p ?o }")
        assert (status, ctype) == (500, "text/plain")
        assert body == (
            "The answer has more than 100 rows and was refused - add LIMIT 100 or narrow the "
            "query, or restart kg serve with a higher --max-rows\n"
        )
        status, _, body = ask(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 100")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 100
        status, _, body = ask(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert status == 500 and "more than 100 triples" in body


def raw_post(endpoint: str, headers: str, body: bytes = b"") -> tuple[int, str]:
    """Send a request as given, bytes and all, and return the status and the body."""
    url = urllib.parse.urlsplit(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(
            f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n{headers}\r\n".encode() + body
        )
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    head, _, text = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), text.decode()


def test_a_malformed_content_length_is_a_400_without_a_traceback(endpoint, capfd):
    for length in ("abc", "-1", "1e3", ""):
        status, body = raw_post(
            endpoint,
            f"Content-Type: application/sparql-query\r\nContent-Length: {length}\r\n",
            b"ASK {}",
        )
        assert status == 400
        assert body == (
            f"Content-Length {length!r} is not a number of bytes - send the body's length\n"
        )
    status, _ = raw_post(
        endpoint, "Content-Type: application/sparql-query\r\nContent-Length: 6\r\n", b"ASK {}"
    )
    assert status == 200
    assert "Traceback" not in capfd.readouterr().err


def test_a_body_over_the_cap_is_a_413(big_graph_path, capfd):
    with serving(big_graph_path, max_body=1000) as (endpoint, _):
        query = "ASK { ?s ?p ?o }"
        fits = query + " " * (1000 - len(query))
        headers = {"Content-Type": "application/sparql-query"}
        assert fetch(endpoint, fits.encode(), headers)[0] == 200
        status, ctype, body = fetch(endpoint, (fits + " ").encode(), headers)
        assert (status, ctype) == (413, "text/plain")
        assert body == (
            "The request body has 1001 bytes, more than the 1000 kg serve takes - send a "
            "shorter query, or restart kg serve with a higher --max-body\n"
        )
        # a big one is read to its end, so the client sees the 413 rather than a reset
        assert fetch(endpoint, b" " * 5_000_000, headers)[0] == 413
        # one announced with Expect: 100-continue is refused before it is sent
        expect = "Content-Type: application/sparql-query\r\nExpect: 100-continue\r\n"
        assert raw_post(endpoint, expect + "Content-Length: 5000000\r\n")[0] == 413
        assert fetch(endpoint, fits.encode(), headers)[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def ask_ignoring_errors(endpoint: str, query: str) -> None:
    with contextlib.suppress(OSError):  # the server stops while the query runs
        ask(endpoint, query)


def kg_command() -> list[str]:
    """The kg entry point of this environment (kg.cli has no __main__ for python -m)."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from kg.cli import cli; cli()"]


def test_ctrl_c_stops_kg_serve_and_its_workers_within_a_second(big_graph_path):
    proc = subprocess.Popen(
        [*kg_command(), "serve", "--graph", str(big_graph_path), "--port", "0", "--timeout", "30"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        serving_line = proc.stderr.readline()
        assert "press Ctrl-C to stop" in serving_line, serving_line
        limits_line = proc.stderr.readline()
        assert limits_line == "Each query: at most 30 s, 10000 rows, 1024 MB; 4 at once\n"
        endpoint = re.search(r"http://\S+/sparql", serving_line).group(0)
        threading.Thread(target=ask_ignoring_errors, args=(endpoint, HEAVY), daemon=True).start()

        def workers() -> set[int]:  # the fork server and the child running the query
            fork_servers = children(proc.pid)
            return fork_servers | {c for f in fork_servers for c in children(f)}

        assert wait_for(lambda: len(workers()) >= 2, 10), "no worker ran the query"
        processes = workers()
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=5)
        assert time.monotonic() - started < 1.0
        assert wait_for(lambda: not any(alive(pid) for pid in processes), 1.0)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()
