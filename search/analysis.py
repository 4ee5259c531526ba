"""Text analysis shared by indexing and querying: pure functions, no I/O.

Every word yields terms at three levels: *exact* (normalised word form), *stem* (as the
locale's :attr:`~translations.locales.LocaleInfo.stemmer` says: Snowball, Russian for
Cyrillic and English for Latin words; Kazakh endings; or none) and *key* (a script-neutral
Latin skeleton that makes ``чай``, ``chai`` and ``chay``, or ``ұн``, ``ūn`` and ``un``
equal). Chinese, Japanese and Korean text has no spaces and is cut into overlapping bigrams.
Apostrophes of every spelling (Uzbek ``o'``, ``o‘``, ``oʻ``, ``o’``, ``o```) are dropped, and a
Cyrillic query word is also read as Uzbek Cyrillic in the Latin alphabet (``ўзбек`` → ``ozbek``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

import snowballstemmer

from search.synonym_context import expand_active
from search.transliterate import KAZAKH_TO_QWERTY
from search.transliterate import QWERTY_TO_KAZAKH
from search.transliterate import QWERTY_TO_RUSSIAN
from search.transliterate import kazakh_to_latin
from search.transliterate import latin_to_kazakh
from search.transliterate import latin_to_russian
from search.transliterate import retype
from search.transliterate import uzbek_to_latin
from translations.locales import REGISTRY
from translations.locales import Stemmer
from translations.scripts import UZBEK_APOSTROPHES

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
#: Every apostrophe a word may hold (``don't``, ``o‘zbek``, ``so`m``); dropped from the terms.
APOSTROPHES = "".join(dict.fromkeys("'’ʼ" + UZBEK_APOSTROPHES))
_JOINER = f"[{re.escape(APOSTROPHES)}]"
_TOKEN_RE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+(?:{_JOINER}[^\W_{_CJK}]+)*)")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile("[a-zA-Z\u00c0-\u024f]")
_KAZAKH_LATIN_RE = re.compile("[äğñöūüşıq]")
_LETTER_DIGIT_RE = re.compile(r"\d+|[^\d]+")
_APOSTROPHES = str.maketrans("", "", APOSTROPHES)

#: Shortest word that tolerates one typo, and two.
ONE_TYPO_FROM = 5
TWO_TYPOS_FROM = 9

_FOLD_CHARS: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "ä": "a", "ğ": "g", "ñ": "n", "ö": "o", "ū": "u", "ü": "u",
    "ş": "sh", "ç": "ch", "ı": "i", "q": "k", "w": "v", "y": "i", "x": "h", "j": "zh",
    "ў": "o", "ҳ": "h",
}  # fmt: skip
_FOLD_DIGRAPHS = {"shch": "sh", "sch": "sh", "kh": "h", "ts": "c", "tz": "c", "gh": "g",
                  "ng": "n", "ph": "f"}  # fmt: skip
_FOLD_DIGRAPH_RE = re.compile("|".join(sorted(_FOLD_DIGRAPHS, key=len, reverse=True)))
_DOUBLES_RE = re.compile(r"(.)\1+")
#: Longest transliteration key that keeps its doubled letters.
SHORT_KEY = 3
_NOT_KEY_RE = re.compile("[^a-z0-9]")

_RUSSIAN = snowballstemmer.stemmer("russian")
_ENGLISH = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Token:
    """A run of text as it appears in the source, with its offsets."""

    text: str
    start: int
    end: int
    cjk: bool


@dataclass(frozen=True)
class FieldTerms:
    """The terms one field contributes to the index, per level."""

    exact: tuple[str, ...]
    stem: tuple[str, ...]
    key: tuple[str, ...]


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and every term that may match it, per level.

    A Chinese run is one word whose ``exact`` terms must all match (its bigrams); a single
    Chinese character is matched as a prefix (``prefix`` is true).
    """

    text: str
    exact: frozenset[str]
    stem: frozenset[str]
    key: frozenset[str]
    cjk: bool = False
    prefix: bool = False
    max_typos: int = 0


