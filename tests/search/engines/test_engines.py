"""Elasticsearch and OpenSearch engines against real nodes: index layout, writes, rebuilds."""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
import typing as t
from decimal import Decimal

import pytest

from bench.search import request_cache_counts
from search import BulkReport
from search import InvalidQuery
from search import SearchDocument
from search import SearchError
from search import SearchQuery
from search import SearchUnavailable
from search.dsl import index_body
from search.dsl import index_mappings
from search.dsl import kazakh_fold_mappings
from search.server_engine import ServerEngine
from tests.search.contract.catalog import BREAD
from tests.search.contract.catalog import CATALOG
from tests.search.contract.catalog import COOKIES
from tests.search.contract.catalog import DARK_CHOCOLATE
from tests.search.contract.catalog import FLOUR
from tests.search.contract.catalog import KAZY
from tests.search.contract.catalog import MILK_CHOCOLATE
from tests.search.contract.catalog import TEA
from tests.search.contract.catalog import by_id
from tests.search.engines import servers
from tests.search.engines.conftest import ENGINE_CLASSES
from tests.search.engines.conftest import drop_indices
from tests.search.engines.conftest import new_engine
from tests.search.engines.conftest import recorded_bodies
from tools.engines import NodeProcess
from tools.engines.running import free_port


def _analyze(engine: ServerEngine, analyzer: str, text: str) -> list[str]:
    index = engine.live_indices()[0]
    answer = engine.backend.request("POST", f"/{index}/_analyze", {"analyzer": analyzer, "text": text})
    return [token["token"] for token in answer["tokens"]]


def test_mappings_and_analyzers_are_applied_as_written(server_engine: ServerEngine) -> None:
    server_engine.ensure_index()
    index = server_engine.live_indices()[0]
    assert index.startswith(f"{server_engine.alias}-")
    stored = server_engine.backend.request("GET", f"/{index}/_mapping")[index]["mappings"]
    written = index_mappings()
    assert stored["dynamic"] == "strict"
    assert set(stored["properties"]) == set(written["properties"])
    for field in ("name_zh", "name_ru", "name_kk", "name_en", "description_ru"):
        assert stored["properties"][field]["analyzer"] == written["properties"][field]["analyzer"]
    settings = server_engine.backend.request("GET", f"/{index}/_settings")[index]["settings"]
    mappings = settings["index"]["analysis"]["char_filter"]["kazakh_fold"]["mappings"]
    assert mappings == kazakh_fold_mappings()

    # the engines' own analyzers, under the names production uses
    assert _analyze(server_engine, "russian", "Пшеничная мука") == ["пшеничн", "мук"]
    assert _analyze(server_engine, "english", "Dried jujube dates") == ["dri", "jujub", "date"]
    assert _analyze(server_engine, "cjk", "哈萨克斯坦面粉") == [
        "哈萨",
        "萨克",
        "克斯",
        "斯坦",
        "坦面",
        "面粉",
    ]
    # the Kazakh analyzer folds Cyrillic, 2021 Latin and plain Latin spellings together
    folded = {_analyze(server_engine, "kazakh", word)[0] for word in ("Қазақстан", "Qazaqstan", "Kazakstan")}
    assert folded == {"kazakstan"}
    assert _analyze(server_engine, "kazakh", "Шұжық Şūjyq") == ["shujyk", "shujyk"]


def test_unknown_field_is_refused_by_the_strict_mapping(server_engine: ServerEngine) -> None:
    server_engine.ensure_index()
    with pytest.raises(SearchError, match="strict"):
        server_engine.backend.request("PUT", f"/{server_engine.alias}/_doc/1", {"id": 1, "colour": "red"})


def test_index_then_search_and_delete(server_engine: ServerEngine) -> None:
    report = server_engine.index(CATALOG)
    assert report.indexed == len(CATALOG)
    assert report.failed == ()
    result = server_engine.search(SearchQuery(text="мука", locales=("ru",)))
    assert [hit.id for hit in result.hits] == [FLOUR]
    assert result.hits[0].highlight.startswith("<mark>Мука</mark>")
    assert server_engine.indexed_versions() == {doc.id: doc.version for doc in CATALOG}

    deleted = server_engine.delete([FLOUR, 987654])  # an unknown id is not an error
    assert deleted.failed == ()
    assert server_engine.search(SearchQuery(text="мука")).total == 0
    assert FLOUR not in server_engine.indexed_versions()


