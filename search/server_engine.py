"""The search engine over an Elasticsearch or OpenSearch cluster, minus the client library.

:class:`ServerEngine` does everything the :class:`search.SearchEngine` protocol asks through a
small :class:`Backend` (one REST call, the client's bulk and scroll helpers, error mapping);
``search.elastic`` and ``search.opensearch`` provide the two backends. The live index is a
versioned index (``<alias>-<timestamp>``) behind an alias, so a rebuild loads a new index
and swaps the alias in one atomic request. While it loads, the new index carries a second
alias (``<alias>-loading``) and every write goes to both; documents carry the product
version as an external version, so a stale copy never replaces a newer one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import Protocol
from urllib.parse import quote

from search.documents import MAX_QUERY_LENGTH
from search.documents import BulkReport
from search.documents import EngineHealth
from search.documents import InvalidQuery
from search.documents import SearchDocument
from search.documents import SearchError
from search.documents import SearchQuery
from search.documents import SearchResult
from search.documents import SearchUnavailable
from search.documents import Suggestion
from search.documents import query_problem
from search.dsl import index_body
from search.dsl_query import suggest_body
from search.dsl_results import suggestions_from
from search.server_search import answer
from search.server_sources import BuiltSource
from search.server_sources import build_sources
from search.server_sources import sources_of
from search.synonym_context import applied

log = logging.getLogger(__name__)

#: Default alias the catalog searches.
DEFAULT_ALIAS = "tianshan-products"
#: Documents per bulk request.
BULK_CHUNK = 500
#: A rebuild's bulk requests: documents at most, bytes at most, and how many are in flight.
REBUILD_CHUNK = 1500
BULK_BYTES = 10 * 2**20
BULK_THREADS = 2
#: Seconds one of a rebuild's bulk requests may take (several megabytes to a busy node).
REBUILD_TIMEOUT = 120
#: Longest failure reason kept per document.
MAX_REASON = 300
#: Every search asks the shard request cache, hits included (by default only ``size: 0`` requests
#: are kept). Each shard drops its entries when it refreshes, so no answer outlives a change; a
#: text asked again before then (a hot query during a show, a category browsed by many viewers)
#: skips the query phase. ``request_cache=false`` in the engine's options turns it off for every
#: request (the benchmark's default, to time each query's work).
SEARCH_PARAMS = {"request_cache": "true"}
UNCACHED_SEARCH_PARAMS = {"request_cache": "false"}
#: HTTP statuses that blame the cluster (overloaded, not ready, shards unavailable), not a request.
UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})


def bulk_stream(
    helpers: Any,
    client: Any,
    actions: Iterable[dict[str, Any]],
    *,
    refresh: str | None,
    parallel: bool,
    retries: int,
    rebuild_client: Any = None,
    rebuild_options: Mapping[str, Any] | None = None,
) -> Iterator[tuple[bool, dict[str, Any]]]:
    """``(ok, item)`` per action through a client's bulk *helpers* (both clients name them alike).

    *parallel* (a rebuild) sends requests of up to :data:`REBUILD_CHUNK` documents and
    :data:`BULK_BYTES`, :data:`BULK_THREADS` at a time, through *rebuild_client* or with
    *rebuild_options* (the clients set a request's timeout apart: a rebuild's requests get
    :data:`REBUILD_TIMEOUT`); otherwise one request of :data:`BULK_CHUNK` after another,
    retrying what the cluster was too busy to take.
    """
    extra: dict[str, Any] = {"refresh": refresh} if refresh else {}
    if parallel:
        extra.update(rebuild_options or {})
        stream: Iterator[tuple[bool, dict[str, Any]]] = helpers.parallel_bulk(
            rebuild_client or client,
            actions,
            thread_count=BULK_THREADS,
            chunk_size=REBUILD_CHUNK,
            max_chunk_bytes=BULK_BYTES,
            raise_on_error=False,
            **extra,
        )
    else:
        stream = helpers.streaming_bulk(
            client, actions, chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=retries, **extra
        )
    return stream


class IndexMissing(SearchError):
    """The index or alias does not exist (HTTP 404 from the engine)."""


def rejection(engine: str, status: int | None, info: object, message: str, what: str) -> SearchError:
    """Our error for an engine's error answer: missing index, overload (unavailable) or a refusal."""
    body = info if isinstance(info, Mapping) else {}
    detail = body.get("error", {}) if isinstance(body.get("error"), Mapping) else {}
    reason = detail.get("reason") or message
    causes = detail.get("root_cause")
    cause = causes[0] if isinstance(causes, list) and causes and isinstance(causes[0], Mapping) else {}
    if cause.get("reason") and cause["reason"] != reason:  # "all shards failed": say why
        reason = f"{reason}: {cause['reason']}"
    if status == 404:
        return IndexMissing(f"{engine}: {what} not found ({reason})")
    if status in UNAVAILABLE_STATUSES:
        return SearchUnavailable(f"{engine} is overloaded or not ready ({status}): {reason}")
    return SearchError(f"{engine} rejected {what} ({status} {detail.get('type', '')}): {reason}")


