"""Garbage collection of media files no longer referenced by the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from media.storage import Storage
from media.storage import digest_of


@dataclass
class GcReport:
    """What a collection found (``dry_run``) or removed."""

    dry_run: bool
    unreferenced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: int = 0


def collect_garbage(storage: Storage, referenced: Iterable[str], *, dry_run: bool = True) -> GcReport:
    """List, or with ``dry_run=False`` remove, stored files whose hash is not in *referenced*.

    :param referenced: SHA-256 hex digests (or keys) of every file the catalog still uses.
    """
    wanted = {digest_of(item) if "/" in item else item.lower() for item in referenced}
    report = GcReport(dry_run=dry_run)
    for key in sorted(storage.keys()):
        if digest_of(key) in wanted:
            report.kept += 1
            continue
        report.unreferenced.append(key)
        if not dry_run and storage.delete(key):
            report.removed.append(key)
    return report
