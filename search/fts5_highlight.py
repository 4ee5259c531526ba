"""``<mark>`` highlights: HTML-escaped text with the words that matched the query marked."""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from search.analysis import QueryWord
from search.analysis import Token
from search.analysis import locale_stemmer
from search.analysis import token_spans
from search.analysis import word_levels

#: Longest highlight cut from a description, in characters.
SNIPPET_CHARS = 160
#: Texts whose words are kept analysed between searches (a hit's texts recur across queries).
ANALYSED_TEXTS = 65_536

Levels = tuple[frozenset[str], frozenset[str], frozenset[str]]
NO_LEVELS: Levels = (frozenset(), frozenset(), frozenset())


@dataclass(frozen=True)
class AnalysedText:
    """A text's tokens with the terms of each level, and the union of each level over the text."""

    tokens: tuple[tuple[Token, Levels], ...]
    union: Levels
    cjk: bool


@functools.lru_cache(maxsize=ANALYSED_TEXTS)
def analysed(text: str, locale: str) -> AnalysedText:
    """*text* tokenized once, each word with its exact, stem and key terms (CJK words left to spans)."""
    tokens: list[tuple[Token, Levels]] = []
    exact: set[str] = set()
    stem: set[str] = set()
    key: set[str] = set()
    cjk = False
    for word, start, end, is_cjk in token_spans(text):
        token = Token(word, start, end, is_cjk)
        if is_cjk:
            cjk = True
            tokens.append((token, NO_LEVELS))
            continue
        levels = word_levels(token, locale)
        exact.update(levels[0])
        stem.update(levels[1])
        key.update(levels[2])
        tokens.append((token, levels))
    return AnalysedText(tuple(tokens), (frozenset(exact), frozenset(stem), frozenset(key)), cjk)


@dataclass(frozen=True)
class Marker:
    """The terms of a query, per level, that make a source word count as a match."""

    exact: frozenset[str]
    stem: frozenset[str]
    key: frozenset[str]
    cjk: frozenset[str]
    cjk_prefix: frozenset[str]
    _seen: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, words: Iterable[tuple[QueryWord, Sequence[str]]]) -> Marker:
        """Build from query words and their typo corrections."""
        exact: set[str] = set()
        stem: set[str] = set()
        key: set[str] = set()
        cjk: set[str] = set()
        cjk_prefix: set[str] = set()
        for word, fixes in words:
            if word.cjk:
                (cjk_prefix if word.prefix else cjk).update(word.exact)
                continue
            exact.update(word.exact)
            exact.update(fixes)
            key.update(fixes)
            stem.update(word.stem)
            key.update(word.key)
        return cls(frozenset(exact), frozenset(stem), frozenset(key), frozenset(cjk), frozenset(cjk_prefix))

    @property
    def empty(self) -> bool:
        """Whether nothing can ever match (a query without words)."""
        return not (self.exact or self.stem or self.key or self.cjk or self.cjk_prefix)

    def matches(self, word: str, locale: str) -> bool:
        """Whether the source *word* (not CJK) matches at any level; remembered per word."""
        cache_key = (word, locale_stemmer(locale))
        found = self._seen.get(cache_key)
        if found is None:
            found = self.hits(word_levels(Token(word, 0, len(word), False), locale))
            self._seen[cache_key] = found
        return found

    def hits(self, levels: Levels) -> bool:
        """Whether terms of these *levels* (a word's, or a whole text's) match at their level."""
        return bool(levels[0] & self.exact or levels[1] & self.stem or levels[2] & self.key)

    def spans(self, token: Token, locale: str) -> list[tuple[int, int]]:
        """Character spans of *token* (source offsets) that match."""
        if token.cjk:
            return self._cjk_spans(token)
        return [(token.start, token.end)] if self.matches(token.text, locale) else []

    def _cjk_spans(self, token: Token) -> list[tuple[int, int]]:
        text = token.text
        marked = [False] * len(text)
        for i, char in enumerate(text):
            if char in self.cjk_prefix:
                marked[i] = True
            if text[i : i + 2] in self.cjk:
                marked[i] = marked[i + 1] = True
            elif len(text) == 1 and char in self.cjk:
                marked[i] = True
        spans: list[tuple[int, int]] = []
        for i, flag in enumerate(marked):
            if not flag:
                continue
            if spans and spans[-1][1] == token.start + i:
                spans[-1] = (spans[-1][0], token.start + i + 1)
            else:
                spans.append((token.start + i, token.start + i + 1))
        return spans


def highlight(text: str, locale: str, marker: Marker, snippet: bool = False) -> str | None:
    """*text* escaped with matches in ``<mark>``; ``None`` when nothing in it matches.

    With *snippet*, long text is cut to a window around the first match.
    """
    words = analysed(text, locale)
    if not words.cjk and not marker.hits(words.union):
        return None
    spans: list[tuple[int, int]] = []
    for token, levels in words.tokens:
        if token.cjk:
            spans.extend(marker.spans(token, locale))
        elif marker.hits(levels):
            spans.append((token.start, token.end))
    if not spans:
        return None
    start, end = 0, len(text)
    if snippet and len(text) > SNIPPET_CHARS:
        start = max(0, spans[0][0] - SNIPPET_CHARS // 4)
        if start > 0:
            space = text.find(" ", start, spans[0][0])
            start = space + 1 if space != -1 else start
        end = min(len(text), start + SNIPPET_CHARS)
    out: list[str] = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        out.append(html.escape(text[position:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
