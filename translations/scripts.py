"""Script tables of the content locales: Kazakh Cyrillic → 2021 Latin, Uzbek Cyrillic → Latin.

The search analysis (:mod:`search.transliterate`) imports these tables too, so a reading
locale, its rendering and the search index spell every letter the same way.
"""

from __future__ import annotations

#: The official Kazakh Latin alphabet of 2021, lowercase, keyed by Cyrillic letter.
#: Letters used only in loanwords follow the same table (ц → ts, ё/ю/я → io/iu/ia).
KAZAKH_CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "і": "ı", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h",
    "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip

#: The Uzbek Latin letter oʻ/gʻ sign (U+02BB) and the tutuq belgisi (U+02BC), as the 1995
#: alphabet writes them.
UZBEK_TURNED_COMMA = "ʻ"
UZBEK_APOSTROPHE = "ʼ"

#: The Uzbek Latin alphabet, lowercase, keyed by Cyrillic letter; ``е`` is ``ye`` at the start
#: of a word and after a vowel (see :func:`uzbek_to_latin`).
UZBEK_CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gʻ", "д": "d", "е": "e", "ё": "yo",
    "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "о": "o", "ў": "oʻ", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "x", "ҳ": "h", "ц": "s", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "ʼ",
    "ь": "", "ы": "i", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

#: Every character Uzbek writers type for the oʻ/gʻ sign and the tutuq belgisi.
UZBEK_APOSTROPHES = "'‘’ʻʼ`"

_UZBEK_VOWELS = frozenset("аеёиоуўэюяъь")


def keep_case(source: str, target: str) -> str:
    """Give *target* the case of the single letter *source* (``Ш`` → ``Ş``, ``Я`` → ``İa``)."""
    if not source.isupper() or not target:
        return target
    first = "İ" if target[0] == "i" else target[0].upper()
    return first + target[1:]


def kazakh_to_latin(text: str) -> str:
    """Write Kazakh Cyrillic *text* in the 2021 Latin alphabet; other characters pass through."""
    return "".join(
        keep_case(char, KAZAKH_CYRILLIC_TO_LATIN[char.lower()])
        if char.lower() in KAZAKH_CYRILLIC_TO_LATIN
        else char
        for char in text
    )


def uzbek_to_latin(text: str) -> str:
    """Write Uzbek Cyrillic *text* in the Latin alphabet (``ўзбек`` → ``oʻzbek``)."""
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        latin = UZBEK_CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        else:
            if lower == "е" and (not previous.isalpha() or previous in _UZBEK_VOWELS):
                latin = "ye"
            out.append(latin[0].upper() + latin[1:] if char.isupper() and latin else latin)
        previous = lower
    return "".join(out)
