"""Glossary terms matched by stem, so that inflected Russian and Kazakh forms count."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from translations.checks import GlossaryTerm

_SNOWBALL = {"ru": "russian", "en": "english"}
#: Kazakh endings (plural, possessive, case), longest first; stripped while a stem of
#: at least three letters remains.
KAZAKH_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "лар", "лер", "дар", "дер", "тар", "тер",
            "ның", "нің", "дың", "дің", "тың", "тің",
            "ға", "ге", "қа", "ке", "на", "не",
            "да", "де", "та", "те", "нда", "нде",
            "дан", "ден", "тан", "тен", "нан", "нен",
            "мен", "бен", "пен", "ды", "ді", "ты", "ті", "ны", "ні",
            "сы", "сі", "ы", "і", "н", "ым", "ім", "ың", "ің", "мыз", "міз",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_MIN_STEM = 3
_SHORT_ENDING = 2
_WORD = re.compile(r"\w+")
_SPACED = re.compile(r"[^\W\u3000-\u9fff\uac00-\ud7af]")


@lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def kazakh_stem(word: str) -> str:
    """*word* without its Kazakh endings (``бидайдың`` → ``бидай``)."""
    stem = word.lower()
    stripped = True
    while stripped:
        stripped = False
        for suffix in KAZAKH_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
                stem = stem[: -len(suffix)]
                stripped = True
                break
    return stem


@lru_cache(maxsize=65_536)
def stem(word: str, locale: str) -> str:
    """The stem of one *word* in *locale* (lowercase; unchanged where no stemmer is known)."""
    lower = word.lower()
    if locale == "kk":
        return kazakh_stem(lower)
    if locale in _SNOWBALL:
        return str(_stemmer(_SNOWBALL[locale]).stemWord(lower))
    return lower


def stems(text: str, locale: str) -> list[str]:
    """The stems of the words of *text*, in order."""
    return [stem(match.group(0), locale) for match in _WORD.finditer(text)]


def contains_term(text: str, term: str, locale: str) -> bool:
    """Whether *term* appears in *text*, word for word by stem (by substring in Chinese)."""
    if not term.strip():
        return False
    if not _SPACED.search(term):
        return term.casefold() in text.casefold()
    wanted = stems(term, locale)
    have = [match.group(0) for match in _WORD.finditer(text)]
    if not wanted:
        return term.casefold() in text.casefold()
    width = len(wanted)
    return any(
        all(_same_word(word, want, locale) for word, want in zip(have[i : i + width], wanted, strict=True))
        for i in range(len(have) - width + 1)
    )


def _same_word(word: str, wanted_stem: str, locale: str) -> bool:
    """Whether *word* is a form of the word whose stem is *wanted_stem*.

    Snowball cuts some Russian forms one letter shorter ("Алтая" → "алт", "Алтай" → "алта"),
    so a Russian word also counts when it is the stem plus a short ending.
    """
    if stem(word, locale) == wanted_stem:
        return True
    if locale != "ru" or len(wanted_stem) < _MIN_STEM:
        return False
    lower = word.lower().replace("ё", "е")
    return lower.startswith(wanted_stem) and len(lower) - len(wanted_stem) <= _SHORT_ENDING


def glossary_misses(
    source: str, source_locale: str, target: str, target_locale: str, terms: Iterable[GlossaryTerm]
) -> list[GlossaryTerm]:
    """Glossary terms found in *source* whose required target form is not in *target*."""
    missed: list[GlossaryTerm] = []
    for term in terms:
        if not contains_term(source, term.source, source_locale):
            continue
        required = term.source if term.target is None else term.target
        locale = source_locale if term.target is None else target_locale
        if contains_term(target, required, locale):
            continue
        missed.append(term)
    return missed
