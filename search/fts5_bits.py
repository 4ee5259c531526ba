"""Sets of row numbers as Python integers (bit *n* set = row *n*), and orders over them.

Intersections, unions and counts of 100,000-row sets cost microseconds this way, which is
what makes exact totals and disjunctive facet counts cheap on any result size.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

CHUNK = 512
_SMALL = 16


def _from_array(rows: npt.NDArray[np.int64]) -> int:
    flags = np.zeros(int(rows.max()) + 1, dtype=np.bool_)
    flags[rows] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def bits_of(rowids: Iterable[int]) -> int:
    """The set holding *rowids*."""
    rows = list(rowids)
    if len(rows) < _SMALL:
        value = 0
        for row in rows:
            value |= 1 << row
        return value
    return _from_array(np.asarray(rows, dtype=np.int64))


def bits_of_csv(text: str) -> int:
    """The set of the comma-separated row numbers in *text* (SQLite ``group_concat``)."""
    if not text:
        return 0
    return _from_array(np.fromstring(text, dtype=np.int64, sep=","))


def members(bits: int) -> list[int]:
    """The row numbers in *bits*, ascending."""
    if not bits:
        return []
    if bits.bit_count() < _SMALL and bits.bit_length() < 4096:
        out: list[int] = []
        while bits:
            low = bits & -bits
            out.append(low.bit_length() - 1)
            bits ^= low
        return out
    data = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) >> 3, "little"), dtype=np.uint8)
    found: list[int] = np.flatnonzero(np.unpackbits(data, bitorder="little")).tolist()
    return found


class Order:
    """Rows sorted by a key, cut into chunks whose sets allow ordered walks and ranges."""

    def __init__(self, keyed_rows: Sequence[tuple[float, int]]) -> None:
        ordered = sorted(keyed_rows)
        self.keys = [key for key, _ in ordered]
        self.rows = [row for _, row in ordered]
        self.position = {row: index for index, row in enumerate(self.rows)}
        self.chunks = [bits_of(self.rows[i : i + CHUNK]) for i in range(0, len(self.rows), CHUNK)]
        prefix = [0]
        for chunk in self.chunks:
            prefix.append(prefix[-1] | chunk)
        self._prefix = prefix

    def first(self, bits: int, count: int, reverse: bool = False) -> list[int]:
        """The first *count* rows of *bits* in this order (or reversed)."""
        if count <= 0 or not bits:
            return []
        sort_key: Callable[[int], int] = self.position.__getitem__
        if bits.bit_count() <= 4 * CHUNK:
            found = sorted(members(bits), key=sort_key, reverse=reverse)
            return found[:count]
        out: list[int] = []
        chunks = reversed(self.chunks) if reverse else iter(self.chunks)
        for chunk in chunks:
            inside = bits & chunk
            if inside:
                out.extend(sorted(members(inside), key=sort_key, reverse=reverse))
                if len(out) >= count:
                    break
        return out[:count]

    def _first_positions(self, count: int) -> int:
        """The set of the first *count* rows of the order."""
        whole, rest = divmod(count, CHUNK)
        start = whole * CHUNK
        return self._prefix[whole] | bits_of(self.rows[start : start + rest])

    def between(self, low: float | None, high: float | None) -> int:
        """Rows whose key lies in ``[low, high]`` (either bound may be open)."""
        start = 0 if low is None else bisect.bisect_left(self.keys, low)
        end = len(self.keys) if high is None else bisect.bisect_right(self.keys, high)
        if end <= start:
            return 0
        return self._first_positions(end) & ~self._first_positions(start)
