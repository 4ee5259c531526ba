"""Garbage collection of media files no longer referenced by the catalog."""

from __future__ import annotations

import time
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
    #: Unreferenced files kept because they are younger than the grace period.
    recent: list[str] = field(default_factory=list)


#: Files younger than this are never collected: an upload writes its files before its row commits.
GRACE_SECONDS = 3600.0


def collect_garbage(
    storage: Storage,
    referenced: Iterable[str],
    *,
    dry_run: bool = True,
    grace_seconds: float = GRACE_SECONDS,
    now: float | None = None,
) -> GcReport:
    """List, or with ``dry_run=False`` remove, stored files whose hash is not in *referenced*.

    :param referenced: SHA-256 hex digests (or keys) of every file the catalog still uses.
    :param grace_seconds: files written less than this long ago are kept (see :data:`GRACE_SECONDS`).
    """
    wanted = {digest_of(item) if "/" in item else item.lower() for item in referenced}
    report = GcReport(dry_run=dry_run)
    newest = (time.time() if now is None else now) - grace_seconds
    for key, written in sorted(storage.listing()):
        if digest_of(key) in wanted:
            report.kept += 1
            continue
        if written > newest:
            report.recent.append(key)
            continue
        report.unreferenced.append(key)
        if not dry_run and storage.delete(key):
            report.removed.append(key)
    return report
