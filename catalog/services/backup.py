"""Backups: SQLite's online backup of each database, plus every stored media file (folder or bucket).

A backup is one ``.tar.gz`` holding ``catalog.db``, ``search.db`` (when embedded), the media
files and a ``manifest.json`` with counts and checksums, so a restore can be verified.
PostgreSQL deployments back up the database with ``pg_dump`` and the media alone with
:func:`create_media_backup` (``tianshan media backup``; see the README).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
import typing as t
from pathlib import Path

import sqlalchemy as sa

import media
from catalog.models import utcnow

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore cannot be done as asked."""


@dataclasses.dataclass(frozen=True)
class Instance:
    """Where an embedded instance keeps its data."""

    database: Path
    search: Path | None
    media: media.Storage


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
        manifest = {
            "created_at": utcnow().isoformat(),
            "products": _count_products(staging / "catalog.db"),
            "catalog_sha256": _file_digest(staging / "catalog.db"),
        }

        def write(archive: tarfile.TarFile) -> None:
            for name in ("catalog.db", "search.db"):
                if (staging / name).exists():
                    archive.add(staging / name, arcname=name)

        return _write_archive(destination, manifest, instance.media, write)


def create_media_backup(storage: media.Storage, destination: Path) -> dict[str, t.Any]:
    """Write every stored media file (of a folder or a bucket) to *destination*; returns the manifest."""
    return _write_archive(destination, {"created_at": utcnow().isoformat()}, storage, lambda _archive: None)


def _write_archive(
    destination: Path,
    manifest: dict[str, t.Any],
    storage: media.Storage,
    write: t.Callable[[tarfile.TarFile], None],
) -> dict[str, t.Any]:
    """The archive: what *write* adds, each media file read from *storage*, then the manifest."""
    media_files: dict[str, str] = {}
    partial = destination.with_name(destination.name + ".partial")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            write(archive)
            for key in sorted(storage.keys()):
                data = storage.read(key)
                media_files[key] = hashlib.sha256(data).hexdigest()
                _add_bytes(archive, f"media/{key}", data)
            manifest = {**manifest, "media": media_files}
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
    except media.MediaError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the media storage could not be read: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def _unpack(archive_path: Path, staging: Path) -> dict[str, t.Any]:
    """Extract *archive_path* into *staging*, check every media file; return the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(staging, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive_path} is not a readable backup: {exc}") from exc
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive_path} has no valid {MANIFEST}") from exc
    for relative, digest in manifest["media"].items():
        if _file_digest(staging / "media" / relative) != digest:
            raise BackupError(f"media file {relative} does not match its checksum")
    return dict(manifest)


def _restore_media(staging: Path, manifest: dict[str, t.Any], storage: media.Storage) -> None:
    try:
        for relative in manifest["media"]:
            storage.put(relative, (staging / "media" / relative).read_bytes())
    except media.MediaError as exc:
        raise BackupError(f"media file could not be restored: {exc}") from exc


def restore_backup(archive_path: Path, instance: Instance, *, force: bool = False) -> dict[str, t.Any]:
    """Restore *archive_path* into *instance*, verifying every file against the manifest."""
    if instance.database.exists() and not force:
        raise BackupError(f"{instance.database} exists; restore into a fresh instance or pass --force")
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        manifest = _unpack(archive_path, staging)
        if "catalog_sha256" not in manifest or not (staging / "catalog.db").exists():
            raise BackupError(
                f"{archive_path} holds no database; restore media backups with `tianshan media restore`"
            )
        if _file_digest(staging / "catalog.db") != manifest["catalog_sha256"]:
            raise BackupError("the database in the backup does not match its checksum")
        _restore_media(staging, manifest, instance.media)  # the files first, then the rows naming them
        instance.database.parent.mkdir(parents=True, exist_ok=True)
        _online_copy(staging / "catalog.db", instance.database)
        if instance.search and (staging / "search.db").exists():
            _online_copy(staging / "search.db", instance.search)
    return manifest


def restore_media_backup(archive_path: Path, storage: media.Storage) -> dict[str, t.Any]:
    """Put every media file of a backup into *storage* (files already there are kept)."""
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        manifest = _unpack(archive_path, staging)
        _restore_media(staging, manifest, storage)
    return manifest
