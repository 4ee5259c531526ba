"""Word diff of an old and a new source text, for translators updating a stale translation."""

from __future__ import annotations

import difflib
import html
import re
from typing import Literal

DiffOp = Literal["equal", "delete", "insert"]
DiffSegment = tuple[DiffOp, str]

# Words, runs of white space, single punctuation marks; CJK ideographs, kana and
# hangul one by one, since those scripts do not separate words with spaces.
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_CJK}]|\s+|[^\s{_CJK}\W]+|[^\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Split *text* into words, spaces, punctuation and single CJK characters."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[DiffSegment]:
    """Diff two texts word by word.

    Returns ``(op, text)`` segments with *op* ``equal``, ``delete`` or
    ``insert``; joining the ``equal`` and ``delete`` texts gives *old*, joining
    ``equal`` and ``insert`` gives *new*. Adjacent segments of one kind are merged.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[DiffSegment] = []

    def add(op: DiffOp, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", old_tokens[i1:i2])
        else:
            add("delete", old_tokens[i1:i2])
            add("insert", new_tokens[j1:j2])
    return segments


def diff_html(segments: list[DiffSegment]) -> str:
    """Render diff segments as HTML: ``<del>`` for removed, ``<ins>`` for added text.

    All text is escaped, so source text containing markup is shown, not interpreted.
    """
    parts: list[str] = []
    for op, text in segments:
        escaped = html.escape(text, quote=True)
        if op == "delete":
            parts.append(f"<del>{escaped}</del>")
        elif op == "insert":
            parts.append(f"<ins>{escaped}</ins>")
        else:
            parts.append(escaped)
    return "".join(parts)