_UNSAFE_RE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop lone surrogates and control characters (keeping tabs and newlines) from *text*."""
    return _UNSAFE_RE.sub(" ", text)


def tokenize(text: str) -> list[Token]:
    """Split *text* into word and CJK-run tokens, keeping source offsets."""
    return [
        Token(match.group(), match.start(), match.end(), match.lastgroup == "cjk")
        for match in _TOKEN_RE.finditer(text)
    ]


def token_spans(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """Like :func:`tokenize`, as plain ``(text, start, end, is_cjk)`` tuples (faster)."""
    for match in _TOKEN_RE.finditer(text):
        yield match.group(), match.start(), match.end(), match.lastgroup == "cjk"


def normalize_word(word: str) -> str:
    """Return the comparable form of *word*: NFKC, lowercase, ё → е, no apostrophes."""
    folded = unicodedata.normalize("NFKC", word).replace("İ", "i").lower()
    return folded.replace("ё", "е").translate(_APOSTROPHES)


def is_cjk(term: str) -> bool:
    """Whether *term* contains a Chinese, Japanese or Korean character."""
    return _CJK_RE.search(term) is not None


def is_cyrillic(word: str) -> bool:
    """Whether *word* contains a Cyrillic letter."""
    return _CYRILLIC_RE.search(word) is not None


@functools.lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """Snowball stem of a normalised *word*: Russian for Cyrillic, English for Latin."""
    if is_cyrillic(word):
        return str(_RUSSIAN.stemWord(word))
    if _LATIN_RE.search(word):
        return str(_ENGLISH.stemWord(word))
    return word


# Kazakh case, plural, possessive and derivational endings, longest first.
_KAZAKH_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "лар", "лер", "дар", "дер", "тар", "тер",  # plural
            "ның", "нің", "дың", "дің", "тың", "тің",  # genitive
            "ны", "ні", "ды", "ді", "ты", "ті",  # accusative
            "ға", "ге", "қа", "ке", "на", "не",  # dative
            "да", "де", "та", "те", "нда", "нде",  # locative
            "дан", "ден", "тан", "тен", "нан", "нен",  # ablative
            "мен", "бен", "пен",  # instrumental
            "сы", "сі", "ы", "і",  # possessive
            "лы", "лі", "сыз", "сіз",  # with, without
        },
        key=lambda suffix: (-len(suffix), suffix),
    )
)  # fmt: skip


_KAZAKH_CONSONANTS = frozenset("бвгғджзйкқлмнңпрстфхһцчшщ")


def _may_strip(word: str, suffix: str) -> bool:
    rest = len(word) - len(suffix)
    return rest >= 3 or (rest == 2 and word[1] in _KAZAKH_CONSONANTS)


@functools.lru_cache(maxsize=262_144)
def kazakh_stems(word: str) -> tuple[str, ...]:
    """Every reading of a normalised Cyrillic *word* with up to three Kazakh endings removed.

    ``ұнның`` → ``ұн``, ``шайлардың`` → ``шай``, ``шоколады`` → ``шоколад`` (and
    ``шокола``): without a dictionary the stemmer cannot tell ``-ы`` from ``-ды``, so it
    keeps both readings, for documents and queries alike. What remains keeps two letters
    ending in a consonant, or three.
    """
    found = {word}
    frontier = {word}
    for _ in range(3):
        frontier = {
            item[: -len(suffix)]
            for item in frontier
            for suffix in _KAZAKH_SUFFIXES
            if item.endswith(suffix) and _may_strip(item, suffix)
        } - found
        found |= frontier
    return tuple(sorted(found, key=lambda item: (len(item), item)))


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding each character to Latin, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = _FOLD_CHARS.get(char)
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", char)
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[code] = mapped
        return mapped


_FOLDED = _FoldTable()


@functools.lru_cache(maxsize=262_144)
def fold_key(word: str) -> str:
    """Return the script-neutral Latin skeleton of *word* (``чай``, ``chay`` → ``chai``).

    A key is its own key: folding a key again gives it back, so a word typed in Latin as another
    word's key finds it.
    """
    # folded doubles can complete a digraph: "асцч" -> "asch" -> "ash"
    return _until_stable(_folded_once, _folded_once(word))


def _until_stable(step: Callable[[str], str], text: str, most: int = 3) -> str:
    """*step* applied to *text* again until nothing changes, at most *most* more times."""
    for _ in range(most):
        again = step(text)
        if again == text:
            break
        text = again
    return text


def _folded_once(word: str) -> str:
    ascii_form = normalize_word(word).translate(_FOLDED)
    # a replacement can complete another digraph ("ştsh" -> "shch" -> "sh")
    ascii_form = _until_stable(
        lambda text: _FOLD_DIGRAPH_RE.sub(lambda m: _FOLD_DIGRAPHS[m.group()], text), ascii_form
    )
    plain = _NOT_KEY_RE.sub("", ascii_form)
    collapsed = _DOUBLES_RE.sub(r"\1", plain)
    # doubled letters fold away unless that leaves a short key: "киім" (kiim) is not "ким" (kim)
    return collapsed if len(collapsed) > SHORT_KEY else plain


def cjk_index_terms(run: str) -> list[str]:
    """Bigrams of a CJK run plus its last character, so single characters stay findable."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def cjk_query_terms(run: str) -> list[str]:
    """Bigrams of a CJK query run (the character itself when it is alone)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def locale_stemmer(locale: str) -> Stemmer:
    """How words of text written in *locale* are stemmed (the locale registry says)."""
    info = REGISTRY.get(locale)
    return info.stemmer if info is not None else "snowball"


def _stems(word: str, stemmer: Stemmer, cyrillic: bool) -> tuple[str, ...]:
    if stemmer == "kazakh" and cyrillic:
        return kazakh_stems(word)
    if stemmer == "none":
        return (word,)
    return (stem(word),)


@functools.lru_cache(maxsize=262_144)
def _word_terms(word: str, stemmer: Stemmer) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """Exact terms, stem and keys of one normalised word of an indexed field."""
    exact = [word]
    parts = _LETTER_DIGIT_RE.findall(word)
    if len(parts) > 1:
        exact.extend(parts)
    cyrillic = is_cyrillic(word)
    if stemmer == "kazakh" and cyrillic:
        exact.append(kazakh_to_latin(word))
    keys = {fold_key(word)}
    stems = _stems(word, stemmer, cyrillic)
    if cyrillic:
        # a short Kazakh stem's key meets too many words ("сірке" → "сір" is "сыр", cheese)
        keys.update(
            fold_key(item) for item in stems if stemmer != "kazakh" or len(fold_key(item)) > SHORT_KEY
        )
    word_stem = " ".join(stems)
    keys.discard("")
    return tuple(exact), word_stem, tuple(sorted(keys))


@functools.lru_cache(maxsize=524_288)
def _token_terms(raw: str, stemmer: Stemmer) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    return _word_terms(normalize_word(raw), stemmer)


@functools.lru_cache(maxsize=524_288)
def _token_strings(raw: str, stemmer: Stemmer) -> tuple[str, str, str]:
    exact, word_stem, keys = _token_terms(raw, stemmer)
    return " ".join(exact), word_stem, " ".join(keys)


@functools.lru_cache(maxsize=65_536)
def _cjk_string(run: str) -> str:
    return " ".join(cjk_index_terms(run))


def collect_terms(
    text: str,
    locale: str,
    exact: list[str],
    stems: list[str],
    keys: list[str],
    cjk: list[str] | None = None,
) -> None:
    """Append the index terms of *text* (written in *locale*) to the lists.

    Items are space-separated runs of terms and may repeat; join them for an FTS column.
    CJK terms also go to *cjk* when it is given.
    """
    stemmer = locale_stemmer(locale)
    for cjk_run, word in _TOKEN_RE.findall(text):
        if cjk_run:
            terms = _cjk_string(cjk_run)
            exact.append(terms)
            if cjk is not None:
                cjk.append(terms)
            continue
        word_exact, word_stem, word_keys = _token_strings(word, stemmer)
        exact.append(word_exact)
        stems.append(word_stem)
        keys.append(word_keys)


def _unique_terms(runs: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(runs).split()))


def field_keys(text: str, locale: str) -> tuple[str, ...]:
    """The transliteration keys of one field written in *locale*, each once (as :func:`analyze_field`
    gives them, without collecting its exact words and stems)."""
    stemmer = locale_stemmer(locale)
    keys: dict[str, None] = {}
    for cjk_run, word in _TOKEN_RE.findall(text):
        if not cjk_run:
            keys.update(dict.fromkeys(_token_terms(word, stemmer)[2]))
    return tuple(keys)


def analyze_field(text: str, locale: str) -> FieldTerms:
    """Return the index terms of one field written in *locale*, each once."""
    exact: list[str] = []
    stems: list[str] = []
    keys: list[str] = []
    collect_terms(text, locale, exact, stems, keys)
    return FieldTerms(_unique_terms(exact), _unique_terms(stems), _unique_terms(keys))


#: Signs that are no letters of their own: every transliteration drops them (``дрель`` is ``drel``).
_SIGNS = frozenset("ьъЬЪ")


def typo_budget(word: str) -> int:
    """How many edits a query *word* tolerates: 0, 1 from five letters, 2 from nine (signs not counted)."""
    letters = sum(1 for char in word if char.isalpha() and char not in _SIGNS)
    if letters >= TWO_TYPOS_FROM:
        return 2
    return 1 if letters >= ONE_TYPO_FROM else 0


def query_word(raw: str) -> QueryWord:
    """Analyse one non-CJK query word into its alternatives."""
    word = normalize_word(raw)
    exact = {word}
    keys = {fold_key(word)}
    stems = {stem(word)}
    if is_cyrillic(word):
        # The word itself is already matched at the exact level.
        stems.update(item for item in kazakh_stems(word) if item != word)
        keys.update(fold_key(item) for item in stems)
        uzbek = normalize_word(uzbek_to_latin(word))
        if uzbek != word:
            exact.add(uzbek)
            keys.add(fold_key(uzbek))
    elif _LATIN_RE.search(word):
        kazakh = latin_to_kazakh(word)
        if _KAZAKH_LATIN_RE.search(word):
            exact.add(kazakh)
        russian = latin_to_russian(word)
        keys.update(
            (fold_key(russian), fold_key(stem(russian)), *(fold_key(item) for item in kazakh_stems(kazakh)))
        )
    keys.discard("")
    return QueryWord(
        text=raw,
        exact=frozenset(exact),
        stem=frozenset(stems),
        key=frozenset(keys),
        max_typos=typo_budget(word),
    )


def small_words(text: str) -> list[str]:
    """The one-letter words (``с``, ``в``, ``v``) a query of longer words leaves out.

    In a phrase they are prepositions that every listing holds (``чай с молоком``); typed
    alone they are searched.
    """
    tokens = tokenize(text)
    small = [t.text for t in tokens if not t.cjk and len(t.text) == 1 and t.text.isalpha()]
    return small if len(small) < len(tokens) else []


def analyze_query(text: str, max_words: int = 12) -> list[QueryWord]:
    """Split query *text* into words; repeated words count once; at most *max_words*.

    The words carry the synonyms of the running search (see :mod:`search.synonyms`).
    """
    words: list[QueryWord] = []
    seen: set[str] = set()
    left_out = set(small_words(text))
    for token in tokenize(text):
        if token.text in left_out:
            continue
        if token.cjk:
            terms = cjk_query_terms(token.text)
            word = QueryWord(
                text=token.text,
                exact=frozenset(terms),
                stem=frozenset(),
                key=frozenset(),
                cjk=True,
                prefix=len(token.text) == 1,
            )
        else:
            word = query_word(token.text)
        identity = "|".join(sorted(word.exact))
        if identity in seen:
            continue
        seen.add(identity)
        words.append(word)
        if len(words) == max_words:
            break
    return expand_active(words)


def word_levels(token: Token, locale: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Exact, stem and key terms of one source token (for highlighting)."""
    if token.cjk:
        return frozenset(cjk_index_terms(token.text)), frozenset(), frozenset()
    return _token_levels(token.text, locale_stemmer(locale))


