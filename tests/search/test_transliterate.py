"""Script tables: Kazakh 2021 Latin letter by letter, Russian in Latin, keyboard layouts."""

from __future__ import annotations

import pytest

from search.transliterate import QWERTY_TO_KAZAKH
from search.transliterate import QWERTY_TO_RUSSIAN
from search.transliterate import RUSSIAN_TO_QWERTY
from search.transliterate import kazakh_to_latin
from search.transliterate import latin_to_kazakh
from search.transliterate import latin_to_russian
from search.transliterate import retype
from search.transliterate import russian_to_latin
from search.transliterate import uzbek_to_latin

# The official 2021 table: Cyrillic, Latin capital, Latin small.
KAZAKH_2021 = [
    ("А", "A", "a"), ("Ә", "Ä", "ä"), ("Б", "B", "b"), ("В", "V", "v"), ("Г", "G", "g"),
    ("Ғ", "Ğ", "ğ"), ("Д", "D", "d"), ("Е", "E", "e"), ("Ж", "J", "j"), ("З", "Z", "z"),
    ("И", "İ", "i"), ("Й", "İ", "i"), ("К", "K", "k"), ("Қ", "Q", "q"), ("Л", "L", "l"),
    ("М", "M", "m"), ("Н", "N", "n"), ("Ң", "Ñ", "ñ"), ("О", "O", "o"), ("Ө", "Ö", "ö"),
    ("П", "P", "p"), ("Р", "R", "r"), ("С", "S", "s"), ("Т", "T", "t"), ("У", "U", "u"),
    ("Ұ", "Ū", "ū"), ("Ү", "Ü", "ü"), ("Ф", "F", "f"), ("Х", "H", "h"), ("Һ", "H", "h"),
    ("Ч", "Ç", "ç"), ("Ш", "Ş", "ş"), ("Ы", "Y", "y"), ("І", "I", "ı"), ("Э", "E", "e"),
]  # fmt: skip
# Letters the Latin alphabet spells with two letters or drops.
KAZAKH_2021_LOANS = [
    ("Ц", "Ts", "ts"), ("Щ", "Ş", "ş"), ("Ё", "İo", "io"), ("Ю", "İu", "iu"), ("Я", "İa", "ia"),
    ("Ъ", "", ""), ("Ь", "", ""),
]  # fmt: skip
# Latin letters that come back to exactly one Cyrillic letter.
ONE_TO_ONE = [row for row in KAZAKH_2021 if row[0] not in {"И", "Й", "Х", "Һ", "Э"}]


@pytest.mark.parametrize(("cyrillic", "upper", "lower"), KAZAKH_2021 + KAZAKH_2021_LOANS)
def test_kazakh_to_latin_letter_by_letter(cyrillic: str, upper: str, lower: str) -> None:
    assert kazakh_to_latin(cyrillic) == upper
    assert kazakh_to_latin(cyrillic.lower()) == lower


@pytest.mark.parametrize(("cyrillic", "upper", "lower"), ONE_TO_ONE)
def test_latin_to_kazakh_letter_by_letter(cyrillic: str, upper: str, lower: str) -> None:
    assert latin_to_kazakh(upper) == cyrillic
    assert latin_to_kazakh(lower) == cyrillic.lower()


def test_the_nine_kazakh_letters() -> None:
    assert kazakh_to_latin("әғқңөұүһі") == "äğqñöūühı"
    assert latin_to_kazakh("äğqñöūüı") == "әғқңөұүі"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Қазақстан Республикасы", "Qazaqstan Respublikasy"),
        ("сөйлесіп", "söilesıp"),
        ("үйіне", "üiıne"),
        ("қалайын", "qalaiyn"),
        ("киім", "kiım"),
        ("Ұн", "Ūn"),
        ("бал, 500 г!", "bal, 500 g!"),
    ],
)
def test_kazakh_words_both_ways(cyrillic: str, latin: str) -> None:
    assert kazakh_to_latin(cyrillic) == latin
    assert latin_to_kazakh(latin) == cyrillic


def test_i_after_a_vowel_is_short_i() -> None:
    assert latin_to_kazakh("syi") == "сый"
    assert latin_to_kazakh("İnjir") == "Инжир"


@pytest.mark.parametrize(
    ("latin", "russian"),
    [("chai", "чай"), ("chay", "чай"), ("shokolad", "шоколад"), ("muka", "мука"),
     ("moloko", "молоко"), ("shchi", "щи"), ("zhuk", "жук"), ("khleb", "хлеб"),
     ("yabloko", "яблоко"), ("kofe", "кофе"), ("Shuba", "шуба")],
)  # fmt: skip
def test_latin_to_russian_informal(latin: str, russian: str) -> None:
    assert latin_to_russian(latin) == russian


def test_russian_to_latin() -> None:
    assert russian_to_latin("Шоколад Щедрый, Чай") == "Shokolad Shchedryy, Chay"


def test_retype_between_layouts() -> None:
    assert retype("ie,f", QWERTY_TO_RUSSIAN) == "шуба"
    assert retype("Vjkjrj", QWERTY_TO_RUSSIAN) == "Молоко"
    assert retype("09hn", QWERTY_TO_KAZAKH) == "құрт"
    assert retype("срщсщдфеу", RUSSIAN_TO_QWERTY) == "chocolate"


def test_layout_tables_are_complete() -> None:
    assert set("qwertyuiopasdfghjklzxcvbnm") <= set(QWERTY_TO_RUSSIAN)
    assert set(QWERTY_TO_RUSSIAN.values()) >= set("йцукенгшщзхъфывапролджэячсмитьбюё")
    assert {QWERTY_TO_KAZAKH[k] for k in "234590-=8"} == set("әіңғұқөһү")


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Ўзбекистон", "Oʻzbekiston"), ("буғдой", "bugʻdoy"), ("ер", "yer"), ("шеър", "sheʼr"),
     ("Чой", "Choy"), ("қовун", "qovun"), ("ҳалол", "halol"), ("поезд", "poyezd"), ("сув", "suv")],
)  # fmt: skip
def test_uzbek_cyrillic_to_latin(cyrillic: str, latin: str) -> None:
    assert uzbek_to_latin(cyrillic) == latin
