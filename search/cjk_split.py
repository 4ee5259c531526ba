"""Chinese queries without spaces split in two when the whole run is found nowhere.

A Chinese run is matched by its overlapping bigrams, all in one field. "韩国化妆品" is two
words ("韩国" + "化妆品") that no listing writes side by side: the country's name is in one
field and the category word in another. When a run finds nothing, it is cut where its two
parts, each matched on its own in any field like two typed words, find the most products.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence

from search.analysis import QueryWord
from search.analysis import cjk_query_terms

#: Runs shorter than this are never split.
MIN_SPLIT_LENGTH = 3
#: Runs longer than this are not tried (each cut costs a count).
MAX_SPLIT_LENGTH = 12
#: Counts the products matching every one of some Chinese words.
Counter = Callable[[Sequence[QueryWord]], int]


def cjk_word(text: str) -> QueryWord:
    """A Chinese query word: its bigrams must all match; a single character matches as a prefix."""
    return QueryWord(
        text=text,
        exact=frozenset(cjk_query_terms(text)),
        stem=frozenset(),
        key=frozenset(),
        cjk=True,
        prefix=len(text) == 1,
    )


def split_run(word: QueryWord, count: Counter) -> list[QueryWord]:
    """*word*, or its two parts finding the most products when the whole run finds none."""
    if not word.cjk or not MIN_SPLIT_LENGTH <= len(word.text) <= MAX_SPLIT_LENGTH or count([word]):
        return [word]
    best, parts = 0, [word]
    for cut in range(1, len(word.text)):
        pair = [cjk_word(word.text[:cut]), cjk_word(word.text[cut:])]
        found = count(pair)
        if found > best:
            best, parts = found, pair
    return parts


def split_runs(words: Sequence[QueryWord], count: Counter) -> list[QueryWord]:
    """*words* with every Chinese run that finds nothing split in two (see :func:`split_run`)."""
    return [part for word in words for part in split_run(word, count)]
