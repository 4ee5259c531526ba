"""Running the Alembic migrations programmatically (``tianshan db upgrade``)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at *url*."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: sa.Engine, revision: str = "heads") -> None:
    """Migrate the database behind *engine* to *revision* (default: every branch's head).

    Each capability's migrations form a branch from the core revision, so several can be
    developed side by side; ``heads`` applies them all.

    On SQLite, foreign keys are off while the migrations run: batch mode alters a table by copying
    it and dropping the original, and with foreign keys on, that drop would cascade into every table
    that refers to it (a new column on ``products`` would delete every product's texts). Before the
    transaction commits, ``PRAGMA foreign_key_check`` must find nothing.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(
                            f"the migrations would leave rows without their parent: {broken[:5]}"
                        )
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: sa.Connection, *, on: bool) -> None:
    # The pragma is ignored inside a transaction: send it on the driver's connection, outside one.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def current_revision(engine: sa.Engine) -> str | None:
    """The revisions the database is at (comma-separated), or ``None`` before the first migration."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ", ".join(sorted(heads)) or None
