"""Remembered stamps never outlive a change: another worker's commit shows on the next read.

On PostgreSQL "next" is once the commit's notice has reached this worker, a moment after the
commit (:func:`tests.support.notices.notices_in` waits for it); a request with a token waits for
it by itself.
"""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import threading
import time
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.freshness import ChangeWatch
from catalog.freshness import ReadMemo
from catalog.freshness import announce_commits
from catalog.models import TableChangeCount
from catalog.table_changes import track_tables
from tests.catalog.test_products_api import create
from tests.catalog.test_products_api import set_rate
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.conftest import Tokens
from tests.support.notices import listeners_stopped
from tests.support.notices import notices_in
from tests.support.notices import resume
from tests.support.postgres import ON_POSTGRESQL
from tests.support.statements import statements_run


def edit(
    client: FlaskClient, tokens: Tokens, product_id: int, read: t.Any, fields: dict[str, t.Any]
) -> t.Any:
    """PATCH *fields* of a product as an editor, with the ETag of the answer *read*; asserts a 200."""
    changed = client.patch(
        f"/api/v1/products/{product_id}",
        json=fields,
        headers=tokens.headers("editor", **{"If-Match": read.headers["ETag"]}),
    )
    assert changed.status_code == 200, changed.json
    return changed


def test_a_change_made_by_another_worker_shows_on_the_next_read(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    created = create(client, tokens)
    path = f"/api/v1/products/{created.json['id']}?locale=ru&currency=CNY"
    first = client.get(path)
    assert client.get(path).headers["ETag"] == first.headers["ETag"]  # served from memory now

    changed = edit(
        other,
        tokens,
        created.json["id"],
        first,
        {"stock": 7, "price": {"amount": "30.00", "currency": "CNY"}},
    )

    notices_in(app)
    again = client.get(path)
    assert again.headers["ETag"] == changed.headers["ETag"] != first.headers["ETag"]
    assert again.json["stock"] == 7
    assert again.json["price"]["amount"] == "30.00"


def test_new_exchange_rates_reprice_a_remembered_product(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    url = create(client, tokens).headers["Location"]
    set_rate(other, tokens, "KZT", "74")
    assert client.get(f"{url}?currency=KZT").json["display_price"]["amount"] == "1850.00"
    etag = other.get("/api/v1/rates/KZT").headers["ETag"]
    changed = other.put(
        "/api/v1/rates/KZT", json={"per_cny": "70"}, headers={**tokens.headers("admin"), "If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    notices_in(app)
    assert client.get(f"{url}?currency=KZT").json["display_price"]["amount"] == "1750.00"


def test_new_exchange_rates_reprice_search_results(app: Flask, other_worker: Flask, tokens: Tokens) -> None:
    client, other = app.test_client(), other_worker.test_client()
    create(client, tokens)
    set_rate(other, tokens, "KZT", "74")
    path = "/api/v1/search?q=мука&currency=KZT"
    page = "/search?q=мука&currency=KZT"
    assert client.get(path).json["items"][0]["display_price"]["amount"] == "1850.00"
    assert "KZT1,850.00" in client.get(page).get_data(as_text=True)
    etag = other.get("/api/v1/rates/KZT").headers["ETag"]
    changed = other.put(
        "/api/v1/rates/KZT", json={"per_cny": "70"}, headers={**tokens.headers("admin"), "If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    notices_in(app)
    assert client.get(path).json["items"][0]["display_price"]["amount"] == "1750.00"
    assert "KZT1,750.00" in client.get(page).get_data(as_text=True)


def test_the_card_on_air_follows_a_move_made_elsewhere(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    stream_id, ids = live_stream(client, tokens, count=2)
    assert move(client, tokens, stream_id, "goto", 1).status_code == 200
    card = f"/api/v1/streams/{stream_id}/card"
    assert client.get(card).json["position"] == client.get(card).json["position"] == 1

    assert move(other, tokens, stream_id, "next").status_code == 200
    notices_in(app)
    moved = client.get(card).json
    assert moved["position"] == 2
    assert moved["card"]["product"]["id"] == ids[1]


def test_the_watch_sees_commits_of_other_processes(tmp_path: Path) -> None:
    path = tmp_path / "watched.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    watch = ChangeWatch(engine.url)
    loads: list[int] = []
    memo = ReadMemo(watch, max_age=3600)

    def load() -> int:
        loads.append(1)
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM t").scalar_one())

    assert memo.get("count", load) == memo.get("count", load) == 0
    assert len(loads) == 1
    script = f"import sqlite3; c = sqlite3.connect({str(path)!r}, isolation_level=None); c.execute('INSERT INTO t VALUES (1)')"
    subprocess.run([sys.executable, "-c", script], check=True)
    assert memo.get("count", load) == 1
    assert len(loads) == 2
    watch.close()
    assert memo.get("count", load) == 1 and len(loads) == 3  # closed: reads through
    engine.dispose()


def test_requests_missing_one_key_together_wait_for_a_single_load(tmp_path: Path) -> None:
    path = tmp_path / "watched.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)
    arrived, release = threading.Barrier(4), threading.Event()
    loads: list[str] = []

    def load(key: str) -> str:
        loads.append(key)
        assert release.wait(5)
        return f"loaded {key}"

    def ask(key: str) -> str:
        arrived.wait(5)
        return memo.get(key, lambda: load(key))

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = [pool.submit(ask, key) for key in ("a", "a", "a", "b")]
        time.sleep(0.2)  # every thread has reached the memo: the first of "a" is loading
        release.set()
        assert [answer.result(5) for answer in answers] == ["loaded a"] * 3 + ["loaded b"]
    assert sorted(loads) == ["a", "b"]
    watch.close()
    engine.dispose()


def test_without_a_signal_the_memo_reads_through() -> None:
    watch = ChangeWatch(sa.make_url("postgresql://somebody@127.0.0.1/catalog"))
    calls = iter(range(10))
    memo = ReadMemo(watch)
    assert watch.changes() is None
    assert [memo.get("k", lambda: next(calls)) for _ in range(3)] == [0, 1, 2]


@ON_POSTGRESQL
def test_on_postgresql_remembered_reads_ask_no_query_until_another_process_commits(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    created = create(client, tokens)
    path = f"/api/v1/products/{created.json['id']}?locale=ru"
    first = client.get(path)
    statements: list[str] = []
    engine = app.extensions["db"].engine
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(str(args[2])))
    assert client.get(path).headers["ETag"] == first.headers["ETag"]
    assert statements == [], "a cached read on PostgreSQL asks the database nothing"

    changed = edit(other, tokens, created.json["id"], first, {"stock": 3})
    notices_in(app)
    again = client.get(path)
    assert again.json["stock"] == 3 and again.headers["ETag"] == changed.headers["ETag"]
    assert statements, "the commit announced over NOTIFY made the next read load afresh"


@ON_POSTGRESQL
def test_a_staff_read_sees_another_workers_commit_before_its_notice_arrives(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    staff = tokens.headers("translator_ru")
    created = create(client, tokens)
    path = f"/api/v1/products/{created.json['id']}?locale=ru"
    first, remembered = client.get(path, headers=staff), client.get(path, headers=staff)
    assert remembered.headers["ETag"] == first.headers["ETag"]

    with listeners_stopped(app) as pids:
        changed = edit(other, tokens, created.json["id"], first, {"stock": 5})
        threading.Timer(0.3, resume, [pids]).start()
        again = client.get(path, headers=staff)
    assert again.headers["ETag"] == changed.headers["ETag"] != first.headers["ETag"]
    assert again.json["stock"] == 5


def test_a_staff_read_of_a_remembered_product_asks_the_database_nothing(app: Flask, tokens: Tokens) -> None:
    client = app.test_client()
    path = f"{create(client, tokens, status='draft').headers['Location']}?locale=ru&currency=CNY"
    headers = tokens.headers("editor")
    assert client.get(path).status_code == 404  # a draft: staff only
    assert client.get(path, headers=headers).status_code == 200  # the token and the body are remembered
    with statements_run(app.extensions["db"].engine) as statements:
        again = client.get(path, headers=headers)
        wrong = client.get(path, headers={"Authorization": "Bearer tsk_not-a-token"})
    assert again.status_code == 200 and again.json["status"] == "draft"
    assert wrong.status_code == 401
    # Only the wrong token was looked up: it is not remembered, so made-up tokens take no room.
    queries = [statement for statement in statements if not statement.startswith("BEGIN")]
    assert len(queries) == 1 and "api_tokens" in queries[0], statements


def test_a_memo_does_not_keep_what_it_is_told_to_forget(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'watched.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)
    loads: list[str] = []

    def load(key: str) -> str | None:
        loads.append(key)
        return None if key == "unknown" else key

    for _ in range(3):
        assert memo.get("known", lambda: load("known"), keep=lambda v: v is not None) == "known"
        assert memo.get("unknown", lambda: load("unknown"), keep=lambda v: v is not None) is None
    assert loads == ["known", "unknown", "unknown", "unknown"]
    watch.close()
    engine.dispose()


def test_a_cursor_moved_elsewhere_leaves_remembered_products_alone(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    stream_id, ids = live_stream(client, tokens, count=2)
    path = f"/api/v1/products/{ids[0]}?locale=ru&currency=CNY"
    first = client.get(path)
    with statements_run(app.extensions["db"].engine) as statements:
        for position in (2, 1, 2):
            assert move(other, tokens, stream_id, "goto", position).status_code == 200
            assert move(client, tokens, stream_id, "goto", position).status_code == 200
        statements.clear()
        again = client.get(path)
        assert again.headers["ETag"] == first.headers["ETag"]
        assert statements == [], "a move writes no table the product's stamp was read from"

        changed = edit(other, tokens, ids[0], first, {"stock": 11})
        # PostgreSQL's notice travels after the commit: the next reads see it within moments.
        deadline = time.monotonic() + 5
        while (latest := client.get(path)).json["stock"] != 11 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert latest.json["stock"] == 11 and latest.headers["ETag"] == changed.headers["ETag"]
    assert statements, "the product's own change made the read load afresh"


def tracked_engine(path: Path) -> sa.Engine:
    """A SQLite engine whose commits count the tables they write, with tables t and u."""
    engine = sa.create_engine(f"sqlite:///{path}")
    metadata = sa.MetaData()
    for name in ("t", "u"):
        sa.Table(name, metadata, sa.Column("x", sa.Integer))
    TableChangeCount.__table__.to_metadata(metadata)
    metadata.create_all(engine)
    track_tables(engine, metadata)
    announce_commits(engine)
    return engine


def test_a_value_is_read_again_only_once_a_table_it_was_read_from_changes(tmp_path: Path) -> None:
    engine = tracked_engine(tmp_path / "watched.db")
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)
    loads: list[str] = []

    def count(table: str) -> int:
        loads.append(table)
        with engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
            )

    assert memo.get("t", lambda: count("t")) == memo.get("u", lambda: count("u")) == 0
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO u VALUES (1)"))
    assert memo.get("t", lambda: count("t")) == 0
    assert memo.get("u", lambda: count("u")) == 1
    assert loads == ["t", "u", "u"], "the write to u left the count of t alone"

    with engine.begin() as connection:
        connection.execute(sa.table("t", sa.column("x")).insert().values(x=1))
    assert memo.get("t", lambda: count("t")) == 1
    assert memo.get("u", lambda: count("u")) == 1
    assert loads == ["t", "u", "u", "t"]

    with engine.begin() as connection:  # a rolled-back write counts nothing
        connection.execute(sa.text("INSERT INTO t VALUES (2)"))
        connection.rollback()
    assert memo.get("t", lambda: count("t")) == 1 and loads[-1] == "t" and len(loads) == 4
    watch.close()
    engine.dispose()


def test_a_commit_from_outside_the_app_changes_every_remembered_value(tmp_path: Path) -> None:
    path = tmp_path / "watched.db"
    engine = tracked_engine(path)
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)
    loads: list[int] = []

    def count() -> int:
        loads.append(1)
        with engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(sa.table("t"))).scalar_one())

    assert memo.get("t", count) == memo.get("t", count) == 0 and len(loads) == 1
    # A write the app did not count (another program, on table u): the watch cannot tell the table.
    script = f"import sqlite3; c = sqlite3.connect({str(path)!r}, isolation_level=None); c.execute('INSERT INTO u VALUES (1)')"
    subprocess.run([sys.executable, "-c", script], check=True)
    assert memo.get("t", count) == 0 and len(loads) == 2
    assert memo.get("t", count) == 0 and len(loads) == 2
    watch.close()
    engine.dispose()


def test_a_value_built_on_another_remembered_value_follows_its_tables(tmp_path: Path) -> None:
    engine = tracked_engine(tmp_path / "watched.db")
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)

    def count(table: str) -> int:
        with engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
            )

    assert memo.get("u", lambda: count("u")) == 0  # remembered: the load below finds it in memory
    both = lambda: (count("t"), memo.get("u", lambda: count("u")))  # noqa: E731
    assert memo.get("both", both) == (0, 0)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO u VALUES (1)"))
    assert memo.get("both", both) == (0, 1), "it was read from u too, through the value it found"
    watch.close()
    engine.dispose()


def test_failed_loads_leave_nothing_behind(tmp_path: Path) -> None:
    engine = tracked_engine(tmp_path / "watched.db")
    watch = ChangeWatch(engine.url)
    memo = ReadMemo(watch, max_age=3600)

    def missing() -> int:
        raise LookupError("no such product")

    for key in range(200):  # made-up keys, as a crawler asking for products that do not exist
        with pytest.raises(LookupError):
            memo.get(("product", key), missing)
    assert not memo._loading, "no lock is kept for a key whose load failed"
    watch.close()
    engine.dispose()
