"""The ranking rules every engine applies, as the weight of one query word's best match.

A product's score is the sum over the query's words of the weight of each word's best
(field, level) match; products with equal scores follow popularity. The weights make the
rules strictly ordered, like Meilisearch's ranking rules:

1. words matched: a product must match every word that matches anything at all;
2. typos: a word matched without a typo outweighs any word matched through one, so an exact
   match always ranks above a typo match (:data:`WITHOUT_TYPO` exceeds every other weight
   summed over the longest query);
3. field: name (with the names it is also found by: origin country, category, booth and
   brand, see :mod:`search.names`), then highlights, then description;
4. exactness: the word as typed, then its stem, then its transliteration key;
5. popularity breaks the remaining ties.

An exact SKU or barcode match (:data:`SKU_SCORE`) comes before everything.
"""

from __future__ import annotations

#: Text fields from the strongest: name, highlights, description.
FIELDS: tuple[str, ...] = ("name", "highlights", "description")
#: Match levels from the most exact; ``typo`` is the word within its typo budget.
LEVELS: tuple[str, ...] = ("exact", "stem", "key", "typo")
#: Added to a word matched without a typo.
WITHOUT_TYPO = 1000.0
#: Step between fields (must exceed the spread of the levels within a field).
FIELD_STEP = 10.0
#: Weight of an exact SKU or barcode match: above any sum of word weights.
SKU_SCORE = 1_000_000.0


def match_weight(field: int, level: str) -> float:
    """The weight of one word matched in field number *field* (0 = name) at *level*."""
    field_rank = len(FIELDS) - field  # name 3, highlights 2, description 1
    if level == "typo":
        return FIELD_STEP * field_rank
    exactness = len(LEVELS) - 1 - LEVELS.index(level)  # exact 3, stem 2, key 1
    return WITHOUT_TYPO + FIELD_STEP * field_rank + exactness
