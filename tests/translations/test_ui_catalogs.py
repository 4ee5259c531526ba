"""The shipped UI catalogs: complete, current with the source tree, and usable once compiled.

A UI string added to a page or to the API without a translation fails here with its text and
what to do: run ``make messages`` (extract and merge), then translate the new entries.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from translations.build import compile_catalogs
from translations.catalog_check import assert_catalog_complete
from translations.locales import CONTENT_LOCALES

REPO = Path(__file__).resolve().parents[2]
CATALOGS = REPO / "translations"
MAPPING = CATALOGS / "babel.cfg"
UI_LOCALES = CONTENT_LOCALES
#: Keywords beyond Babel's defaults, the same ``-k`` options ``make messages`` passes.
EXTRA_KEYWORDS = ("_l", "lazy_gettext")

MessageId = str | tuple[str, str]


def po_path(locale: str) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / "messages.po"


def message_id(raw: object) -> MessageId:
    """A message id as extraction and catalogs key it: the text, or (singular, plural)."""
    if isinstance(raw, (tuple, list)):
        return (str(raw[0]), str(raw[1]))
    return str(raw)


def extract_source_messages(root: Path = REPO) -> dict[MessageId, str]:
    """Every UI message in the source tree, as ``pybabel extract -F translations/babel.cfg`` finds it.

    Returns each message id (a ``(singular, plural)`` pair for plural messages) with the first
    file it occurs in.
    """
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(MAPPING))  # type: ignore[no-untyped-call]
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update({name: None for name in EXTRA_KEYWORDS})
    found: dict[MessageId, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords
    ):
        found.setdefault(message_id(message), filename)
    return found


def catalog_ids(locale: str) -> set[MessageId]:
    with po_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {message_id(message.id) for message in catalog if message.id}


@pytest.fixture(scope="module")
def source_messages() -> dict[MessageId, str]:
    return extract_source_messages()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogs, compiled by the project's build into a scratch folder."""
    root = tmp_path_factory.mktemp("ui-catalogs")
    for locale in UI_LOCALES:
        target = root / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(po_path(locale), target / "messages.po")
    written = compile_catalogs(root)
    assert sorted(path.parent.parent.name for path in written) == sorted(UI_LOCALES)
    return root


def translations_for(compiled: Path, locale: str) -> Translations:
    loaded = Translations.load(str(compiled), [locale])
    assert isinstance(loaded, Translations), f"no compiled catalog for {locale}"
    return loaded


# -- complete --------------------------------------------------------------------------


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    assert_catalog_complete(po_path(locale), locale)


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_catalog_has_every_string_of_the_source(locale: str, source_messages: dict[MessageId, str]) -> None:
    missing = sorted(set(source_messages) - catalog_ids(locale), key=str)
    assert not missing, (
        f"{len(missing)} UI string(s) of the source are not in {po_path(locale).relative_to(REPO)}; "
        "run `make messages`, then translate them:\n"
        + "\n".join(f"  {message!r} ({Path(source_messages[message])})" for message in missing)
    )


