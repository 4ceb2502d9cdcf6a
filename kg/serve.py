"""A local, read-only SPARQL 1.1 Protocol endpoint over one exported graph.

The standard library's http.server is enough for a single-user tool on loopback and adds no
dependency; the protocol part (query by GET or POST, results by Accept, updates and choices of
dataset refused) is small.

Every query runs in a process other than the server's, because a query that runs away must
really stop: a thread cannot be killed, a process can. Right after the graph is loaded, and before
the server has a socket or a thread, kg forks one *fork server*; it forks the children that answer
queries, each inheriting the loaded graph copy-on-write, and gives a child that answered quickly
the next query too. A child arms a kernel timer and a memory limit on itself for each query, so
neither a long Oxigraph call nor a growing rdflib loop can outlive `--timeout` or pass
`--max-memory`. Forking from the single-threaded fork server rather than from the threaded HTTP
server keeps the children free of locks that another thread held at the moment of the fork.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import io
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple, NoReturn
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError
from kg.query import KnowledgeBase, QueryResult, is_update, serialize_graph, write_result

__all__ = ["ENDPOINT", "Limits", "QueryWorkers", "SparqlServer", "make_server"]

ENDPOINT = "/sparql"

#: Protocol parameters that choose the RDF dataset. A kg graph is a single default graph, so a
#: request that names graphs is refused (400) rather than answered from a different dataset
#: than the one it asked for; FROM / FROM NAMED in the query text are refused the same way.
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")

#: media type -> kg.query format, for SELECT/ASK results; the first is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: media type -> format, for CONSTRUCT/DESCRIBE results; the first is the default.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
}

#: How long past --timeout the server waits for a worker's answer before giving up on it: the
#: worker's own timer has killed it by then.
GRACE = 0.5
#: A body over --max-body is still read (and dropped) up to this size, so that the client gets
#: the 413 instead of a connection reset; a larger one is cut off.
DISCARD_LIMIT = 64 * 2**20
#: Seconds a query runs at normal CPU priority; after that it yields to the newer ones.
YIELD_AFTER = 1.0
#: A child whose own pages pass this many bytes exits after its answer instead of taking another.
RETIRE_AFTER = 64 * 2**20
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Limits:
    """What one request may take from the server; `None` lifts a limit."""

    timeout: float = 10.0  # seconds a query may run (and wait for a free worker)
    max_body: int = 2**20  # bytes of a POST body
    max_rows: int | None = 10_000  # rows (or triples) of an answer
    max_memory: int | None = 1024  # MB a query may allocate on top of the loaded graph
    workers: int = 4  # queries running at once, each in its own process


class Reply(NamedTuple):
    status: int
    mtype: str
    body: bytes


def _text(status: HTTPStatus, message: str) -> Reply:
    return Reply(status, "text/plain", (message + "\n").encode("utf-8"))


# --------------------------------------------------------------------------- workers


class _FairSlots:
    """At most `n` holders at once, the others served in the order they came.

    threading.Semaphore lets a newcomer take the slot that a waiter was just woken for, so under
    load some requests wait many times longer than the rest; here a freed slot goes straight to
    the longest waiter.
    """

    def __init__(self, n: int) -> None:
        self._free = n
        self._lock = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            gate = threading.Lock()
            gate.acquire()
            self._waiting.append(gate)
        if gate.acquire(timeout=timeout):
            return True
        with self._lock:
            if gate in self._waiting:
                self._waiting.remove(gate)
                return False
        return True  # handed a slot just as the wait ended

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()  # the slot passes on without being freed
            else:
                self._free += 1


class QueryWorkers:
    """Runs each query in a child of a fork server that holds the loaded graph."""

    def __init__(self, kb: KnowledgeBase, limits: Limits) -> None:
        if not hasattr(os, "fork"):
            raise KgError(
                "kg serve runs each query in a forked process, which this system cannot do - "
                "run it on Linux (on Windows, under WSL)"
            )
        self.limits = limits
        _warm_up(kb)  # once here, rather than in every child
        self._slots = _FairSlots(limits.workers)
        kind = getattr(socket, "SOCK_SEQPACKET", socket.SOCK_STREAM)  # SEQPACKET: EOF on close
        self._control, theirs = socket.socketpair(socket.AF_UNIX, kind)
        sys.stdout.flush()  # nothing buffered may be written twice
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            self._control.close()
            _fork_server(theirs, kb, limits)
        theirs.close()
        self._pid: int | None = pid
        with contextlib.suppress(OSError):  # it may have done so already, and exited
            os.setpgid(pid, pid)  # the fork server does the same: whichever runs first wins

    def run(self, query: str, accept: str) -> Reply:
        """The answer to one query, or a one-line error when a limit stopped it."""
        limits = self.limits
        if not self._slots.acquire(timeout=limits.timeout):
            return _text(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"All {limits.workers} query workers stayed busy for {limits.timeout:g} s - "
                "try again later, or restart kg serve with more --workers",
            )
        try:
            return self._ask_worker(query, accept)
        finally:
            self._slots.release()

    def _ask_worker(self, query: str, accept: str) -> Reply:
        started = time.monotonic()
        deadline = started + self.limits.timeout + GRACE
        request = json.dumps({"query": query, "accept": accept}).encode("utf-8")
        ours, theirs = socket.socketpair()
        with ours:
            try:
                with theirs:
                    socket.send_fds(self._control, [b"q"], [theirs.fileno()])
            except OSError:
                return _text(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    "The query workers have stopped - restart kg serve",
                )
            try:
                ours.settimeout(max(deadline - time.monotonic(), 0.001))
                ours.sendall(request)
                ours.shutdown(socket.SHUT_WR)
                data = _read_to_end(ours, deadline)
            except TimeoutError:
                return self._timed_out()
            except OSError:
                data = b""  # the worker died while reading the query
        reply = _unframe(data)
        if reply is not None:
            return reply
        if time.monotonic() - started >= self.limits.timeout:
            return self._timed_out()  # killed by its own timer
        return self._died()

    def _timed_out(self) -> Reply:
        return _text(
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"The query took longer than {self.limits.timeout:g} s and was stopped - narrow it "
            "(LIMIT, fewer unbound patterns) or restart kg serve with a higher --timeout",
        )

    def _died(self) -> Reply:
        if self._pid is None:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, "kg serve is stopping - no more answers")
        if self.limits.max_memory is None:
            return _text(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "The worker running the query stopped without an answer - see kg serve's stderr",
            )
        return _too_much_memory(self.limits.max_memory)  # Rust aborts when an allocation fails

    def close(self) -> None:
        """Stop the fork server and every query still running (they share its process group)."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        self._control.close()
        with contextlib.suppress(OSError):  # already gone
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _warm_up(kb: KnowledgeBase) -> None:
    """Parse the graph and load the query and result code in the parent, so children fork warm.

    The first query through rdflib costs ~100 ms of imports and parser set-up; done once here,
    every child inherits it instead of paying it.
    """
    probe = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    for engine in {kb.engine, "oxigraph"}:
        result = kb.query(probe, engine=engine)
        for fmt in ("json", "xml", "csv"):
            _render(result, fmt)


