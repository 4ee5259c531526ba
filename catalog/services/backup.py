"""Backups of the embedded setup: SQLite's online backup of each database, plus the media folder.

A backup is one ``.tar.gz`` holding ``catalog.db``, ``search.db`` (when embedded), the media
files and a ``manifest.json`` with counts and checksums, so a restore can be verified.
PostgreSQL deployments back up with ``pg_dump`` instead (see the README).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
import typing as t
from pathlib import Path

import sqlalchemy as sa

from catalog.models import utcnow

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore cannot be done as asked."""


@dataclasses.dataclass(frozen=True)
class Instance:
    """Where an embedded instance keeps its data."""

    database: Path
    search: Path | None
    media: Path


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL, or ``None`` for other databases."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def _online_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently, even while it is being written."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_products(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM products").fetchone()
    connection.close()
    return int(count)


def create_backup(instance: Instance, destination: Path) -> dict[str, t.Any]:
    """Write a backup of *instance* to *destination* (a ``.tar.gz``); returns its manifest."""
    if not instance.database.exists():
        raise BackupError(f"no database at {instance.database}")
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        _online_copy(instance.database, staging / "catalog.db")
        if instance.search and instance.search.exists():
            _online_copy(instance.search, staging / "search.db")
        media_files: dict[str, str] = {}
        if instance.media.exists():
            for path in sorted(
                p for p in instance.media.rglob("*") if p.is_file() and not p.name.startswith(".")
            ):
                relative = path.relative_to(instance.media).as_posix()
                media_files[relative] = _file_digest(path)
        manifest = {
            "created_at": utcnow().isoformat(),
            "products": _count_products(staging / "catalog.db"),
            "catalog_sha256": _file_digest(staging / "catalog.db"),
            "media": media_files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for name in ("catalog.db", "search.db", MANIFEST):
                if (staging / name).exists():
                    archive.add(staging / name, arcname=name)
            for relative in media_files:
                archive.add(instance.media / relative, arcname=f"media/{relative}")
        partial.replace(destination)
    return manifest


def restore_backup(archive_path: Path, instance: Instance, *, force: bool = False) -> dict[str, t.Any]:
    """Restore *archive_path* into *instance*, verifying every file against the manifest."""
    if instance.database.exists() and not force:
        raise BackupError(f"{instance.database} exists; restore into a fresh instance or pass --force")
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(staging, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{archive_path} is not a readable backup: {exc}") from exc
        try:
            manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"{archive_path} has no valid {MANIFEST}") from exc
        if _file_digest(staging / "catalog.db") != manifest["catalog_sha256"]:
            raise BackupError("the database in the backup does not match its checksum")
        for relative, digest in manifest["media"].items():
            if _file_digest(staging / "media" / relative) != digest:
                raise BackupError(f"media file {relative} does not match its checksum")
        instance.database.parent.mkdir(parents=True, exist_ok=True)
        _online_copy(staging / "catalog.db", instance.database)
        if instance.search and (staging / "search.db").exists():
            _online_copy(staging / "search.db", instance.search)
        for relative in manifest["media"]:
            target = instance.media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staging / "media" / relative, target)
    return dict(manifest)