def test_template_has_every_string_of_the_source(source_messages: dict[MessageId, str]) -> None:
    with (CATALOGS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    ids = {message_id(message.id) for message in template if message.id}
    missing = sorted(set(source_messages) - ids, key=str)
    assert not missing, f"translations/messages.pot is out of date; run `make messages`: {missing!r}"


def test_extraction_finds_pages_api_errors_and_card_labels(source_messages: dict[MessageId, str]) -> None:
    assert source_messages["Country booths"].endswith(".html")  # a page template
    assert source_messages["Changed by someone else"].endswith(".py")  # an error title (lazy_gettext)
    assert Path(source_messages["Scan to buy"]).name == "card_png.py"  # a card label
    assert ("%(num)d day", "%(num)d days") in source_messages  # ngettext keeps both forms


def test_make_messages_extracts_with_the_same_keywords_and_mapping() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nmessages:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    extract = next(line for line in recipe.splitlines() if "pybabel" in line and " extract " in line)
    assert re.findall(r"-k\s+(\S+)", extract) == list(EXTRA_KEYWORDS)
    assert "-F translations/babel.cfg" in extract and "-o translations/messages.pot" in extract
    assert "pybabel" in recipe.split(" update ", 1)[0] and "translations.build" in recipe


def test_a_new_string_in_the_source_is_reported(tmp_path: Path) -> None:
    template = tmp_path / "catalog" / "templates" / "new.html"
    template.parent.mkdir(parents=True)
    template.write_text('<p>{{ _("Price") }} {{ _("A brand-new label nobody translated") }}</p>\n')
    found = extract_source_messages(tmp_path)
    assert set(found) == {"Price", "A brand-new label nobody translated"}
    untranslated = set(found) - catalog_ids("ru")
    assert untranslated == {"A brand-new label nobody translated"}


# -- usable once compiled --------------------------------------------------------------

KNOWN = {
    "ru": {"Search": "Найти", "Origin": "Происхождение", "Price": "Цена", "Sold out": "Распродано"},
    "kk": {"Search": "Іздеу", "Origin": "Шығу елі", "Price": "Бағасы", "Add a product": "Тауар қосу"},
    "zh": {"Search": "搜索", "Origin": "产地", "Price": "价格", "Scan to buy": "扫码购买"},
    "en": {"Search": "Search", "Origin": "Origin", "Price": "Price", "Scan to buy": "Scan to buy"},
    "uz": {
        "Search": "Qidirish",
        "Origin": "Kelib chiqishi",
        "Price": "Narx",
        "Scan to buy": "Sotib olish uchun skanerlang",
    },
}


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_compiled_catalog_translates_known_strings(compiled: Path, locale: str) -> None:
    catalog = translations_for(compiled, locale)
    assert {msgid: catalog.gettext(msgid) for msgid in KNOWN[locale]} == KNOWN[locale]


def test_compiled_catalogs_fill_placeholders(compiled: Path) -> None:
    ru = translations_for(compiled, "ru")
    zh = translations_for(compiled, "zh")
    assert ru.gettext("In stock: %(count)s") % {"count": 12} == "В наличии: 12"
    assert zh.gettext("Edit %(sku)s") % {"sku": "KZ-FLOUR-001"} == "编辑 KZ-FLOUR-001"


PLURALS: dict[str, dict[int, str]] = {
    "ru": {1: "1 день", 3: "3 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня", 0: "0 дней"},
    "kk": {1: "1 күн", 2: "2 күн", 5: "5 күн"},
    "zh": {1: "1 天", 2: "2 天", 100: "100 天"},
    "en": {1: "1 day", 2: "2 days", 0: "0 days"},
    "uz": {1: "1 kun", 2: "2 kun", 5: "5 kun"},
}


@pytest.mark.parametrize("locale", UI_LOCALES)
def test_compiled_catalog_chooses_plural_forms(compiled: Path, locale: str) -> None:
    catalog = translations_for(compiled, locale)

    def days(num: int) -> str:
        return catalog.ngettext("%(num)d day", "%(num)d days", num) % {"num": num}

    assert {num: days(num) for num in PLURALS[locale]} == PLURALS[locale]


def test_kazakh_is_written_in_cyrillic_with_kazakh_letters() -> None:
    with po_path("kk").open("rb") as handle:
        catalog = read_po(handle, locale="kk")
    forms = (m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id)
    text = " ".join(str(form) for each in forms for form in each).lower()
    assert set("әғқңөұүі") <= set(text)
    cyrillic, latin = len(re.findall(r"[а-яёәғқңөұүһі]", text)), len(re.findall(r"[a-z]", text))
    assert cyrillic > 4 * latin, "Latin letters belong only in codes, names and placeholders"


def test_uzbek_is_written_in_latin_with_the_official_oʻ_and_gʻ() -> None:
    with po_path("uz").open("rb") as handle:
        catalog = read_po(handle, locale="uz")
    forms = (m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id)
    text = " ".join(str(form) for each in forms for form in each).lower()
    assert {"oʻ", "gʻ"} <= {pair for pair in re.findall(r"[og]ʻ", text)}
    assert not re.search(r"[og][‘’`]", text), "oʻ and gʻ take the turned comma U+02BB"
    assert not re.search(r"[а-яё]", text), "Uzbek is written in the Latin alphabet"
