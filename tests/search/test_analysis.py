"""Text analysis: tokens, word forms, folding keys, CJK bigrams, query words, layouts."""

from __future__ import annotations

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st

from search.analysis import analyze_field
from search.analysis import analyze_query
from search.analysis import cjk_index_terms
from search.analysis import cjk_query_terms
from search.analysis import clean_text
from search.analysis import field_keys
from search.analysis import fold_key
from search.analysis import is_cjk
from search.analysis import kazakh_stems
from search.analysis import layout_variants
from search.analysis import normalize_word
from search.analysis import stem
from search.analysis import tokenize
from search.analysis import typo_budget
from search.transliterate import kazakh_to_latin


def test_tokenize_splits_words_and_cjk_runs_with_offsets() -> None:
    tokens = tokenize("Мука «Цесна», 2кг 哈萨克斯坦面粉!")
    assert [(t.text, t.cjk) for t in tokens] == [
        ("Мука", False),
        ("Цесна", False),
        ("2кг", False),
        ("哈萨克斯坦面粉", True),
    ]
    assert tokens[1].start == 6 and tokens[1].end == 11


def test_tokenize_keeps_apostrophes_inside_words() -> None:
    assert [t.text for t in tokenize("Lay's o’zbek")] == ["Lay's", "o’zbek"]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("Ёлка", "елка"), ("ЧАЙ", "чай"), ("İNJİR", "injir"), ("Ｔｅａ", "tea"), ("Lay's", "lays")],
)
def test_normalize_word(raw: str, normal: str) -> None:
    assert normalize_word(raw) == normal


@pytest.mark.parametrize(
    ("forms", "shared"),
    [(("чай", "чая", "чаю", "чаем"), "ча"), (("мука", "муки", "муку"), "мук"),
     (("chocolate", "chocolates"), "chocol"), (("flour", "flours"), "flour")],
)  # fmt: skip
def test_snowball_stems_join_word_forms(forms: tuple[str, ...], shared: str) -> None:
    assert {stem(form) for form in forms} == {shared}


@pytest.mark.parametrize(
    "spellings",
    [("чай", "chai", "chay", "Chai"), ("шоколад", "shokolad"), ("мука", "muka"),
     ("ұн", "ūn", "un", "Ұн"), ("қазақ", "qazaq", "kazak"), ("хлеб", "khleb", "hleb", "xleb"),
     ("жаңа", "jaña", "zhana"), ("шұбат", "şūbat", "shubat"), ("пельмени", "pelmeni"),
     ("щи", "shchi", "schi"), ("ёлка", "elka"), ("әке", "äke", "ake")],
)  # fmt: skip
def test_fold_key_joins_scripts(spellings: tuple[str, ...]) -> None:
    assert len({fold_key(word) for word in spellings}) == 1, [fold_key(w) for w in spellings]


@pytest.mark.parametrize(("short", "other"), [("ким", "киім"), ("сыр", "сиыр"), ("kim", "kiyim")])
def test_a_short_key_keeps_its_doubled_letters(short: str, other: str) -> None:
    # "сыр" (cheese) is not Kazakh "сиыр" (cow), though both read "sir" with "ii" folded
    assert fold_key(short) != fold_key(other)
    assert fold_key(other) == fold_key(kazakh_to_latin(other))


def test_a_short_kazakh_stem_gives_no_key() -> None:
    # "сірке" (vinegar) may end in the dative "-ке"; its stem "сір" would read "sir", as "сыр" does
    keys = analyze_field("сірке", "kk").key
    assert fold_key("сыр") not in keys
    assert fold_key("сірке") in keys
    assert fold_key("шай") in analyze_field("шайлар", "kk").key  # a stem of four key letters keeps it


def test_a_longer_key_folds_doubled_letters() -> None:
    assert fold_key("русский") == fold_key("russkiy") == fold_key("russky") == "ruski"


def test_one_letter_words_of_a_phrase_are_left_out() -> None:
    assert [word.text for word in analyze_query("чай с молоком")] == ["чай", "молоком"]
    assert [word.text for word in analyze_query("kofe v zernah")] == ["kofe", "zernah"]
    assert [word.text for word in analyze_query("с")] == ["с"]
    assert [word.text for word in analyze_query("3 в 1")] == ["3", "1"]


def test_fold_key_ignores_cjk() -> None:
    assert fold_key("面粉") == ""


def test_cjk_bigrams() -> None:
    assert cjk_index_terms("哈萨克斯坦面粉") == ["哈萨", "萨克", "克斯", "斯坦", "坦面", "面粉", "粉"]
    assert cjk_index_terms("茶") == ["茶"]
    assert cjk_query_terms("面粉") == ["面粉"]
    assert is_cjk("2kg 面") and not is_cjk("мука")
    assert set(cjk_query_terms("面粉")) <= set(cjk_index_terms("哈萨克斯坦面粉"))


def test_analyze_field_levels() -> None:
    terms = analyze_field("Чая 2кг", "ru")
    assert terms.exact == ("чая", "2кг", "2", "кг")
    assert "ча" in terms.stem
    assert {"chaia", "cha"} <= set(terms.key)


