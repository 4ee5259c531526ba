"""Type-ahead: product names in any locale whose words start with what was typed."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis import cjk_index_terms
from search.analysis import cjk_query_terms
from search.analysis import clean_text
from search.analysis import fold_key
from search.analysis import token_spans
from search.analysis import tokenize
from search.documents import LOCALES
from search.documents import Suggestion
from search.fts5_schema import SUGGEST_NAMES
from search.fts5_schema import SUGGEST_TERMS
from search.fts5_state import View

#: Matching rows read before ranking by popularity (the candidate limit).
CANDIDATES = 300


@dataclass(frozen=True)
class _Typed:
    """One typed word: its key (or CJK text) and whether it is still being typed."""

    key: str
    cjk: bool
    prefix: bool

    def expression(self) -> str:
        if self.cjk:
            if len(self.key) == 1:
                return f'"{self.key}"*'
            return "(" + " AND ".join(f'"{t}"' for t in cjk_query_terms(self.key)) + ")"
        return f'"{self.key}"' + ("*" if self.prefix else "")

    def found_in(self, words: tuple[str, ...], cjk_terms: frozenset[str]) -> bool:
        if self.cjk:
            if len(self.key) == 1:
                return any(term.startswith(self.key) for term in cjk_terms)
            return all(term in cjk_terms for term in cjk_query_terms(self.key))
        if self.prefix:
            return any(word.startswith(self.key) for word in words)
        return self.key in words


def typed_words(text: str) -> list[_Typed] | None:
    """The typed words; the last one is a prefix unless a space follows it. None: unusable."""
    tokens = tokenize(text)
    typing_last = not text[-1:].isspace()
    typed: list[_Typed] = []
    for index, token in enumerate(tokens):
        prefix = typing_last and index == len(tokens) - 1
        key = token.text if token.cjk else fold_key(token.text)
        if not key:
            return None
        typed.append(_Typed(key, token.cjk, prefix))
    return typed or None


def match_expression(typed: Sequence[_Typed]) -> str:
    """FTS5 query: every typed word in the name of one locale."""
    groups = " AND ".join(word.expression() for word in typed)
    if len(typed) == 1:
        return groups
    return " OR ".join(f"{{{column}}} : ({groups})" for column in SUGGEST_TERMS)


@functools.lru_cache(maxsize=131_072)
def _name_words(name: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Keys of a name's words, and its CJK index terms."""
    words: list[str] = []
    cjk: set[str] = set()
    for text, _, _, is_cjk in token_spans(name):
        if is_cjk:
            cjk.update(cjk_index_terms(text))
        else:
            words.append(fold_key(text))
    return tuple(words), frozenset(cjk)


def _matches(name: str, typed: Sequence[_Typed]) -> bool:
    words, cjk_terms = _name_words(name)
    return all(word.found_in(words, cjk_terms) for word in typed)


_FIRST_WORD = re.compile(r"[^\W_]+")


def _first_word_key(name: str) -> str:
    """Key of the name's first word ("" when it starts with CJK or has no word)."""
    match = _FIRST_WORD.match(name.lstrip("«\"'(["))
    return fold_key(match.group()) if match else ""


def _starts_with(name: str, typed: _Typed) -> bool:
    if typed.cjk:
        return name.startswith(typed.key)
    return _first_word_key(name).startswith(typed.key)


def suggest_names(
    conn: sqlite3.Connection, view: View, text: str, locales: Sequence[str], limit: int
) -> list[Suggestion]:
    """Up to *limit* distinct names, those starting with the text first, then by popularity.

    A product's name is shown in the first locale of the reader's chain whose name matches.
    """
    typed = typed_words(clean_text(text))
    if typed is None:
        return []
    chain = [LOCALES.index(lo) for lo in dict.fromkeys([*locales, *LOCALES]) if lo in LOCALES]
    names_sql = ", ".join(SUGGEST_NAMES)
    rows = conn.execute(
        f"SELECT rowid, {names_sql} FROM {view.tables.suggest} WHERE {view.tables.suggest} MATCH ? "
        f"LIMIT {CANDIDATES}",
        (match_expression(typed),),
    )
    first = typed[0]
    ranked: list[tuple[bool, float, int, list[str]]] = []
    for rowid, *names in rows:
        if rowid not in view.ids:
            continue
        present = [names[index] for index in chain if names[index]]
        if present:
            starts = any(_starts_with(name, first) for name in present)
            ranked.append((not starts, -view.popularity[rowid], rowid, present))
    ranked.sort()
    out: list[Suggestion] = []
    seen: set[str] = set()
    for _, _, rowid, present in ranked:
        name = next((name for name in present if _matches(name, typed)), present[0])
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        out.append(Suggestion(text=name, product_id=view.ids[rowid]))
        if len(out) == limit:
            break
    return out
