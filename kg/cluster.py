"""Extraction on a Dask cluster: `kg build --cluster tcp://SCHEDULER:8786`.

Extraction is a pure function of one report, nine tenths of a build, and its result is small;
merging, resolution and export need the whole graph and stay on the driver. Dask's
distributed scheduler fits that map exactly: `Client.map` over the reports and `gather` in
their order, so the graph has the same bytes as a local build. It is an optional extra
(`pip install -e '.[cluster]'`); every worker needs the same kg installed, and kg checks that
before sending any report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kg.batch import extract_one, fingerprint
from kg.errors import KgError
from kg.model import Extraction, Report

__all__ = ["ClusterError", "extract_on_cluster"]

#: How long to wait for the scheduler and its first worker.
CONNECT_TIMEOUT_S = 20


class ClusterError(KgError):
    """The cluster cannot be used: unreachable, without workers, or running another kg."""


def extract_on_cluster(reports: Sequence[Report], address: str) -> Iterator[Extraction | Exception]:
    """Each report's extraction, in the order given, computed by the cluster's workers."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--cluster needs Dask's distributed scheduler - install it with pip install -e '.[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(
            f"cannot reach a Dask scheduler at {address} ({error}) - start one with"
            " `dask scheduler` and `dask worker ADDRESS`, or check the address"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except TimeoutError:
            raise ClusterError(
                f"the scheduler at {address} has no worker - start one with `dask worker {address}`"
            ) from None
        versions = client.run(fingerprint)
        other = sorted(worker for worker, version in versions.items() if version != fingerprint())
        if other:
            raise ClusterError(
                f"{len(other)} of {len(versions)} workers run another version of kg ({other[0]} …)"
                " - install this kg on every worker"
            )
        # pure=False: two reports with the same text are still two tasks, as locally
        futures = client.map(extract_one, list(reports), pure=False)
        yield from client.gather(futures, errors="raise")
