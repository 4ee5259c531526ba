"""What is particular to the embedded engine: its file, processes, threads and rebuilds."""

from __future__ import annotations

import dataclasses
import os
import random
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from search import LocalizedText
from search import SearchDocument
from search import SearchError
from search import SearchQuery
from search import SearchUnavailable
from search.fts5 import Fts5Engine
from tests.search.contract import catalog as c

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Fts5Engine]:
    engine = Fts5Engine(tmp_path / "search.db")
    engine.index(c.CATALOG)
    yield engine
    engine.close()


def hit_ids(engine: Fts5Engine, text: str) -> list[int]:
    return [hit.id for hit in engine.search(SearchQuery(text=text, limit=50)).hits]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def test_the_file_uses_write_ahead_logging(engine: Fts5Engine) -> None:
    with sqlite3.connect(engine.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_another_process_sees_writes(engine: Fts5Engine) -> None:
    assert hit_ids(engine, "Nilgiri") == []
    script = f"""
import dataclasses
from search.fts5 import Fts5Engine
from search import LocalizedText
from tests.search.contract.catalog import by_id
engine = Fts5Engine({str(engine.path)!r})
doc = dataclasses.replace(by_id(2), id=900, sku="IN-TEA-0900",
                          texts={{"en": LocalizedText("Nilgiri tea")}})
print(engine.index([doc]).indexed)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "1"
    assert hit_ids(engine, "Nilgiri") == [900]


def test_older_versions_do_not_replace_newer(engine: Fts5Engine) -> None:
    newer = dataclasses.replace(c.by_id(c.TEA), version=3, texts={"en": LocalizedText("Darjeeling tea")})
    engine.index([newer])
    engine.index([c.by_id(c.TEA)])  # version 1 arrives late
    assert engine.indexed_versions()[c.TEA] == 3
    assert hit_ids(engine, "Darjeeling") == [c.TEA]


def doc_rowid(engine: Fts5Engine, doc_id: int) -> int:
    with sqlite3.connect(engine.path) as conn:
        live = conn.execute("SELECT value FROM meta WHERE key = 'live'").fetchone()[0]
        return int(conn.execute(f"SELECT rowid FROM docs_{live} WHERE id = ?", (doc_id,)).fetchone()[0])


def test_a_new_price_alone_keeps_the_full_text_rows_and_a_new_text_replaces_them(
    engine: Fts5Engine,
) -> None:
    tea = c.by_id(c.TEA)
    first = doc_rowid(engine, c.TEA)
    engine.index([dataclasses.replace(tea, version=2, price=Decimal("41.00"), price_cny=Decimal("41.00"))])
    assert doc_rowid(engine, c.TEA) == first
    [hit] = [hit for hit in engine.search(SearchQuery(text="Ceylon", limit=50)).hits if hit.id == c.TEA]
    assert hit.price == Decimal("41.00")
    assert engine.indexed_versions()[c.TEA] == 2
    engine.index([dataclasses.replace(tea, version=3, texts={"en": LocalizedText("Assam black tea")})])
    assert doc_rowid(engine, c.TEA) != first
    assert hit_ids(engine, "Assam") == [c.TEA]
    assert c.TEA not in hit_ids(engine, "Крупнолистовой")


def test_threads_search_while_another_writes(engine: Fts5Engine) -> None:
    errors: list[BaseException] = []

    def search_many() -> None:
        try:
            for _ in range(30):
                assert c.FLOUR in hit_ids(engine, "мука")
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=search_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for version in range(2, 12):
        engine.index([dataclasses.replace(c.by_id(c.FLOUR), version=version)])
    for thread in threads:
        thread.join()
    assert errors == []


def test_rebuild_swaps_table_sets_and_drops_the_old_one(engine: Fts5Engine) -> None:
    before = tables(engine.path)
    engine.rebuild(c.CATALOG)
    after = tables(engine.path)
    assert "docs_1" in before and "docs_1" not in after
    assert "docs_2" in after
    assert hit_ids(engine, "muka") == [c.FLOUR]


def test_writes_during_a_rebuild_reach_the_new_index(engine: Fts5Engine) -> None:
    newcomer = dataclasses.replace(
        c.by_id(c.TEA), id=777, sku="LK-TEA-0777", texts={"en": LocalizedText("Nilgiri tea")}
    )

    def catalog_with_a_write_midway() -> Iterator[SearchDocument]:
        yield from c.CATALOG[:8]
        engine.index([newcomer])
        yield from c.CATALOG[8:]

    engine.rebuild(catalog_with_a_write_midway())
    assert hit_ids(engine, "Nilgiri") == [777]


def test_a_failed_rebuild_leaves_the_live_index_alone(engine: Fts5Engine) -> None:
    def broken() -> Iterator[SearchDocument]:
        yield from c.CATALOG[:3]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        engine.rebuild(broken())
    assert engine.search(SearchQuery(text="")).total == len(c.CATALOG)
    assert "docs_2" not in tables(engine.path)
    engine.rebuild(c.CATALOG[:2])  # and the next rebuild is not blocked
    assert engine.search(SearchQuery(text="")).total == 2


def test_a_second_rebuild_at_once_is_refused(engine: Fts5Engine) -> None:
    with sqlite3.connect(engine.path) as conn:
        parent = os.getppid()  # a live process other than this one
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'building'")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'builder'", (str(parent),))
    with pytest.raises(SearchError, match=f"a rebuild is already running in process {parent}"):
        engine.rebuild(c.CATALOG)


def test_a_rebuild_left_by_a_dead_process_is_cleaned_up(engine: Fts5Engine) -> None:
    with sqlite3.connect(engine.path) as conn:
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'building'")
        conn.execute("UPDATE meta SET value = '999999999' WHERE key = 'builder'")
    assert engine.rebuild(c.CATALOG).indexed == len(c.CATALOG)


def test_an_unusable_file_makes_search_unavailable(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a directory")
    engine = Fts5Engine(tmp_path / "taken" / "search.db")
    with pytest.raises(SearchUnavailable, match="cannot open the search index"):
        engine.search(SearchQuery(text="чай"))
    health = engine.health()
    assert (health.ok, health.engine) == (False, "embedded")
    assert "cannot open the search index" in health.detail


def test_a_corrupt_file_makes_search_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "search.db"
    path.write_bytes(b"this is not a database" * 100)
    engine = Fts5Engine(path)
    with pytest.raises(SearchUnavailable):
        engine.search(SearchQuery(text="чай"))
    assert not engine.health().ok


def test_close_then_use_again(engine: Fts5Engine) -> None:
    engine.close()
    assert hit_ids(engine, "muka") == [c.FLOUR]


QUERIES = [
    SearchQuery(text="", sort="price_asc", limit=50, facets=("origin_country", "category", "booth")),
    SearchQuery(text="", sort="newest", limit=50, categories=("food",)),
    SearchQuery(text="шоколад", limit=50, facets=("origin_country", "booth")),
    SearchQuery(text="chai", limit=50),
    SearchQuery(text="茶", limit=50),
    SearchQuery(text="哈萨克斯坦", limit=50),
    SearchQuery(text="tea", price_min_cny=Decimal("10"), price_max_cny=Decimal("400"), limit=50),
    SearchQuery(text="Kazakhstan", origin_countries=("KZ",), limit=50),
]


@pytest.mark.parametrize("fold_at", [4_096, 0], ids=["layered", "folded-often"])
def test_views_patched_after_writes_answer_like_a_fresh_load(
    engine: Fts5Engine, fold_at: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0: the overlay's changed layer is folded into its base at almost every write
    monkeypatch.setattr("search.fts5_overlay._FOLD_AT", fold_at)
    rng = random.Random(7)
    for query in QUERIES:
        engine.search(query)  # warm the view and its caches
    for step in range(40):
        doc = rng.choice(c.CATALOG)
        if rng.random() < 0.3:
            engine.delete([doc.id])
        else:
            engine.index(
                [
                    dataclasses.replace(
                        doc,
                        version=step + 2,
                        price_cny=Decimal(rng.randint(1, 500)),
                        popularity=rng.random() * 100,
                        origin_country=rng.choice(["KZ", "RU", "CN"]),
                        booth=rng.choice(["russia", "kazakhstan", None]),
                        texts=rng.choice([doc, rng.choice(c.CATALOG)]).texts,
                    )
                ]
            )
        if step % 8 == 7:
            fresh = Fts5Engine(engine.path)
            for query in QUERIES:
                assert engine.search(query) == fresh.search(query), (step, query)
            fresh.close()
    assert engine._view is not None and engine._view.dirty  # it was patched, not reloaded


def test_a_failed_read_leaves_the_connection_usable(
    engine: Fts5Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_view(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    engine.close()
    monkeypatch.setattr("search.fts5.View", broken_view)
    with pytest.raises(SearchUnavailable, match="disk I/O error"):
        engine.search(SearchQuery(text="чай"))
    monkeypatch.undo()
    assert c.TEA in hit_ids(engine, "чай")


@pytest.mark.parametrize(
    ("text", "product"),
    [("ұнның", c.FLOUR), ("ұны", c.FLOUR), ("шай", c.TEA), ("шайлар", c.TEA), ("наны", c.BREAD)],
)
def test_kazakh_word_forms_find_each_other(engine: Fts5Engine, text: str, product: int) -> None:
    assert product in hit_ids(engine, text)


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_threads_that_come_and_go_do_not_pile_up_connections(engine: Fts5Engine) -> None:
    # One thread (or greenlet) per client connection: each searches once and ends.
    hit_ids(engine, "чай")
    before = open_files()
    for _ in range(60):
        worker = threading.Thread(target=hit_ids, args=(engine, "чай"))
        worker.start()
        worker.join()
    engine.index([dataclasses.replace(c.by_id(2), version=99)])
    assert open_files() <= before + 4 * 3  # at most the idle connections, each its file, WAL and index
    assert len(engine._connections) <= 4


def test_many_threads_at_once_then_back_to_a_few_connections(engine: Fts5Engine) -> None:
    barrier = threading.Barrier(12)
    found: list[int] = []

    def search() -> None:
        barrier.wait()
        found.append(len(hit_ids(engine, "чай")))

    workers = [threading.Thread(target=search) for _ in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(found)) == 1 and found[0] > 0
    assert len(engine._connections) <= 4


def test_a_remembered_answer_never_outlives_a_write(engine: Fts5Engine) -> None:
    first = engine.search(SearchQuery(text="мука", limit=50))
    assert engine.search(SearchQuery(text="мука", limit=50)) is first  # the same index state
    flour = c.by_id(c.FLOUR)
    renamed = dataclasses.replace(flour, version=50, texts={"ru": LocalizedText("Рис круглый")})
    engine.index([renamed])
    after = engine.search(SearchQuery(text="мука", limit=50))
    assert c.FLOUR in [hit.id for hit in first.hits]
    assert c.FLOUR not in [hit.id for hit in after.hits]
    assert c.FLOUR in hit_ids(engine, "рис")


def test_another_process_writing_ends_remembered_answers(engine: Fts5Engine) -> None:
    assert hit_ids(engine, "Darjeeling") == hit_ids(engine, "Darjeeling") == []
    script = f"""
import dataclasses
from search.fts5 import Fts5Engine
from search import LocalizedText
from tests.search.contract.catalog import by_id
engine = Fts5Engine({str(engine.path)!r})
engine.index([dataclasses.replace(by_id(2), id=901, sku="IN-TEA-0901", texts={{"en": LocalizedText("Darjeeling tea")}})])
engine.close()
"""
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    assert hit_ids(engine, "Darjeeling") == [901]


def test_answers_can_be_left_unremembered(tmp_path: Path) -> None:
    engine = Fts5Engine.from_url(f"sqlite:///{tmp_path / 'search.db'}?results=0")
    engine.index(c.CATALOG)
    query = SearchQuery(text="мука")
    assert engine.search(query) is not engine.search(query)
    assert engine.search(query) == engine.search(query)
    engine.close()