def _fork_server(control: socket.socket, kb: KnowledgeBase, limits: Limits) -> NoReturn:
    """Serve queries with children of this process until the server closes `control`."""
    try:
        os.setpgid(0, 0)  # a group of its own, which close() kills at once, children included
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
        gc.freeze()  # children's collections then skip the graph's millions of objects
        _ForkServer(control, kb, limits).run()
    except BaseException:  # noqa: BLE001 - a bug here must be seen, and the process must end
        traceback.print_exc()
    finally:
        if os.getpgrp() == os.getpid():
            os.killpg(0, signal.SIGKILL)  # queries still running end with us
        os._exit(1)


@dataclass
class _Child:
    pid: int
    chan: socket.socket  # our end of the socket pair the child takes queries on
    busy_since: float | None  # None: idle, waiting for a query
    yielded: bool = False  # dropped to the lowest priority: it is not given another query


class _ForkServer:
    """Hands each query to an idle child, or forks a new one.

    A child that answered quickly and stayed small waits for the next query: forking and the
    copy-on-write faults of a fresh child cost more than most queries (~5 ms against 0.1 ms
    through Oxigraph). A child still busy after YIELD_AFTER seconds drops to the lowest CPU
    priority, so heavy queries run on the time quick ones leave; it exits after its answer. The
    children are reaped here, so a pid this loop renices is always one of its own.
    """

    def __init__(self, control: socket.socket, kb: KnowledgeBase, limits: Limits) -> None:
        self.control = control
        self.kb = kb
        self.limits = limits
        self.children: dict[socket.socket, _Child] = {}

    def run(self) -> None:
        while True:
            ready = select.select([self.control, *self.children], [], [], self._yield_slow())[0]
            for sock in ready:
                if sock is not self.control:
                    self._hear_from(self.children[sock])
                elif not self._take_query():
                    return  # the server has gone
            self._reap()

    def _take_query(self) -> bool:
        msg, fds, _, _ = socket.recv_fds(self.control, 1, 1)
        if not msg:
            return False
        for fd in fds:
            try:
                self._hand_over(fd)
            finally:
                os.close(fd)  # the child holds its own copy
        return True

    def _hand_over(self, fd: int) -> None:
        for child in self.children.values():
            if child.busy_since is None:
                try:
                    socket.send_fds(child.chan, [b"q"], [fd])
                except OSError:
                    self._drop(child)  # it has just exited; _reap collects it
                    break
                child.busy_since = time.monotonic()
                return
        self._fork(fd)

    def _fork(self, fd: int) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, self.control.type)
        try:
            pid = os.fork()
        except OSError:
            ours.close()  # the server sees the query's socket close: no answer
            theirs.close()
            return
        if pid == 0:
            for sock in (self.control, ours, *self.children):
                sock.close()
            _query_child(theirs, fd, self.kb, self.limits)
        theirs.close()
        self.children[ours] = _Child(pid, ours, time.monotonic())

    def _hear_from(self, child: _Child) -> None:
        """A child reports that it is idle, or has exited (its end of the pair closed)."""
        idle = sum(c.busy_since is None for c in self.children.values())
        try:
            said = child.chan.recv(1)
        except OSError:
            said = b""
        if said and not child.yielded and idle < self.limits.workers:
            child.busy_since = None
        else:
            self._drop(child)  # its socket closing tells it to exit

    def _drop(self, child: _Child) -> None:
        del self.children[child.chan]
        child.chan.close()

    def _yield_slow(self) -> float | None:
        """Renice the children busy for too long; the seconds until the next is due."""
        now = time.monotonic()
        due = []
        for child in self.children.values():
            if child.busy_since is None or child.yielded:
                continue
            if now - child.busy_since < YIELD_AFTER:
                due.append(child.busy_since + YIELD_AFTER - now)
                continue
            with contextlib.suppress(OSError):  # it may have just exited
                os.setpriority(os.PRIO_PROCESS, child.pid, 19)
            child.yielded = True
        return min(due, default=None)

    def _reap(self) -> None:
        with contextlib.suppress(ChildProcessError):  # no child left
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass


