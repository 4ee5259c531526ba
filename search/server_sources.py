"""The indexed JSON of many products at once, built on the cores the nodes leave free.

A rebuild builds the documents (transliteration keys, names) in a pool of processes, a chunk of
products per task, with a bounded number of chunks in flight, so that the client keeps up with
a cluster on other machines. A node on this machine needs a core of its own: with one on two
cores, the documents built in this process alone made a rebuild faster than two builders did.
A handful of products is built in this process: a pool only pays off from the second chunk.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from search.documents import SearchDocument
from search.documents import document_problem
from search.dsl import document_source

#: Products per task of the pool.
SOURCE_CHUNK = 500
#: Tasks queued per worker beyond the one it runs (bounds memory on a million products).
QUEUED_PER_WORKER = 2
#: Host names of this machine.
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class BuiltSource:
    """One product ready to send, or the reason it cannot be indexed."""

    id: int
    version: int
    source: dict[str, Any] | None
    problem: str | None = None


def build_sources(docs: list[SearchDocument]) -> list[BuiltSource]:
    """The sources of *docs*, in order (a task of the pool)."""
    built: list[BuiltSource] = []
    for doc in docs:
        problem = document_problem(doc)
        doc_id = doc.id if isinstance(doc.id, int) else 0
        if problem is not None:
            built.append(BuiltSource(doc_id, 0, None, problem))
        else:
            built.append(BuiltSource(doc_id, doc.version, document_source(doc)))
    return built


def default_workers(hosts: Iterable[str] = ()) -> int:
    """Processes building a rebuild's documents: one per core, one fewer if a node of *hosts*
    (``http://host:port``) runs on this machine."""
    cores = os.cpu_count() or 1
    local = any(urlsplit(host).hostname in LOOPBACK for host in hosts)
    return max(1, cores - 1 if local else cores)


def _chunks(docs: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    remaining = iter(docs)
    while chunk := list(itertools.islice(remaining, SOURCE_CHUNK)):
        yield chunk


def sources_of(docs: Iterable[SearchDocument], *, workers: int | None = None) -> Iterator[BuiltSource]:
    """Every document of *docs* built, in order; on *workers* processes past the first chunk."""
    chunks = _chunks(docs)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    count = workers or default_workers()
    if second is None or count < 2:
        for chunk in itertools.chain([first], [second] if second else [], chunks):
            yield from build_sources(chunk)
        return
    context = multiprocessing.get_context("spawn")  # no copy of the caller's connections or threads
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        pending: deque[Future[list[BuiltSource]]] = deque()
        for chunk in itertools.chain([first, second], chunks):
            pending.append(pool.submit(build_sources, chunk))
            if len(pending) >= count * (1 + QUEUED_PER_WORKER):
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
