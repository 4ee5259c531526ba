"""Staff synonyms, applied to the words of a query before any engine sees them.

A synonym entry says that a phrase also means other phrases: one way (``шарап → вино``: a
search for шарап also finds вино) or both ways (``kumys ⇄ қымыз``: each finds the other).
Phrases may have several words. Expansion happens in the shared query analysis: each query
word covered by a phrase gains the transliteration keys of the phrase's synonyms, so every
engine matches them at the key level, below a match of what was typed in the same field.

Expansion takes one step and is bounded: ``a → b`` and ``b → c`` do not make ``a`` find
``c``, a cycle (``a → b``, ``b → a``) adds each side once, and a word gains at most
:data:`MAX_KEYS_PER_WORD` keys, so no table of synonyms can blow a query up.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence

from search.analysis import QueryWord
from search.analysis import fold_key
from search.analysis import is_cjk
from search.analysis import normalize_word
from search.analysis import query_word
from search.analysis import tokenize

#: Most transliteration keys synonyms add to one query word.
MAX_KEYS_PER_WORD = 24
#: Most words in one synonym phrase.
MAX_PHRASE_WORDS = 6

Phrase = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class SynonymEntry:
    """One staff entry: *term* also means each of *synonyms*; with *two_way*, each means all others."""

    term: str
    synonyms: tuple[str, ...]
    two_way: bool = False


def _word_key(word: str) -> str:
    """A word as synonyms compare it: its transliteration key (``шарап``, ``sharap`` alike)."""
    return fold_key(word) or normalize_word(word)


def normalized_text(text: str) -> str:
    """*text* as search compares whole queries: its words, normalised, one space apart."""
    return " ".join(normalize_word(token.text) for token in tokenize(text))


def written_in_letters(text: str) -> bool:
    """Whether *text* has words and none of them in Chinese, Japanese or Korean characters."""
    tokens = tokenize(text)
    return bool(tokens) and not any(token.cjk or is_cjk(token.text) for token in tokens)


def _keys(words: Sequence[str]) -> frozenset[str]:
    keys: set[str] = set()
    for word in words:
        keys |= query_word(word).key
    return frozenset(keys)


@dataclasses.dataclass(frozen=True)
class SynonymTable:
    """The synonyms of one locale, compiled: phrase → keys its synonyms add. Equal by content."""

    digest: str
    lookup: Mapping[Phrase, frozenset[str]] = dataclasses.field(compare=False, hash=False, repr=False)
    lengths: tuple[int, ...] = dataclasses.field(compare=False, hash=False, repr=False, default=())

    def __bool__(self) -> bool:
        return bool(self.lookup)

    def expand(self, words: Sequence[QueryWord]) -> list[QueryWord]:
        """*words* with the keys of this table's synonyms of every phrase they contain added."""
        return expand(words, self)


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalize_word(token.text) for token in tokenize(text) if not token.cjk)


def compile_table(entries: Iterable[SynonymEntry]) -> SynonymTable:
    """Compile *entries* into a table; later entries add to earlier ones, never chain through them."""
    added: dict[Phrase, set[str]] = {}
    for entry in entries:
        phrases = [words for words in (_words(text) for text in (entry.term, *entry.synonyms)) if words]
        if len(phrases) < 2:
            continue
        keys = [_keys(phrase) for phrase in phrases]
        every = frozenset().union(*keys)
        for source, own in list(zip(phrases, keys, strict=True))[: None if entry.two_way else 1]:
            key = tuple(_word_key(word) for word in source)
            added.setdefault(key, set()).update(every - own)
    lookup = {
        source: frozenset(sorted(keys)[: MAX_KEYS_PER_WORD * 4]) for source, keys in added.items() if keys
    }
    digest = hashlib.sha256(repr(sorted((k, sorted(v)) for k, v in lookup.items())).encode()).hexdigest()
    lengths = tuple(sorted({len(source) for source in lookup}, reverse=True))
    return SynonymTable(digest[:16], lookup, lengths)


def expand(words: Sequence[QueryWord], table: SynonymTable) -> list[QueryWord]:
    """*words* with the keys of *table*'s synonyms of every phrase they contain added."""
    forms = [None if word.cjk else _word_key(word.text) for word in words]
    added: list[set[str]] = [set() for _ in words]  # keys per word
    for start in range(len(words)):
        for length in table.lengths:
            span = forms[start : start + length]
            if len(span) < length or None in span:
                continue
            found = table.lookup.get(tuple(t for t in span if t is not None))
            if found:
                for index in range(start, start + length):
                    added[index] |= found
    out: list[QueryWord] = []
    for word, keys in zip(words, added, strict=True):
        extra = sorted(keys - word.key)[:MAX_KEYS_PER_WORD]
        out.append(dataclasses.replace(word, key=word.key | frozenset(extra)) if extra else word)
    return out
