"""The cyclic garbage collector, relaxed while many objects are built at once.

Every 700 new objects Python looks for reference cycles among the young ones, and from time
to time among all of them. An import or a rebuild keeps tens of thousands of rows alive
until it ends, so those passes find nothing and, in a default setup, take a third of the
command's CPU. Objects already alive (the application, its modules) are frozen out of every
pass, and the young generation is scanned far less often.
"""

from __future__ import annotations

import gc

#: New objects between two passes of the collector while it is relaxed. An import writes
#: 1,000 products at a time, some 70,000 objects; passes three chunks apart find most of
#: them gone already (a quarter of the collector's time of passes 50,000 apart).
YOUNG_THRESHOLD = 200_000


def relax() -> tuple[int, int, int]:
    """Freeze what is alive and scan the young generation less often; return the old thresholds."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    return thresholds


def restore(thresholds: tuple[int, int, int]) -> None:
    """Undo :func:`relax`, given what it returned."""
    gc.set_threshold(*thresholds)
    gc.unfreeze()
