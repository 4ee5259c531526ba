"""Relevance measures over judged queries: nDCG@10, zero results, junk@5, silent negatives."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bench.judged import JudgedQuery

#: Depth of nDCG.
NDCG_DEPTH = 10
#: Depth of the junk share.
JUNK_DEPTH = 5


@dataclass(frozen=True)
class QueryOutcome:
    """What an engine answered to one judged query."""

    judged: JudgedQuery
    skus: tuple[str, ...]  # the first results, best first
    total: int

    @property
    def ndcg(self) -> float:
        """nDCG@10 with gains ``2^grade - 1``; 0 for an answerable query answered with nothing."""
        return ndcg(self.skus, self.judged.grades)

    @property
    def junk(self) -> int:
        """Results among the first five that are graded 0."""
        return sum(1 for sku in self.skus[:JUNK_DEPTH] if self.judged.grades.get(sku, 0) == 0)

    @property
    def shown(self) -> int:
        """Results among the first five."""
        return len(self.skus[:JUNK_DEPTH])


def ndcg(skus: Sequence[str], grades: dict[str, int], depth: int = NDCG_DEPTH) -> float:
    """Normalised discounted cumulative gain of *skus* against *grades* at *depth*."""
    ideal = sorted(grades.values(), reverse=True)[:depth]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    if best == 0:
        return 0.0
    got = sum((2 ** grades.get(sku, 0) - 1) / math.log2(rank + 2) for rank, sku in enumerate(skus[:depth]))
    return got / best


@dataclass(frozen=True)
class Summary:
    """The measures of one set of outcomes (an engine's whole run, or one group)."""

    queries: int
    answerable: int
    ndcg: float
    zero_rate: float
    junk_rate: float
    negatives: int
    negatives_empty: float


def summarize(outcomes: Sequence[QueryOutcome]) -> Summary:
    """Average nDCG and zero-result rate over answerable queries; pooled junk@5; negatives left empty."""
    answerable = [o for o in outcomes if not o.judged.negative]
    negatives = [o for o in outcomes if o.judged.negative]
    shown = sum(o.shown for o in answerable)
    return Summary(
        queries=len(outcomes),
        answerable=len(answerable),
        ndcg=_mean([o.ndcg for o in answerable]),
        zero_rate=_mean([1.0 if o.total == 0 else 0.0 for o in answerable]),
        junk_rate=sum(o.junk for o in answerable) / shown if shown else 0.0,
        negatives=len(negatives),
        negatives_empty=_mean([1.0 if o.total == 0 else 0.0 for o in negatives]),
    )


def worst(outcomes: Sequence[QueryOutcome], count: int = 20) -> list[QueryOutcome]:
    """The *count* worst queries: answerable ones by nDCG, and negatives that found something."""

    def badness(outcome: QueryOutcome) -> tuple[float, int]:
        if outcome.judged.negative:
            return (0.5 if outcome.total else 1.0, -outcome.total)
        return (outcome.ndcg, -outcome.junk)

    return sorted(outcomes, key=badness)[:count]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