def _query_child(chan: socket.socket, fd: int, kb: KnowledgeBase, limits: Limits) -> NoReturn:
    """Answer queries, the first on `fd`, the next ones handed over on `chan`; then exit.

    The process stops serving after an answer that leaves it unfit for another: one that ran
    out of memory or hit a bug, or once its own pages (copies of the graph's pages that
    refcounts touched, and what it allocated) pass RETIRE_AFTER bytes.
    """
    code = 1
    try:
        # The kernel's default action for SIGALRM ends the process, even inside a Rust call.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        sys.unraisablehook = _quiet_memory_errors
        # Rust aborts when an allocation fails under --max-memory: an end the server reports,
        # not a crash whose Python stack is worth dumping (pytest turns the dump on)
        faulthandler.disable()
        import resource

        page = resource.getpagesize()
        next_fd: int | None = fd
        while next_fd is not None:
            fit = _answer_one(next_fd, kb, limits)
            if not fit or resource.getrusage(resource.RUSAGE_SELF).ru_minflt * page > RETIRE_AFTER:
                break
            chan.send(b"i")
            msg, fds, _, _ = socket.recv_fds(chan, 1, 1)
            next_fd = fds[0] if msg and fds else None
        code = 0
    except OSError:
        pass  # the server stopped waiting, or the fork server has gone
    except BaseException:  # noqa: BLE001 - a bug: keep its traceback on the server's stderr
        traceback.print_exc()
    finally:
        os._exit(code)


def _quiet_memory_errors(unraisable) -> None:
    """Drop the MemoryErrors that rdflib's generators raise again as they close: one is enough."""
    if not isinstance(unraisable.exc_value, MemoryError):
        sys.__unraisablehook__(unraisable)