def test_words_found_as_typed_take_one_request(
    server_engine: ServerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_engine.index(CATALOG)
    bodies = recorded_bodies(server_engine, monkeypatch)
    as_typed = server_engine.search(SearchQuery(text="Borodinsky", locales=("en",)))
    assert [hit.id for hit in as_typed.hits] == [BREAD]
    assert len(bodies) == 1


def test_only_hits_found_by_their_descriptions_alone_have_them_marked_by_a_second_request(
    server_engine: ServerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_engine.index(CATALOG)
    bodies = recorded_bodies(server_engine, monkeypatch)
    hits = {hit.id: hit for hit in server_engine.search(SearchQuery(text="шоколад", locales=("ru",))).hits}
    assert set(hits) == {DARK_CHOCOLATE, MILK_CHOCOLATE, COOKIES}
    first, later = bodies
    assert not any(field.startswith("description_") for field in first["highlight"]["fields"])
    assert later["query"] == {"ids": {"values": [str(COOKIES)]}}
    assert all(field.startswith("description_") for field in later["highlight"]["fields"])
    assert "<mark>" in hits[COOKIES].highlight and "<mark>" in hits[DARK_CHOCOLATE].highlight


#: A search with facets that finds three products of :data:`CATALOG`, one of them by its description.
CHOCOLATE = SearchQuery(text="шоколад", locales=("ru",), facets=("origin_country", "category"))


def _request_cache_hits(engine: ServerEngine) -> int:
    counts = request_cache_counts(engine)
    assert counts is not None
    return counts[0]


def test_a_search_asked_again_comes_from_the_request_cache_until_the_index_changes(
    server_engine: ServerEngine,
) -> None:
    server_engine.index(CATALOG)
    query = CHOCOLATE
    first = server_engine.search(query)
    assert COOKIES in [hit.id for hit in first.hits]
    cached = _request_cache_hits(server_engine)
    assert server_engine.search(query) == first
    assert _request_cache_hits(server_engine) > cached
    server_engine.delete([COOKIES])
    after = server_engine.search(query)
    assert COOKIES not in [hit.id for hit in after.hits]
    assert after.total == first.total - 1


def test_an_engine_told_not_to_cache_asks_every_search_anew(server_engine: ServerEngine) -> None:
    server_engine.index(CATALOG)
    url = servers.search_url(server_engine.name)
    uncached = ENGINE_CLASSES[server_engine.name](url, index=server_engine.alias, request_cache=False)
    try:
        query = CHOCOLATE
        first = uncached.search(query)
        assert uncached.search(query) == first
        assert _request_cache_hits(uncached) == 0
    finally:
        uncached.close()


def _copies_asked(engine: ServerEngine) -> int:
    """How many copies of the engine's shards the request cache was asked on."""
    stats = engine.backend.request("GET", f"/{engine.alias}/_stats/request_cache", None, {"level": "shards"})
    copies = [
        copy for index in stats["indices"].values() for shard in index["shards"].values() for copy in shard
    ]
    return sum(
        1 for copy in copies if copy["request_cache"]["hit_count"] + copy["request_cache"]["miss_count"]
    )


@pytest.mark.engines
def test_a_text_asked_again_goes_to_the_copies_that_keep_its_answer(opensearch_cluster: NodeProcess) -> None:
    """With replicas, each text's requests go to the same copy of a shard, whose cache has them."""
    engine = new_engine("opensearch", replicas=2)
    try:
        engine.index(CATALOG)
        health = {"wait_for_status": "green", "timeout": "30s"}
        assert (
            engine.backend.request("GET", f"/_cluster/health/{engine.alias}", None, health)["status"]
            == "green"
        )
        query = CHOCOLATE
        answers = [engine.search(query) for _ in range(12)]
        assert all(found == answers[0] for found in answers)
        engine.search(dataclasses.replace(query, locales=("zh",)))  # another reader
        engine.search(dataclasses.replace(query, offset=1, limit=1))  # the next page
        assert _copies_asked(engine) == 1
        for text in ("мука", "чай", "молоко", "печенье", "хлеб", "тесто", "какао", "сахар"):
            engine.search(SearchQuery(text=text, locales=("ru",)))
        assert _copies_asked(engine) > 1  # other texts go to other copies: the load is shared
    finally:
        drop_indices(engine)


def _aggregators(profile: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """Every aggregator of a profiled search, sub-aggregators included."""
    found: list[dict[str, t.Any]] = []
    pending = [agg for shard in profile["shards"] for agg in shard["aggregations"]]
    while pending:
        agg = pending.pop()
        found.append(agg)
        pending.extend(agg.get("children", ()))
    return found


@pytest.mark.engines
@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(text="шоколад", locales=("ru",), facets=("origin_country", "category", "tax_refund")),
        SearchQuery(
            text="шоколад", locales=("ru",), origin_countries=("RU",), facets=("origin_country", "category")
        ),
    ],
    ids=["unfiltered", "filtered"],
)
def test_facets_are_counted_in_the_search_s_own_pass(
    elasticsearch_node: NodeProcess, query: SearchQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Elasticsearch never runs a word search again per facet ("filter by filter")."""
    engine = new_engine("elasticsearch")
    try:
        engine.index(CATALOG)
        send = engine._search
        bodies = recorded_bodies(engine, monkeypatch)
        result = engine.search(query)
        profiled = send({**bodies[0], "profile": True})
        delegates = {
            agg["description"]: agg.get("debug", {}).get("delegate")
            for agg in _aggregators(profiled["profile"])
        }
        assert set(query.facets) <= set(delegates)
        assert "FilterByFilterAggregator" not in delegates.values(), delegates
        # the country facet ignores its own filter: the countries of every product the words find
        found = (DARK_CHOCOLATE, MILK_CHOCOLATE, COOKIES)
        expected = collections.Counter(by_id(product).origin_country for product in found)
        assert {value.value: value.count for value in result.facets["origin_country"]} == expected
    finally:
        drop_indices(engine)


def test_bulk_partial_failure_is_reported_per_document(server_engine: ServerEngine) -> None:
    too_long_sku = dataclasses.replace(by_id(KAZY), sku="K" * 40_000)  # over Lucene's term limit
    nameless = dataclasses.replace(by_id(TEA), texts={})
    report = server_engine.index([by_id(FLOUR), too_long_sku, nameless, by_id(DARK_CHOCOLATE)])
    assert report.indexed == 2
    reasons = dict(report.failed)
    assert set(reasons) == {KAZY, TEA}
    assert "sku" in reasons[KAZY] and len(reasons[KAZY]) <= 300
    assert reasons[TEA] == "the product has no name in any locale"
    assert set(server_engine.indexed_versions()) == {FLOUR, DARK_CHOCOLATE}


@pytest.mark.slow
def test_rebuild_swaps_the_alias_without_a_gap(server_engine: ServerEngine) -> None:
    server_engine.rebuild(CATALOG)
    first = server_engine.live_indices()
    assert len(first) == 1

    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def search_in_a_loop() -> None:
        while not stop.is_set():
            try:
                seen.append(server_engine.search(SearchQuery(text="", facets=())).total)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

    many = [
        dataclasses.replace(doc, id=doc.id + 1000 * copy, sku=f"{doc.sku}-{copy}")
        for copy in range(1, 40)
        for doc in CATALOG
    ]
    progress: list[int] = []
    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        report = server_engine.rebuild([*CATALOG, *many], progress=progress.append)
    finally:
        time.sleep(0.3)
        stop.set()
        searcher.join()
    assert errors == []
    assert report.indexed == len(CATALOG) * 40
    assert progress[-1] == report.indexed
    assert len(seen) > 3
    assert set(seen) <= {len(CATALOG), len(CATALOG) * 40}  # the old index, then the new one
    assert seen[-1] == len(CATALOG) * 40

    second = server_engine.live_indices()
    assert len(second) == 1 and second != first
    indices = server_engine.backend.request("GET", f"/{server_engine.alias}-*")
    assert sorted(indices) == second  # the old index is gone


def test_rebuild_reports_bad_documents_and_swaps_the_good_ones(server_engine: ServerEngine) -> None:
    bad = dataclasses.replace(by_id(KAZY), category="")
    report = server_engine.rebuild([by_id(FLOUR), bad])
    assert report.indexed == 1
    assert report.failed[0][0] == KAZY and "category" in report.failed[0][1]
    assert server_engine.health().documents == 1


def test_health_reports_version_and_documents(server_engine: ServerEngine) -> None:
    health = server_engine.health()
    assert health.ok and health.engine == server_engine.name and health.documents is None
    assert "no index" in health.detail
    server_engine.index(CATALOG[:3])
    health = server_engine.health()
    assert health.ok and health.documents == 3
    expected = "8.19." if server_engine.name == "elasticsearch" else "2.19."
    assert health.version is not None and health.version.startswith(expected)


def test_bad_requests_get_clear_errors(server_engine: ServerEngine) -> None:
    with pytest.raises(InvalidQuery, match="201 characters long; the limit is 200"):
        server_engine.suggest("x" * 201, locales=("ru",))
    with pytest.raises(InvalidQuery, match="at least 1"):
        server_engine.suggest("мука", locales=("ru",), limit=0)
    with pytest.raises(SearchError, match="does not exist yet"):
        server_engine.search(SearchQuery(text="мука"))
    assert server_engine.suggest("м", locales=("ru",)) == []


def test_price_filter_and_sorts(server_engine: ServerEngine) -> None:
    server_engine.index(CATALOG)
    query = SearchQuery(price_min_cny=Decimal("20"), price_max_cny=Decimal("40"), sort="price_asc")
    prices = [hit.price for hit in server_engine.search(query).hits]
    assert prices == sorted(prices) and prices[0] >= Decimal("20") and prices[-1] <= Decimal("40")
    newest = server_engine.search(SearchQuery(sort="newest", limit=3)).hits
    assert newest[0].sku == "IN-SPICE-0015"


@pytest.mark.parametrize("engine_name", sorted(ENGINE_CLASSES))
def test_unreachable_engine_raises_search_unavailable(engine_name: str) -> None:
    engine = ENGINE_CLASSES[engine_name](f"{engine_name}://127.0.0.1:{free_port()}", timeout=2, retries=0)
    try:
        with pytest.raises(SearchUnavailable, match="unreachable"):
            engine.search(SearchQuery(text="мука"))
        with pytest.raises(SearchUnavailable):
            engine.index(CATALOG[:1])
        health = engine.health()
        assert not health.ok and "unreachable" in health.detail
    finally:
        engine.close()


def test_a_failed_rebuild_leaves_the_live_index_alone(server_engine: ServerEngine) -> None:
    server_engine.rebuild(CATALOG)
    live = server_engine.live_indices()

    def broken_source() -> t.Iterator[SearchDocument]:
        yield from CATALOG[:3]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        server_engine.rebuild(broken_source())
    assert server_engine.live_indices() == live
    assert sorted(server_engine.backend.request("GET", f"/{server_engine.alias}-*")) == live
    assert server_engine.search(SearchQuery(facets=())).total == len(CATALOG)


def test_two_processes_creating_the_index_at_once_end_with_one(server_engine: ServerEngine) -> None:
    twin = ENGINE_CLASSES[server_engine.name](
        servers.search_url(server_engine.name), index=server_engine.alias
    )
    start = threading.Barrier(2)

    def create(engine: ServerEngine) -> None:
        start.wait()
        engine.ensure_index()

    try:
        threads = [threading.Thread(target=create, args=(e,)) for e in (server_engine, twin)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(server_engine.live_indices()) == 1
        assert twin.index(CATALOG[:2]).indexed == 2
        assert server_engine.search(SearchQuery(facets=())).total == 2
    finally:
        twin.close()


@pytest.mark.slow
def test_writes_during_a_rebuild_reach_the_new_index(server_engine: ServerEngine) -> None:
    server_engine.rebuild(CATALOG)
    newer_tea = dataclasses.replace(by_id(TEA), version=9)
    copies = [
        dataclasses.replace(doc, id=doc.id + 1000 * copy, sku=f"{doc.sku}-{copy}")
        for copy in range(1, 32)
        for doc in CATALOG
    ]
    withdrawn = copies[0].id
    written: list[int] = []

    def write_once_loaded(loaded: int) -> None:
        # once the rebuild has loaded its first products into the new index, the catalog
        # updates the tea and withdraws a product already loaded
        if not written:
            written.append(loaded)
            assert server_engine.index([newer_tea]).indexed == 1
            assert server_engine.delete([withdrawn]) == BulkReport(indexed=1)

    def source_read_from_the_database() -> t.Iterator[SearchDocument]:
        yield from copies[:510]
        yield from CATALOG  # the rebuild's own read of the tea is older (version 1)

    report = server_engine.rebuild(source_read_from_the_database(), progress=write_once_loaded)
    assert written and report.failed == ()
    versions = server_engine.indexed_versions()
    assert versions[TEA] == 9  # the stale copy the rebuild read did not win
    assert withdrawn not in versions
    assert len(versions) == 510 - 1 + len(CATALOG)
    leftovers = server_engine.backend.request("GET", f"/{server_engine.alias}-*")
    assert sorted(leftovers) == server_engine.live_indices()


def test_an_index_built_before_names_kept_word_positions_still_completes_two_words(
    server_engine: ServerEngine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Until the rebuild an upgrade asks for, type-ahead answers without the names' words in a row."""

    def body_without_positions(**options: t.Any) -> dict[str, t.Any]:
        body = index_body(**options)
        body["mappings"]["properties"]["name_exact"]["index_options"] = "docs"
        return body

    monkeypatch.setattr("search.server_engine.index_body", body_without_positions)
    server_engine.ensure_index()
    server_engine.index(CATALOG)
    for _ in range(2):
        suggested = server_engine.suggest("пшеничная высш", locales=("ru",))
        assert "Мука пшеничная высшего сорта, 2 кг" in [s.text for s in suggested]
    assert caplog.text.count("predates word positions") == 1  # said once, not on every keystroke
