"""Type-ahead: product names in any locale whose words start with what was typed."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Sequence

from search.analysis import Token
from search.analysis import cjk_query_terms
from search.analysis import clean_text
from search.analysis import fold_key
from search.analysis import normalize_word
from search.analysis import tokenize
from search.documents import LOCALES
from search.documents import Suggestion
from search.fts5_state import View

#: Matching rows read before ranking by popularity (the candidate limit).
CANDIDATES = 300
_FIRST_WORD = re.compile(r"[^\W_]+")


def _group(token: Token, prefix: bool) -> str | None:
    """FTS5 expression matching one typed word in the suggest table, or None."""
    if token.cjk:
        if len(token.text) == 1:
            return f'"{token.text}"*'
        return "(" + " AND ".join(f'"{t}"' for t in cjk_query_terms(token.text)) + ")"
    key = fold_key(token.text)
    if not key:
        return None
    return f'"{key}"' + ("*" if prefix else "")


def match_expression(text: str) -> str | None:
    """Every typed word must match; the last one as a prefix unless a space follows it."""
    tokens = tokenize(text)
    if not tokens:
        return None
    typing_last = not text[-1:].isspace()
    groups = [
        _group(token, prefix=typing_last and index == len(tokens) - 1) for index, token in enumerate(tokens)
    ]
    if any(group is None for group in groups):
        return None
    return " AND ".join(group for group in groups if group)


@functools.lru_cache(maxsize=65_536)
def _word_and_key(word: str) -> tuple[str, str]:
    return normalize_word(word), fold_key(word)


def suggest_names(
    conn: sqlite3.Connection, view: View, text: str, locales: Sequence[str], limit: int
) -> list[Suggestion]:
    """Up to *limit* distinct names, those starting with the text first, then by popularity."""
    text = clean_text(text)
    expression = match_expression(text)
    if expression is None:
        return []
    preference = {locale: i for i, locale in enumerate(dict.fromkeys([*locales, *LOCALES]))}
    typed_tokens = tokenize(text)
    typed_first = typed_tokens[0].text if typed_tokens else ""
    typed_key, typed_word = fold_key(typed_first), normalize_word(typed_first)
    best: dict[int, tuple[int, str]] = {}
    rows = conn.execute(
        f"SELECT rowid, name FROM {view.tables.suggest} WHERE {view.tables.suggest} MATCH ? "
        f"LIMIT {CANDIDATES}",
        (expression,),
    )
    for rowid, name in rows:
        doc_row, locale_index = divmod(rowid, 8)
        if doc_row not in view.ids or locale_index >= len(LOCALES):
            continue
        rank = preference.get(LOCALES[locale_index], len(preference))
        if doc_row not in best or rank < best[doc_row][0]:
            best[doc_row] = (rank, name)

    def order(item: tuple[int, tuple[int, str]]) -> tuple[bool, float, int]:
        doc_row, (_, name) = item
        first = _FIRST_WORD.search(name)
        word, key = _word_and_key(first.group() if first else "")
        starts = bool(typed_first) and (
            word.startswith(typed_word) or (bool(typed_key) and key.startswith(typed_key))
        )
        return (not starts, -view.popularity[doc_row], doc_row)

    out: list[Suggestion] = []
    seen: set[str] = set()
    for doc_row, (_, name) in sorted(best.items(), key=order):
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        out.append(Suggestion(text=name, product_id=view.ids[doc_row]))
        if len(out) == limit:
            break
    return out