def _answer_one(fd: int, kb: KnowledgeBase, limits: Limits) -> bool:
    """Answer the one query sent on `fd`; False if this process should not answer another."""
    with socket.socket(fileno=fd) as conn:
        signal.setitimer(signal.ITIMER_REAL, limits.timeout)
        _cap_memory(limits.max_memory)
        request = json.loads(_read_to_end(conn, None))
        fit = False
        try:
            reply = _execute(kb, limits, request["query"], request["accept"])
            fit = True
        except MemoryError:
            reply = _too_much_memory(limits.max_memory)
        except Exception:  # noqa: BLE001 - a bug: the client gets a line, stderr the traceback
            traceback.print_exc()
            reply = _text(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "kg serve hit a bug running this query - its traceback is on kg serve's "
                "stderr; please report it",
            )
        conn.sendall(_frame(reply))
        signal.setitimer(signal.ITIMER_REAL, 0)
    return fit


def _cap_memory(megabytes: int | None) -> None:
    """Let this process grow by at most `megabytes` beyond what it holds now (the graph)."""
    if megabytes is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/statm") as statm:  # Linux: the address space RLIMIT_AS counts
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return  # elsewhere RLIMIT_AS is not what bounds memory
    cap = used + megabytes * 2**20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))  # the soft limit: raised again next time


def _execute(kb: KnowledgeBase, limits: Limits, text: str, accept: str) -> Reply:
    try:
        result = kb.query(text)
    except KgError as exc:
        return _text(HTTPStatus.BAD_REQUEST, str(exc))
    if limits.max_rows is not None and result.kind != "ask" and len(result) > limits.max_rows:
        noun = "triples" if result.kind == "graph" else "rows"
        return _text(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            f"The answer has more than {limits.max_rows} {noun} and was refused - add "
            f"LIMIT {limits.max_rows} or narrow the query, or restart kg serve with a "
            "higher --max-rows",
        )
    offered = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
    mtype = _negotiate(accept, offered)
    if mtype is None:
        return _text(HTTPStatus.NOT_ACCEPTABLE, "Acceptable types: " + ", ".join(offered))
    return Reply(HTTPStatus.OK, mtype, _render(result, offered[mtype]))


def _too_much_memory(megabytes: int | None) -> Reply:
    return _text(
        HTTPStatus.SERVICE_UNAVAILABLE,
        f"The query needed more than {megabytes} MB of memory and was stopped - narrow it "
        "(LIMIT, fewer unbound patterns) or restart kg serve with a higher --max-memory",
    )


def _frame(reply: Reply) -> bytes:
    """A reply as a header line and a body whose length the header states."""
    return f"{int(reply.status)} {reply.mtype} {len(reply.body)}\n".encode("ascii") + reply.body


def _unframe(data: bytes) -> Reply | None:
    """The reply in `data`, or None when the worker died before writing all of it."""
    head, sep, body = data.partition(b"\n")
    fields = head.decode("ascii", errors="replace").split(" ")
    if not sep or len(fields) != 3 or not fields[2].isdigit() or len(body) != int(fields[2]):
        return None
    return Reply(int(fields[0]), fields[1], body)


