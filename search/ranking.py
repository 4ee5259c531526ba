"""The ranking rules every engine applies, as the weight of one query word's best match.

A product's score is the sum over the query's words of the weight of each word's best
(field, level) match; products with equal scores follow popularity. The weights make the
rules strictly ordered, like Meilisearch's ranking rules:

1. words matched: a product must match every word that matches anything at all;
2. typos: a word matched without a typo outweighs any word matched through one, so an exact
   match always ranks above a typo match (:data:`WITHOUT_TYPO` exceeds every other weight
   summed over the longest query);
3. field: name (with the names it is also found by: origin country, category, booth and
   brand, see :mod:`search.names`), then highlights, then description; a word found both in
   the product's own name and in the names around it (:data:`BOTH_NAMES_BONUS`) ranks above
   one found in only one of them, so a category that lists its kinds ("Крупы и рис") puts the
   products named by the word before its other kinds;
4. exactness: the word as typed, then its stem, then its transliteration key;
5. popularity breaks the remaining ties.

An exact SKU or barcode match (:data:`SKU_SCORE`) comes before everything.
"""

from __future__ import annotations

#: Text fields from the strongest: name, the names around it (labels), highlights, description.
FIELDS: tuple[str, ...] = ("name", "labels", "highlights", "description")
#: Fields that say what a product is called (its name and the names around it).
NAMED_FIELDS: tuple[int, ...] = (0, 1)
#: Rank of each field: the names around a product rank with its name.
FIELD_RANKS: tuple[int, ...] = (3, 3, 2, 1)
#: Match levels from the most exact; ``typo`` is the word within its typo budget.
LEVELS: tuple[str, ...] = ("exact", "stem", "key", "typo")
#: Added to a word matched without a typo.
WITHOUT_TYPO = 1000.0
#: Step between fields (must exceed the spread of the levels within a field).
FIELD_STEP = 10.0
#: Added to a word found both in the product's own name and in the names around it: summed
#: over the longest query (12 words) it stays below one exactness step.
BOTH_NAMES_BONUS = 0.04
#: Weight of an exact SKU or barcode match: above any sum of word weights.
SKU_SCORE = 1_000_000.0


def match_weight(field: int, level: str) -> float:
    """The weight of one word matched in field number *field* (0 = name) at *level*."""
    field_rank = FIELD_RANKS[field]
    if level == "typo":
        return FIELD_STEP * field_rank
    exactness = len(LEVELS) - 1 - LEVELS.index(level)  # exact 3, stem 2, key 1
    return WITHOUT_TYPO + FIELD_STEP * field_rank + exactness
