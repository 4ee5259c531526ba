"""Script tables: Kazakh Cyrillic ↔ Latin (2021), Russian ↔ Latin, keyboard layouts.

The Cyrillic → Latin tables of the content locales live in :mod:`translations.scripts`.
"""

from __future__ import annotations

import re

from translations.scripts import KAZAKH_CYRILLIC_TO_LATIN as KAZAKH_CYRILLIC_TO_LATIN
from translations.scripts import kazakh_to_latin as kazakh_to_latin
from translations.scripts import keep_case
from translations.scripts import uzbek_to_latin as uzbek_to_latin

#: Latin letters back to Cyrillic where the 2021 table is one-to-one.
_KAZAKH_LATIN_TO_CYRILLIC: dict[str, str] = {
    "a": "а", "ä": "ә", "b": "б", "v": "в", "g": "г", "ğ": "ғ", "d": "д", "e": "е",
    "j": "ж", "z": "з", "ı": "і", "k": "к", "q": "қ", "l": "л", "m": "м", "n": "н",
    "ñ": "ң", "o": "о", "ö": "ө", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
    "ū": "ұ", "ü": "ү", "f": "ф", "h": "х", "ç": "ч", "ş": "ш", "y": "ы", "c": "ц",
    "w": "у", "x": "х",
}  # fmt: skip

_KAZAKH_LATIN_VOWELS = frozenset("aäeioöuūüyı")

#: Russian letters in a readable Latin form (close to ICAO 9303 with ``y`` for й/ы).
RUSSIAN_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip

# Informal Latin spellings of Russian, longest first; ``y``/``i`` after a vowel become й.
_LATIN_TO_RUSSIAN_MULTI: tuple[tuple[str, str], ...] = (
    ("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"),
    ("ts", "ц"), ("tz", "ц"), ("yu", "ю"), ("ju", "ю"), ("iu", "ю"), ("ya", "я"),
    ("ja", "я"), ("ia", "я"), ("yo", "ё"), ("jo", "ё"), ("ye", "е"), ("je", "е"),
)  # fmt: skip
_LATIN_TO_RUSSIAN_SINGLE: dict[str, str] = {
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "г", "d": "д", "e": "е", "z": "з",
    "i": "и", "j": "й", "k": "к", "q": "к", "c": "к", "l": "л", "m": "м", "n": "н",
    "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х",
    "x": "х", "y": "ы", "'": "ь",
}  # fmt: skip
_LATIN_TO_RUSSIAN_MULTI_MAP: dict[str, str] = dict(_LATIN_TO_RUSSIAN_MULTI)
_RU_VOWELS = frozenset("аеёиоуыэюя")
_LATIN_TO_RUSSIAN_RE = re.compile(
    "|".join(re.escape(latin) for latin, _ in _LATIN_TO_RUSSIAN_MULTI) + "|.", re.DOTALL
)

_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`"
_JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбю.ё"
#: Keys of a Latin (QWERTY) keyboard to the letters they give on the Russian ЙЦУКЕН layout.
QWERTY_TO_RUSSIAN: dict[str, str] = dict(zip(_QWERTY, _JCUKEN, strict=True))
#: The reverse: Cyrillic letters back to the Latin key under the same finger.
RUSSIAN_TO_QWERTY: dict[str, str] = {cyr: lat for lat, cyr in QWERTY_TO_RUSSIAN.items()}
#: The Kazakh layout is ЙЦУКЕН with its nine letters on the digit row.
QWERTY_TO_KAZAKH: dict[str, str] = {
    **QWERTY_TO_RUSSIAN,
    "2": "ә", "3": "і", "4": "ң", "5": "ғ", "8": "ү", "9": "ұ", "0": "қ", "-": "ө", "=": "һ",
}  # fmt: skip
KAZAKH_TO_QWERTY: dict[str, str] = {cyr: lat for lat, cyr in QWERTY_TO_KAZAKH.items()}


def latin_to_kazakh(text: str) -> str:
    """Write Kazakh Latin (2021) *text* in Cyrillic.

    The Latin ``i`` stands for both и and й; it becomes й after a vowel, и elsewhere.
    """
    out: list[str] = []
    previous = ""
    for char in text:
        lower = "i" if char == "İ" else ("ı" if char == "I" else char.lower())
        if lower == "i":
            cyr = "й" if previous in _KAZAKH_LATIN_VOWELS else "и"
        else:
            cyr = _KAZAKH_LATIN_TO_CYRILLIC.get(lower, char)
        if char != lower and cyr != char:
            cyr = cyr.upper()
        out.append(cyr)
        previous = lower
    return "".join(out)


def russian_to_latin(text: str) -> str:
    """Write Russian Cyrillic *text* in Latin letters."""
    return "".join(
        keep_case(char, RUSSIAN_TO_LATIN[char.lower()]) if char.lower() in RUSSIAN_TO_LATIN else char
        for char in text
    )


def latin_to_russian(text: str) -> str:
    """Read Latin *text* as Russian typed in Latin letters (``chay`` → ``чай``); lowercase."""
    out: list[str] = []
    for match in _LATIN_TO_RUSSIAN_RE.finditer(text.lower()):
        chunk = match.group()
        previous = out[-1] if out else ""
        if chunk in {"y", "i", "j"} and previous in _RU_VOWELS:
            next_char = text[match.end() : match.end() + 1].lower()
            if not next_char or next_char not in "aeiouy":
                out.append("й")
                continue
        multi = _LATIN_TO_RUSSIAN_MULTI_MAP.get(chunk)
        out.append(multi if multi is not None else _LATIN_TO_RUSSIAN_SINGLE.get(chunk, chunk))
    return "".join(out)


def retype(text: str, layout: dict[str, str]) -> str:
    """Map each key of *text* through a keyboard *layout*, keeping case where it can."""
    out: list[str] = []
    for char in text:
        mapped = layout.get(char.lower())
        if mapped is None:
            out.append(char)
        else:
            out.append(mapped.upper() if char.isupper() else mapped)
    return "".join(out)
