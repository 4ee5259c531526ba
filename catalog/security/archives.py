"""Bounded decompression: a ZIP container (XLSX) is measured before anything reads it."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

#: Members smaller than this may compress as well as they like (empty cells compress very well).
RATIO_FLOOR_BYTES = 1024 * 1024


class ArchiveTooLarge(ValueError):
    """The archive would expand beyond what the service agrees to read."""


@dataclasses.dataclass(frozen=True)
class ArchiveLimits:
    """How far an archive may expand: in total, and per member relative to its compressed size."""

    max_total_bytes: int = 64 * 1024 * 1024
    max_ratio: int = 100


def check_archive(path: Path, limits: ArchiveLimits) -> None:
    """Raise :class:`ArchiveTooLarge` unless the ZIP at *path* stays within *limits*.

    The sizes are those the archive declares; :mod:`zipfile` never inflates a member beyond its
    declared size (it stops there and the CRC check fails), so the declaration is a real bound.
    Raises :class:`zipfile.BadZipFile` for a file that is not a ZIP archive.
    """
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > limits.max_total_bytes:
        raise ArchiveTooLarge(
            f"it would expand to {total // (1024 * 1024)} MB, more than the "
            f"{limits.max_total_bytes // (1024 * 1024)} MB allowed"
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise ArchiveTooLarge(
                f"a part of it expands {ratio:.0f} times, more than the {limits.max_ratio} times allowed"
            )
