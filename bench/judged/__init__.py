"""Judged queries over the demo catalog: what a viewer types and how good each product is."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

#: The judged collection, one query a line (written by ``bench.judged.write_judgments``).
QUERIES_FILE = Path(__file__).resolve().parent / "queries.jsonl"


@dataclass(frozen=True)
class JudgedQuery:
    """One query, its group, the reader's locale and the grade (1-3) of each relevant SKU."""

    query: str
    group: str
    locale: str
    grades: dict[str, int]

    @property
    def negative(self) -> bool:
        """The catalog sells nothing this query asks for."""
        return not self.grades


def load_judged(path: Path = QUERIES_FILE) -> list[JudgedQuery]:
    """Every judged query of *path*, in file order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [JudgedQuery(row["query"], row["group"], row["locale"], dict(row["grades"])) for row in rows]
