"""Rules about the words of a query that every engine applies the same way.

- A word that matches nothing is left out and named in the answer (``ignored_words``), but
  only while the words that do match carry at least as many letters as the ones left out:
  "шоколад zzzzqqq" finds chocolate and says it ignored "zzzzqqq", while "шины для
  автомобиля" finds nothing rather than everything "для" matches.
- A reading of the text on another keyboard layout counts only when it keeps every letter
  typed (``жент`` is not ``;tyn``).
- When products match only through typo corrections, the answer proposes the query with
  each such word replaced by its nearest correction in the same script ("did you mean").
"""

from __future__ import annotations

from collections.abc import Sequence

from search.analysis import QueryWord
from search.analysis import is_cyrillic

#: Shortest stem that also finds the words of a name it begins ("облепих" finds "облепиховый").
DERIVED_FROM = 5


def _letters(words: Sequence[QueryWord]) -> int:
    return sum(sum(1 for char in word.text if char.isalnum()) for word in words)


def may_ignore(matched: Sequence[QueryWord], unmatched: Sequence[QueryWord]) -> bool:
    """Whether the search may go on with *matched* words only, leaving *unmatched* out."""
    if not unmatched:
        return True
    return bool(matched) and _letters(matched) >= _letters(unmatched)


def keeps_letters(text: str, variant: str) -> bool:
    """Whether *variant* (the text retyped on another layout) keeps every letter of *text*."""
    return sum(1 for char in variant if char.isalpha()) >= sum(1 for char in text if char.isalpha())


def same_script(word: str, term: str) -> bool:
    """Whether *term* is written in the script of *word* (Cyrillic or not)."""
    return is_cyrillic(word) == is_cyrillic(term)


def corrected_query(words: Sequence[tuple[QueryWord, Sequence[str], bool]]) -> str | None:
    """The query with its typo-only words corrected, or ``None`` when nothing would change.

    *words* are ``(word, corrections nearest first, matched without a typo)`` in query order.
    """
    out: list[str] = []
    changed = False
    for word, corrections, exact in words:
        fix = None if exact else next((t for t in corrections if same_script(word.text, t)), None)
        if fix is not None and fix != word.text.lower():
            out.append(fix)
            changed = True
        else:
            out.append(word.text)
    return " ".join(out) if changed else None