class Backend(Protocol):
    """What :class:`ServerEngine` needs from a client library."""

    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, str] | None = None
    ) -> Any:
        """One REST call; raise SearchUnavailable, IndexMissing or SearchError on failure."""
        ...

    def bulk(
        self, actions: Iterable[dict[str, Any]], *, refresh: str | None = None, parallel: bool = False
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        """Stream *actions* through the client's bulk helper; per-document failures are yielded.

        *parallel* (a rebuild) sends requests of up to :data:`BULK_BYTES`, :data:`BULK_THREADS`
        at a time, in any order.
        """
        ...

    def scan(self, index: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every hit of *body* over *index* (the client's scroll helper)."""
        ...

    def close(self) -> None:
        """Release the connections."""
        ...


def _reason(item: Mapping[str, Any]) -> str:
    """A readable failure reason from one bulk response item (cut to a readable length)."""
    text = _full_reason(item)
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _full_reason(item: Mapping[str, Any]) -> str:
    details: Any = next(iter(item.values()), {}) if item else {}
    error = details.get("error") if isinstance(details, Mapping) else None
    if isinstance(error, Mapping):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    if error:
        return str(error)
    return f"status {details.get('status', '?')}" if isinstance(details, Mapping) else str(item)


def _item_id(item: Mapping[str, Any]) -> int:
    details: Any = next(iter(item.values()), {})
    return int(details.get("_id", 0))


def _item_status(item: Mapping[str, Any]) -> int:
    details: Any = next(iter(item.values()), {})
    return int(details.get("status", 0))


def _cluster_unavailable(engine: str, items: Sequence[Mapping[str, Any]]) -> SearchUnavailable:
    """The error for bulk items the cluster could not take (the first one's reason)."""
    first = items[0]
    return SearchUnavailable(
        f"{engine} could not take {len(items)} bulk items ({_item_status(first)}): {_reason(first)}"
    )


def search_preference(asked: SearchQuery | str) -> str:
    """The ``preference`` of a search or a type-ahead text, which picks the shard copies it asks.

    The same text and filters always ask the same copy of each shard, where the cached answer is
    (with replicas, another copy would compute it again), whatever the reader's locale, page or
    facets, so every request of a search and of its pages reads that copy (never one copy's count
    and another's hits). Other texts hash to other copies, so the load is still shared.
    """
    if isinstance(asked, SearchQuery):
        filters = (asked.origin_countries, asked.categories, asked.booths, asked.tax_refund)
        key = repr((asked.text.strip(), filters, asked.price_min_cny, asked.price_max_cny))
    else:
        key = asked.strip()
    return "q" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class ServerEngine:
    """A :class:`search.SearchEngine` over one Elasticsearch or OpenSearch cluster."""

    name = "server"

    def __init__(
        self,
        backend: Backend,
        *,
        alias: str = DEFAULT_ALIAS,
        shards: int = 1,
        replicas: int = 0,
        builders: int | None = None,
        request_cache: bool = True,
    ) -> None:
        """*builders*: processes building a rebuild's documents (default: one per core);
        *request_cache*: whether searches ask the shard request cache."""
        if not alias or alias != alias.lower() or any(c in alias for c in ' "*\\<|,>/?'):
            raise ValueError(f'index name {alias!r} must be lowercase without spaces or /,*?"<>|\\')
        self.backend = backend
        self.alias = alias
        self.shards = shards
        self.replicas = replicas
        self.builders = builders
        self.search_params = SEARCH_PARAMS if request_cache else UNCACHED_SEARCH_PARAMS
        self._said_without_positions = False  # logged once, not on every keystroke

    # -- index lifecycle -------------------------------------------------------------------

    def _new_index_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    @property
    def loading_alias(self) -> str:
        """The alias a rebuild puts on the index it is loading, so writes reach it too."""
        return f"{self.alias}-loading"

    def _aliases(self) -> dict[str, list[str]]:
        """``{alias: [indices]}`` for the live and the loading alias (absent ones left out)."""
        answer = self.backend.request("GET", f"/_alias/{quote(self.alias)}*")
        found: dict[str, list[str]] = {}
        for index, data in sorted(answer.items()):
            for name in data.get("aliases", {}):
                if name in (self.alias, self.loading_alias):
                    found.setdefault(name, []).append(index)
        return found

    def live_indices(self) -> list[str]:
        """The concrete indices the alias points to (empty when it is missing)."""
        return self._aliases().get(self.alias, [])

    def ensure_index(self) -> None:
        """Create the first versioned index and point the alias at it, if there is none."""
        self._write_targets()

    def _write_targets(self) -> list[str]:
        """The live index, creating it if needed, and any index a rebuild is loading."""
        aliases = self._aliases()
        if not aliases.get(self.alias):
            name = self._new_index_name()
            body = index_body(shards=self.shards, replicas=self.replicas)
            body["aliases"] = {self.alias: {}}
            self._create(name, body)
            aliases = self._aliases()
            live = aliases.get(self.alias, [])
            if len(live) > 1 and name != live[0]:
                # another process created the index at the same moment: keep the older one
                remove = {"actions": [{"remove_index": {"index": name}}]}
                self.backend.request("POST", "/_aliases", remove)
                aliases[self.alias] = [live[0]]
        return [*aliases.get(self.alias, []), *aliases.get(self.loading_alias, [])]

    def _create_loading_index(self) -> str:
        name = self._new_index_name()
        body = index_body(shards=self.shards, replicas=0, refresh_interval="-1")
        body["aliases"] = {self.loading_alias: {}}
        self._create(name, body)
        return name

    def _create(self, name: str, body: dict[str, Any]) -> None:
        """Create index *name*; a request retried after a timeout may find it made already."""
        try:
            self.backend.request("PUT", f"/{name}", body, {"wait_for_active_shards": "1"})
        except SearchError as error:
            if "resource_already_exists_exception" not in str(error):
                raise

    def _orphans(self) -> list[str]:
        """Versioned indices of this alias that carry neither the live nor the loading alias."""
        prefix = f"{self.alias}-"
        rows = self.backend.request(
            "GET", f"/_cat/indices/{quote(prefix)}*", None, {"format": "json", "h": "index"}
        )
        listed = {str(row["index"]) for row in rows}  # listed first: an index made later is not judged
        aliased = {name for names in self._aliases().values() for name in names}
        return sorted(n for n in listed - aliased if n.startswith(prefix) and n[len(prefix) :].isdigit())

    def _drop(self, indices: Sequence[str]) -> None:
        for name in indices:
            with contextlib.suppress(IndexMissing):
                self.backend.request("DELETE", f"/{name}")

    # -- writes ----------------------------------------------------------------------------

    def _actions(
        self, built: Iterable[BuiltSource], targets: Sequence[str], failed: dict[int, str]
    ) -> Iterator[dict[str, Any]]:
        for doc in built:
            if doc.source is None:
                failed[doc.id] = doc.problem or "not indexable"
                continue
            for target in targets:
                # external versions: a stale copy never replaces a newer one, in any order
                yield {
                    "_op_type": "index",
                    "_index": target,
                    "_id": str(doc.id),
                    "version": doc.version,
                    "version_type": "external_gte",
                    "_source": doc.source,
                }

    def _load(
        self,
        built: Iterable[BuiltSource],
        targets: Sequence[str],
        *,
        refresh: str | None,
        progress: Callable[[int], None] | None = None,
        whole: bool = False,
        parallel: bool = False,
    ) -> BulkReport:
        """Bulk-write *docs* to every target; ``indexed`` counts distinct documents written.

        With *whole*, an item the cluster could not take (:data:`UNAVAILABLE_STATUSES`) raises
        :class:`SearchUnavailable` once the bulk is through, instead of counting as that
        document's failure: the document is not at fault, and the caller retries them all.
        """
        failed: dict[int, str] = {}
        written: set[int] = set()
        unavailable: list[Mapping[str, Any]] = []
        loaded = 0
        actions = self._actions(built, targets, failed)
        for ok, item in self.backend.bulk(actions, refresh=refresh, parallel=parallel):
            if ok or _item_status(item) == 409:  # 409: the index already holds a newer version
                loaded += 1
                written.add(_item_id(item))
                if progress is not None and loaded % BULK_CHUNK == 0:
                    progress(loaded)
            elif whole and _item_status(item) in UNAVAILABLE_STATUSES:
                unavailable.append(item)
            else:
                failed.setdefault(_item_id(item), _reason(item))
        if unavailable:
            raise _cluster_unavailable(self.name, unavailable)
        if progress is not None and loaded % BULK_CHUNK:
            progress(loaded)
        return BulkReport(indexed=len(written - set(failed)), failed=tuple(failed.items()))

    def index(self, docs: Sequence[SearchDocument]) -> BulkReport:
        """Insert or replace *docs* in the live index; visible to search on return.

        While a rebuild runs, the index it is loading gets the same writes.
        """
        return self._load(build_sources(list(docs)), self._write_targets(), refresh="true", whole=True)

    def delete(self, ids: Sequence[int]) -> BulkReport:
        """Remove *ids* from the live index (and a loading one); unknown ids are not an error."""
        targets = self._write_targets()
        actions = ({"_op_type": "delete", "_index": target, "_id": str(i)} for i in ids for target in targets)
        refused = [
            item
            for ok, item in self.backend.bulk(actions, refresh="true")
            if not ok and _item_status(item) != 404
        ]
        unavailable = [item for item in refused if _item_status(item) in UNAVAILABLE_STATUSES]
        if unavailable:
            raise _cluster_unavailable(self.name, unavailable)
        failed = {_item_id(item): _reason(item) for item in refused}
        return BulkReport(indexed=len(set(ids) - set(failed)), failed=tuple(failed.items()))

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> BulkReport:
        """Load *docs* into a new index, verify its count, swap the alias, drop the old index."""
        new = self._create_loading_index()
        try:
            built = sources_of(docs, workers=self.builders)
            report = self._load(built, [new], refresh=None, progress=progress, parallel=True)
            settings = {"index": {"refresh_interval": "1s", "number_of_replicas": self.replicas}}
            self.backend.request("PUT", f"/{new}/_settings", settings)
            self.backend.request("POST", f"/{new}/_refresh")
            counted = int(self.backend.request("GET", f"/{new}/_count")["count"])
            stats = self.backend.request("GET", f"/{new}/_stats/indexing")
            deleted = int(stats["_all"]["primaries"]["indexing"]["delete_total"])
            # writes made meanwhile may add documents; deletes made meanwhile remove some
            if counted + deleted < report.indexed:
                raise SearchError(
                    f"rebuild check failed: {report.indexed} documents were loaded into {new} "
                    f"but it holds {counted}; the live index was left as it was"
                )
            self.backend.request(
                "GET", f"/_cluster/health/{new}", None, {"wait_for_status": "yellow", "timeout": "30s"}
            )
            aliases = self._aliases()
            old = aliases.get(self.alias, [])
            actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
            actions.append({"add": {"index": new, "alias": self.alias}})
            actions.append({"remove": {"index": new, "alias": self.loading_alias}})
            self.backend.request("POST", "/_aliases", {"actions": actions})
        except BaseException:
            self._drop([new])
            raise
        # older loads that never finished, and old indices a rebuild swapped out but did not
        # live to drop (both left by a rebuild that died), are of no use any more
        stale = [name for name in aliases.get(self.loading_alias, []) if name < new]
        leftovers = dict.fromkeys([*old, *stale, *self._orphans()])
        self._drop([name for name in leftovers if name != new])
        return report

    # -- reads -----------------------------------------------------------------------------

    def _search(self, body: dict[str, Any], *, preference: str | None = None) -> dict[str, Any]:
        """One search request; *preference* (see :func:`search_preference`) picks the shard copies."""
        params = (
            self.search_params if preference is None else {**self.search_params, "preference": preference}
        )
        try:
            answer: dict[str, Any] = self.backend.request("POST", f"/{self.alias}/_search", body, params)
        except IndexMissing as error:
            raise SearchError(
                f"the {self.name} index {self.alias!r} does not exist yet: run a reindex first"
            ) from error
        return answer

    def search(self, query: SearchQuery) -> SearchResult:
        """Run *query* (see :mod:`search.server_search`), as the embedded engine would answer it."""
        problem = query_problem(query)
        if problem is not None:
            raise InvalidQuery(problem)
        preference = search_preference(query)
        with applied(query.synonyms):
            return answer(lambda body: self._search(body, preference=preference), query)

    def suggest(self, text: str, *, locales: Sequence[str], limit: int = 10) -> list[Suggestion]:
        """Product names completing *text* (from its second letter), popular first."""
        if len(text) > MAX_QUERY_LENGTH:
            raise InvalidQuery(
                f"suggest text is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}"
            )
        if limit < 1:
            raise InvalidQuery(f"limit must be at least 1, got {limit}")
        if len(text.strip()) < 2:
            return []
        body = suggest_body(text, limit)
        preference = search_preference(text)
        try:
            response = self._search(body, preference=preference)
        except SearchError as error:
            if "aggs" not in body or "without position data" not in str(error):
                raise
            # an index built before the names' words kept their positions (until the next
            # rebuild): the names holding the typed words in a row are not asked for apart
            if not self._said_without_positions:
                self._said_without_positions = True
                log.warning("the %s index predates word positions in names: run a reindex", self.name)
            del body["aggs"]
            response = self._search(body, preference=preference)
        return suggestions_from(response, text, locales, limit)

    def indexed_versions(self) -> dict[int, int]:
        """``{id: version}`` of every product in the live index."""
        if not self.live_indices():
            return {}
        body = {"query": {"match_all": {}}, "_source": ["id", "version"]}
        return {
            int(hit["_source"]["id"]): int(hit["_source"]["version"])
            for hit in self.backend.scan(self.alias, body)
        }

    def health(self) -> EngineHealth:
        """The live index's status (the cluster's when there is no index yet), server version
        and document count; never raises. Other indices of a shared cluster do not count."""
        try:
            live = self.live_indices()
            path = f"/_cluster/health/{live[0]}" if live else "/_cluster/health"
            cluster = self.backend.request("GET", path)
            version = self.server_version()
            documents = int(self.backend.request("GET", f"/{self.alias}/_count")["count"]) if live else None
        except SearchError as error:
            return EngineHealth(ok=False, engine=self.name, detail=str(error))
        status = str(cluster.get("status"))
        nodes = f"cluster {cluster.get('cluster_name')} ({cluster.get('number_of_nodes')} nodes)"
        if live:
            detail = f"{nodes}: index {live[0]} behind alias {self.alias} is {status}"
        else:
            detail = f"{nodes} is {status}; no index {self.alias} yet"
        return EngineHealth(
            ok=status in ("green", "yellow"),
            engine=self.name,
            detail=detail,
            version=version,
            documents=documents,
        )

    def server_version(self) -> str | None:
        """The version the cluster's nodes report (the root endpoint may be absent)."""
        nodes = self.backend.request("GET", "/_nodes/_local", None, {"filter_path": "nodes.*.version"})
        versions = [node.get("version") for node in nodes.get("nodes", {}).values()]
        return str(versions[0]) if versions else None

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        """Wait for the cluster to answer with status yellow or green."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.backend.request(
                    "GET", "/_cluster/health", None, {"wait_for_status": "yellow", "timeout": "5s"}
                )
                return
            except SearchError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def close(self) -> None:
        """Close the client's connections."""
        self.backend.close()