@given(
    st.text(alphabet="ЧачаяқазақұнсіркеўзбекoʻzbekCocaColaqazaqmuka面粉茶 -,2", max_size=40),
    st.sampled_from(["ru", "kk", "uz", "en", "zh"]),
)
def test_field_keys_are_the_keys_analyze_field_gives(text: str, locale: str) -> None:
    assert field_keys(text, locale) == analyze_field(text, locale).key


def test_kazakh_fields_also_index_the_latin_spelling() -> None:
    assert analyze_field("Ұн", "kk").exact == ("ұн", "ūn")
    assert analyze_field("Ұн", "ru").exact == ("ұн",)


def test_query_words() -> None:
    chaya, flour, tea = analyze_query("chaya 面粉 茶 chaya")
    assert {"cha", "chaia"} <= chaya.key
    assert chaya.max_typos == 1
    assert (flour.cjk, flour.prefix, flour.exact) == (True, False, frozenset({"面粉"}))
    assert (tea.cjk, tea.prefix) == (True, True)


@pytest.mark.parametrize("spelling", ["oʻrik", "o'rik", "o‘rik", "o’rik", "o`rik", "Oʻrik"])
def test_every_uzbek_apostrophe_spelling_is_one_word_and_one_term(spelling: str) -> None:
    assert [token.text for token in tokenize(f"{spelling} quritilgan")] == [spelling, "quritilgan"]
    assert analyze_field(spelling, "uz").exact == ("orik",)
    (word,) = analyze_query(spelling)
    assert word.exact == frozenset({"orik"})


def test_uzbek_words_are_not_stemmed_as_english() -> None:
    assert analyze_field("quritilgan", "uz").stem == ("quritilgan",)
    assert analyze_field("dried", "en").stem == ("dri",)


def test_uzbek_cyrillic_query_also_reads_as_uzbek_latin() -> None:
    (word,) = analyze_query("ўрик")
    assert {"ўрик", "orik"} <= word.exact
    assert analyze_field("Oʻrik", "uz").key[0] in word.key


def test_kazakh_latin_query_also_looks_for_cyrillic() -> None:
    (word,) = analyze_query("ūn")
    assert {"ūn", "ұн"} <= word.exact


@pytest.mark.parametrize(
    ("word", "budget"),
    [("чай", 0), ("мука", 0), ("сахар", 1), ("шоколадка", 2), ("2024кг", 0), ("дрель", 0), ("дрели", 1)],
)
def test_typo_budget(word: str, budget: int) -> None:
    assert typo_budget(word) == budget


def test_layout_variants() -> None:
    assert layout_variants("ie,f") == ["шуба"]
    assert "құрт" in layout_variants("09hn")
    assert layout_variants("срщсщдфеу") == ["chocolate"]
    assert layout_variants("чай tea") == []
    assert layout_variants("面粉") == []
    # two keys are a word on some layout: too short to read as a slip of the layout
    assert layout_variants("фо") == []
    assert layout_variants(" dt ") == []
    assert layout_variants("dtk") == ["вел"]


def test_clean_text_drops_surrogates_and_controls() -> None:
    assert clean_text("чай\ud800\x00мука\tok\n") == "чай  мука\tok\n"


KAZAKH_LETTERS = "аәбвгғдежзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


@given(st.text(alphabet=KAZAKH_LETTERS, min_size=1, max_size=12))
def test_fold_key_is_the_same_in_both_kazakh_scripts(word: str) -> None:
    assert fold_key(kazakh_to_latin(word)) == fold_key(word)


@given(st.text(alphabet=KAZAKH_LETTERS + "ё", min_size=1, max_size=12))
@example("асцч")  # folded doubles complete a digraph: "asch", whose own key is "ash"
def test_fold_key_is_plain_ascii(word: str) -> None:
    assert fold_key(word).isascii()
    assert fold_key(fold_key(word)) == fold_key(word)


@pytest.mark.parametrize(
    ("word", "stem_"),
    [("ұны", "ұн"), ("ұнның", "ұн"), ("шайлардың", "шай"), ("шоколады", "шоколад"),
     ("сүті", "сүт"), ("балы", "бал"), ("нандар", "нан"), ("терісінен", "тері")],
)  # fmt: skip
def test_kazakh_stems_include_the_bare_word(word: str, stem_: str) -> None:
    assert stem_ in kazakh_stems(word)
    assert word in kazakh_stems(word)


def test_kazakh_stems_keep_short_stems_whole() -> None:
    assert kazakh_stems("наны") == ("нан", "наны")  # not "на"
    assert kazakh_stems("ұн") == ("ұн",)
    assert kazakh_stems("бидай") == ("бидай",)


def test_kazakh_fields_use_kazakh_stems() -> None:
    assert set(analyze_field("Қара шайы", "kk").stem) >= {"шай", "шайы"}
    assert "shai" in analyze_field("Қара шайы", "kk").key