@functools.lru_cache(maxsize=131_072)
def _token_levels(raw: str, stemmer: Stemmer) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    word_exact, word_stem, word_keys = _token_terms(raw, stemmer)
    return frozenset(word_exact), frozenset(word_stem.split()), frozenset(word_keys)


#: Fewest keys a text needs to be read on another layout: two keys spell a word somewhere on
#: any layout, so a slip of the layout cannot be told from a short word (``фо`` is not ``aj``).
MIN_LAYOUT_KEYS = 3


def layout_variants(text: str) -> list[str]:
    """Return *text* as if retyped on the other keyboard layouts (``vjkjrj`` → ``молоко``).

    Latin-only text is read as keys of the Russian and Kazakh layouts; Cyrillic-only text
    as keys of a Latin layout. Text mixing both scripts, and text of fewer than
    :data:`MIN_LAYOUT_KEYS` keys, has no variants.
    """
    if len("".join(text.split())) < MIN_LAYOUT_KEYS:
        return []
    has_cyrillic = is_cyrillic(text)
    has_latin = re.search("[a-zA-Z]", text) is not None
    variants: list[str] = []
    if has_latin and not has_cyrillic:
        variants.append(retype(text, QWERTY_TO_RUSSIAN))
        variants.append(retype(text, QWERTY_TO_KAZAKH))
    elif has_cyrillic and not has_latin:
        variants.append(retype(text, KAZAKH_TO_QWERTY))
    unique = dict.fromkeys(v for v in variants if v != text)
    return list(unique)
