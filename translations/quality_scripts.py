"""Words that mix Latin and Cyrillic look-alikes, and Kazakh words typed with Russian letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass

#: Latin letters and the Cyrillic letter that looks the same.
LATIN_TO_CYRILLIC: dict[str, str] = {
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "У",
}  # fmt: skip
#: Kazakh has the dotted і; Russian has no Cyrillic twin of ``i``.
KAZAKH_LATIN_TO_CYRILLIC: dict[str, str] = {**LATIN_TO_CYRILLIC, "i": "і", "I": "І"}
CYRILLIC_TO_LATIN: dict[str, str] = {
    **{cyr: lat for lat, cyr in KAZAKH_LATIN_TO_CYRILLIC.items()},
    "у": "y", "У": "Y", "ԁ": "d", "ј": "j", "ѕ": "s", "һ": "h",
}  # fmt: skip

#: Kazakh letters a Russian keyboard lacks, keyed by the Russian letter typed instead.
KAZAKH_LETTERS_FOR: dict[str, tuple[str, ...]] = {
    "а": ("ә",), "о": ("ө",), "у": ("ұ", "ү"), "к": ("қ",), "н": ("ң",),
    "г": ("ғ",), "и": ("і",), "х": ("һ",),
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u052f]+")


@dataclass(frozen=True)
class ScriptFinding:
    """A word written in the wrong letters, and the spelling that fixes it (if one is known)."""

    word: str
    fix: str | None


def script_of(char: str) -> str | None:
    """``"Latin"``, ``"Cyrillic"`` or ``None`` for any other character."""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    if name.startswith("LATIN "):
        return "Latin"
    if name.startswith("CYRILLIC "):
        return "Cyrillic"
    return None


def words(text: str) -> Iterator[str]:
    """Runs of letters in *text* (digits, marks and punctuation end a word)."""
    return (match.group(0) for match in _WORD.finditer(text))


def mixed_script_words(text: str, locale: str) -> list[ScriptFinding]:
    """Words that hold both Latin and Cyrillic letters, with the fix when every stray letter
    has a look-alike in the word's main script (ties go to the locale's own script)."""
    home = "Latin" if locale in ("en", "uz") else "Cyrillic"
    found: list[ScriptFinding] = []
    for word in words(text):
        scripts = [script_of(char) for char in word]
        latin, cyrillic = scripts.count("Latin"), scripts.count("Cyrillic")
        if not latin or not cyrillic:
            continue
        main = "Latin" if latin > cyrillic or (latin == cyrillic and home == "Latin") else "Cyrillic"
        table = CYRILLIC_TO_LATIN if main == "Latin" else _to_cyrillic(locale)
        fixed = []
        for char, script in zip(word, scripts, strict=True):
            if script is None or script == main:
                fixed.append(char)
            elif char in table:
                fixed.append(table[char])
            else:
                break
        found.append(ScriptFinding(word, "".join(fixed) if len(fixed) == len(word) else None))
    return found


def _to_cyrillic(locale: str) -> dict[str, str]:
    return KAZAKH_LATIN_TO_CYRILLIC if locale == "kk" else LATIN_TO_CYRILLIC


_RUSSIAN_FOR = {kazakh: russian for russian, letters in KAZAKH_LETTERS_FOR.items() for kazakh in letters}
_FOLD = str.maketrans(_RUSSIAN_FOR)


def russian_fold(word: str) -> str:
    """*word* in lowercase with each Kazakh letter replaced by the Russian one typed for it."""
    return word.lower().translate(_FOLD)


def kazakh_dictionary(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Lowercase Kazakh *words* grouped by :func:`russian_fold`, for :func:`kazakh_lookalike_words`."""
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(russian_fold(word), []).append(word.lower())
    return {key: tuple(sorted(set(spellings))) for key, spellings in grouped.items()}


def kazakh_lookalike_words(text: str, dictionary: Mapping[str, tuple[str, ...]]) -> list[ScriptFinding]:
    """Kazakh words of *text* that the *dictionary* (from :func:`kazakh_dictionary` over reviewed
    Kazakh text) does not know, but knows with Russian letters swapped for Kazakh ones."""
    found: list[ScriptFinding] = []
    if not dictionary:
        return found
    for match in _CYRILLIC_WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        spellings = dictionary.get(russian_fold(lower), ())
        if not spellings or lower in spellings:
            continue
        fixes = [s for s in spellings if _only_kazakh_letters_added(lower, s)]
        if fixes:
            fix = min(fixes, key=lambda s: (sum(a != b for a, b in zip(lower, s, strict=False)), s))
            found.append(ScriptFinding(word, _same_case(word, fix)))
    return found


def _only_kazakh_letters_added(typed: str, reviewed: str) -> bool:
    """Whether *reviewed* differs from *typed* only where a Russian letter stands for a Kazakh one."""
    return len(typed) == len(reviewed) and all(
        a == b or b in KAZAKH_LETTERS_FOR.get(a, ()) for a, b in zip(typed, reviewed, strict=True)
    )


def _same_case(model: str, word: str) -> str:
    """*word* with the upper and lower case of *model*, letter by letter."""
    return "".join(new.upper() if old.isupper() else new for old, new in zip(model, word, strict=False))


def kazakh_dictionary_words(text: str) -> set[str]:
    """The lowercase Cyrillic words of *text*, for the dictionary of reviewed Kazakh."""
    return {match.group(0).lower() for match in _CYRILLIC_WORD.finditer(text)}