def _read_to_end(conn: socket.socket, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while True:
        if deadline is not None:
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
        chunk = conn.recv(1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


# --------------------------------------------------------------------------- HTTP


def _negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The offered media type the Accept header likes best (q-values honoured), or None."""
    default = next(iter(offered))
    if not accept.strip():
        return default
    choices = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, order, mtype))
    for _, _, mtype in sorted(choices):
        if mtype in offered:
            return mtype
        if mtype in ("*/*", "application/*", "text/*"):
            major = mtype.split("/")[0]
            for m in offered:
                if major == "*" or m.startswith(major + "/"):
                    return m
    return None


class SparqlServer(ThreadingHTTPServer):
    """The HTTP side: one thread per connection, each query handed to `workers`."""

    daemon_threads = True
    #: socketserver's default of 5 makes a burst of clients wait for a SYN retry, 1 s later
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], workers: QueryWorkers) -> None:
        self.workers = workers
        super().__init__(address, _Handler)

    def server_close(self) -> None:
        super().server_close()
        self.workers.close()

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client that hung up or stalled: nothing to report
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql/1"
    timeout = 30  # seconds a client may stall while sending or receiving

    def log_message(self, format: str, *args) -> None:
        pass  # quiet: the CLI prints where it serves, tests need no access log

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            return self._send_text(HTTPStatus.NOT_FOUND, f"Not found - the endpoint is {ENDPOINT}")
        self._answer_form(parse_qs(url.query, keep_blank_values=True), "parameter - ?query=SELECT...")

    def _answer_form(self, form: dict[str, list[str]], how: str) -> None:
        """A query sent as a URL query string or a form body: both are read the same way."""
        if "update" in form:
            return self._refuse_update()
        if _names_a_dataset(form):
            return self._refuse_dataset()
        queries = form.get("query", [])
        if len(queries) != 1:
            return self._send_text(HTTPStatus.BAD_REQUEST, f"Give exactly one query {how}")
        self._answer(queries[0])

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        if url.path != ENDPOINT:
            return self._send_text(HTTPStatus.NOT_FOUND, f"Not found - the endpoint is {ENDPOINT}")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        if _names_a_dataset(parse_qs(url.query, keep_blank_values=True)):
            return self._refuse_dataset()
        if ctype == "application/sparql-query":
            return self._answer(body)
        if ctype == "application/x-www-form-urlencoded":
            return self._answer_form(parse_qs(body, keep_blank_values=True), "field - query=SELECT...")
        self._send_text(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "Send application/sparql-query or application/x-www-form-urlencoded",
        )

    def _read_body(self) -> str | None:
        """The POST body, or None once a 400 or 413 has been sent in its place."""
        values = self.headers.get_all("Content-Length") or ["0"]
        if len(set(values)) > 1 or not _DIGITS.fullmatch(values[0].strip()):
            self.close_connection = True  # where the body ends is unknown
            shown = ", ".join(values)
            self._send_text(
                HTTPStatus.BAD_REQUEST,
                f"Content-Length {shown!r} is not a number of bytes - send the body's length",
            )
            return None
        length = int(values[0])
        cap = self.server.workers.limits.max_body
        # curl asks before sending a body over 1 MB, and waits a second for no answer
        expects = (self.headers.get("Expect") or "").lower() == "100-continue"
        if length > cap:
            if not expects:
                self._discard(length)
            self.close_connection = True
            self._send_text(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"The request body has {length} bytes, more than the {cap} kg serve takes - send "
                "a shorter query, or restart kg serve with a higher --max-body",
            )
            return None
        if expects and self.request_version >= "HTTP/1.1":
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
        return self.rfile.read(length).decode("utf-8", errors="replace")

    def _discard(self, length: int) -> None:
        """Read a refused body and drop it, so the client is not reset before it sees why."""
        left = length if length <= DISCARD_LIMIT else 0
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)

    def do_PUT(self) -> None:
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT

    def _refuse_update(self) -> None:
        self._send_text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: updates are refused")

    def _refuse_dataset(self) -> None:
        self._send_text(
            HTTPStatus.BAD_REQUEST,
            "This endpoint serves one graph (the default graph): default-graph-uri and "
            "named-graph-uri are not supported - drop them",
        )

    def _answer(self, text: str) -> None:
        if is_update(text):
            return self._refuse_update()
        self._send(*self.server.workers.run(text, self.headers.get("Accept", "")))

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(*_text(status, message))

    def _send(self, status: int, mtype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{mtype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _names_a_dataset(form: dict[str, list[str]]) -> bool:
    """Whether a request picks graphs (SPARQL Protocol 2.1.4); empty values pick nothing."""
    return any(v.strip() for k in DATASET_PARAMS for v in form.get(k, []))


def _render(result: QueryResult, fmt: str) -> bytes:
    if result.kind == "graph":
        assert result.graph is not None  # a graph result always holds its graph
        return serialize_graph(result.graph, fmt).encode("utf-8")
    out = io.StringIO()
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        out.write("_askResult\n" if fmt == "csv" else "?_askResult\n")
    write_result(result, fmt, out)
    return out.getvalue().encode("utf-8")


def make_server(
    kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None
) -> SparqlServer:
    """A server bound to host:port (port 0: a free one); call serve_forever() to run it.

    Its query workers start here, before the listening socket exists, so that they hold no copy
    of it; server_close() stops them.
    """
    workers = QueryWorkers(kb, limits or Limits())
    try:
        return SparqlServer((host, port), workers)
    except BaseException:
        workers.close()
        raise
