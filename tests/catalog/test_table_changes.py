"""Commits count the tables they write, and captured reads name the tables they read."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.freshness import announce_commits
from catalog.models import ApiToken
from catalog.models import Base
from catalog.models import TableChangeCount
from catalog.table_changes import EVERY_TABLE
from catalog.table_changes import capturing_reads
from catalog.table_changes import track_tables

METADATA = sa.MetaData()
PARENT = sa.Table("parent", METADATA, sa.Column("id", sa.Integer, primary_key=True))
CHILD = sa.Table(
    "child",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.ForeignKey("parent.id", ondelete="CASCADE")),
)
GRANDCHILD = sa.Table(
    "grandchild",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("child_id", sa.ForeignKey("child.id", ondelete="SET NULL")),
)
#: Refers to parent without an action: deleting a parent it refers to fails instead.
NOTE = sa.Table(
    "note",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.ForeignKey("parent.id")),
)
TableChangeCount.__table__.to_metadata(METADATA)


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'counted.db'}")
    METADATA.create_all(engine)
    track_tables(engine, METADATA)
    announce_commits(engine)
    return engine


def counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT name, commits FROM table_change_counts")).all())


@pytest.mark.parametrize(
    ("statement", "written"),
    [
        (sa.insert(NOTE).values(id=1), {"note"}),
        (
            sa.insert(PARENT).values(id=2),
            {"parent", "child", "grandchild"},
        ),  # what its changes may cascade to
        (sa.update(CHILD).values(parent_id=None), {"child", "grandchild"}),
        (sa.delete(GRANDCHILD), {"grandchild"}),
        (sa.text('INSERT OR REPLACE INTO "note" (id) VALUES (3)'), {"note"}),
        (sa.text("delete from child"), {"child", "grandchild"}),
        (sa.text("WITH gone AS (SELECT 1) DELETE FROM note"), {EVERY_TABLE}),
        (sa.text("UPDATE main.note SET id = 5"), {"note"}),
        (sa.text('/* a comment */ -- and another\n INSERT INTO "main"."note" (id) VALUES (6)'), {"note"}),
        (sa.text("CREATE TABLE later (x INTEGER)"), {EVERY_TABLE}),
    ],
)
def test_a_commit_counts_the_tables_it_wrote(
    engine: sa.Engine, statement: sa.Executable, written: set[str]
) -> None:
    with engine.begin() as connection:
        connection.execute(sa.insert(PARENT).values(id=1))
    before = counts(engine)
    with engine.begin() as connection:
        connection.execute(statement)
        connection.execute(sa.select(NOTE))  # a read counts nothing
    after = counts(engine)
    assert {name for name in after if after[name] != before.get(name, 0)} == written
    assert all(after[name] == before.get(name, 0) + 1 for name in written)


def test_a_transaction_that_writes_nothing_or_rolls_back_counts_nothing(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.select(PARENT))
        connection.execute(sa.text("WITH ids AS (SELECT id FROM parent) SELECT * FROM ids"))
        connection.execute(sa.text("-- a comment\nVALUES (1)"))
    with engine.connect() as connection:
        connection.execute(sa.insert(NOTE).values(id=1))
        connection.rollback()
    assert counts(engine) == {}


def test_captured_reads_name_the_tables_read(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        with capturing_reads() as joined:
            connection.execute(
                sa.select(CHILD.c.id).join(PARENT).where(PARENT.c.id.in_(sa.select(NOTE.c.parent_id)))
            )
        assert joined == {"child", "parent", "note"}
        with capturing_reads() as text:
            connection.execute(sa.text("SELECT id FROM parent"))
        assert text == {EVERY_TABLE}  # SQL text: the tables cannot be told
        with capturing_reads() as outer:
            connection.execute(sa.select(PARENT))
            with capturing_reads() as inner:
                connection.execute(sa.select(NOTE))
        assert inner == {"note"} and outer == {"parent", "note"}


def test_captured_reads_name_the_tables_the_orm_joins_to_load_relations(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    Base.metadata.create_all(engine)
    track_tables(engine, Base.metadata)
    with Session(engine) as session, capturing_reads() as tables:
        session.execute(sa.select(ApiToken)).all()  # its user is loaded in the same query
    assert tables == {"api_tokens", "users"}
