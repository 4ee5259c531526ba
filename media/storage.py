"""Content-addressed media storage: a small protocol and a local-filesystem implementation.

A key names a stored file by the SHA-256 of its bytes, fanned out into two directory
levels: ``ab/cd/abcd…(64 hex).webp``. Keys are validated against that exact shape, so no
key can reach outside the storage root.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from typing import Protocol
from typing import runtime_checkable

from media.errors import InvalidKey
from media.errors import MediaNotFound
from media.errors import StorageError
from media.errors import StorageFull

EXTENSIONS = frozenset({"webp", "jpg", "png"})
_KEY = re.compile(r"\A([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})\.(webp|jpg|png)\Z")
_NAME = re.compile(r"\A([0-9a-f]{64})\.(webp|jpg|png)\Z")
_TEMP_PREFIX = ".tmp-"
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
#: For the uploader, so it names no server path; the cause (errno, file) stays chained for the log.
_FULL = (
    "The media storage is full; nothing was saved. "
    "Free some space (for example with the media gc command) and try again."
)


def key_for(data: bytes, extension: str) -> str:
    """The content-addressed key for *data* stored with *extension* (``webp``, ``jpg``, ``png``)."""
    return key_for_digest(hashlib.sha256(data).hexdigest(), extension)


def key_for_digest(digest: str, extension: str) -> str:
    """The key for a file whose SHA-256 is *digest*."""
    return validate_key(f"{digest[:2]}/{digest[2:4]}/{digest}.{extension}")


def validate_key(key: str) -> str:
    """Return *key* unchanged if it is a well-formed key, else raise :class:`InvalidKey`."""
    match = _KEY.match(key) if isinstance(key, str) else None
    if match is None or not match.group(3).startswith(match.group(1) + match.group(2)):
        raise InvalidKey(f"{key!r} is not a media file name.")
    return key


def require_matching_bytes(key: str, data: bytes) -> None:
    """Refuse with :class:`InvalidKey` to store *data* under a key that names other bytes."""
    if hashlib.sha256(data).hexdigest() != digest_of(key):
        raise InvalidKey(f"The bytes given for {key!r} do not match its SHA-256.")


def digest_of(key: str) -> str:
    """The SHA-256 hex digest a key names (also its strong ETag)."""
    return validate_key(key).rsplit("/", 1)[1].split(".", 1)[0]


def key_from_name(name: str) -> str:
    """Turn a public file name ``<sha256>.<ext>`` (as used in URLs) back into a key."""
    match = _NAME.match(name) if isinstance(name, str) else None
    if match is None:
        raise InvalidKey(f"{name!r} is not a media file name.")
    return key_for_digest(match.group(1), match.group(2))


def name_of(key: str) -> str:
    """The public file name of a key: ``<sha256>.<ext>``."""
    return validate_key(key).rsplit("/", 1)[1]


@runtime_checkable
class Storage(Protocol):
    """Where media files live. Keys come from :func:`key_for`; values are immutable."""

    def put(self, key: str, data: bytes) -> bool:
        """Store *data* under *key* atomically; return False if it was already stored."""
        ...

    def read(self, key: str) -> bytes:
        """Return the stored bytes; raise :class:`MediaNotFound` if absent."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open the stored file for reading; raise :class:`MediaNotFound` if absent."""
        ...

    def exists(self, key: str) -> bool:
        """Whether *key* is stored."""
        ...

    def delete(self, key: str) -> bool:
        """Remove *key*; return False if it was not stored."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key, in no particular order."""
        ...

    def listing(self) -> Iterator[tuple[str, float]]:
        """Every stored key with when it was written (POSIX seconds), in no particular order."""
        ...


class LocalStorage:
    """Files under a root directory, written atomically (temp file, fsync, rename)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key: str) -> Path:
        """The filesystem path of *key* (for ``send_file``); the key is validated first."""
        return self.root.joinpath(*validate_key(key).split("/"))

    def put(self, key: str, data: bytes) -> bool:
        target = self.path(key)
        require_matching_bytes(key, data)
        if target.is_file():
            return False
        created = self._make_dirs(target.parent)
        try:
            try:
                self._write_atomically(target, data)
            except FileNotFoundError:  # A concurrent failed write removed the new directory.
                created += self._make_dirs(target.parent)
                self._write_atomically(target, data)
        except OSError as error:
            for directory in reversed(created):
                _remove_empty_dir(directory)
            if error.errno in _FULL_ERRNOS:
                raise StorageFull(_FULL) from error
            raise StorageError(
                f"Could not write a media file in {self.root}: {error.strerror or error}."
            ) from error
        return True

    def read(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def open(self, key: str) -> BinaryIO:
        path = self.path(key)
        try:
            return path.open("rb")
        except FileNotFoundError as error:
            raise MediaNotFound(f"No media file {name_of(key)} is stored.") from error
        except OSError as error:
            raise StorageError(f"Could not read media file {name_of(key)}: {error}.") from error

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> bool:
        path = self.path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as error:
            raise StorageError(f"Could not delete media file {name_of(key)}: {error}.") from error
        return True

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.listing())

    def listing(self) -> Iterator[tuple[str, float]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            key = path.relative_to(self.root).as_posix()
            if _KEY.match(key) and path.is_file():
                try:
                    yield key, path.stat().st_mtime
                except FileNotFoundError:  # removed while listing
                    continue

    def sweep_temporary(self, older_than_seconds: float = 3600.0) -> list[Path]:
        """Remove temp files left by writes interrupted by a crash; return what was removed."""
        removed: list[Path] = []
        cutoff = time.time() - older_than_seconds
        for path in self.root.glob(f"??/??/{_TEMP_PREFIX}*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
        return removed

    def _make_dirs(self, directory: Path) -> list[Path]:
        created: list[Path] = []
        for level in (directory.parent, directory):
            try:
                level.mkdir(parents=True)
                created.append(level)
            except FileExistsError:
                continue
            except OSError as error:
                for made in reversed(created):
                    _remove_empty_dir(made)
                if error.errno in _FULL_ERRNOS:
                    raise StorageFull(_FULL) from error
                raise StorageError(f"Could not create a media directory in {self.root}: {error}.") from error
        return created

    @staticmethod
    def _write_atomically(target: Path, data: bytes) -> None:
        temp = target.parent / f"{_TEMP_PREFIX}{os.getpid()}-{time.monotonic_ns()}-{target.name}"
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_empty_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        directory.rmdir()
