"""Country, category, booth and brand names find products in every locale, on every engine."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from datetime import datetime
from decimal import Decimal

import pytest

from search import LocalizedText
from search import SearchDocument
from search import SearchEngine
from tests.search.contract.fixtures import MakeEngine
from tests.search.contract.helpers import found

T = LocalizedText
WINE, DELIGHT, SERUM, MATCHA, CHOCOLATE, MANUKA, APRICOTS = 101, 102, 103, 104, 105, 106, 107

DRINKS = {"ru": ("Напитки",), "en": ("Drinks",), "kk": ("Сусындар",), "zh": ("饮品",)}
SWEETS = {"ru": ("Сладости",), "en": ("Sweets",), "kk": ("Тәттілер",), "zh": ("糖果甜食",)}


def _doc(
    doc_id: int,
    country: str,
    category: str,
    texts: dict[str, LocalizedText],
    labels: dict[str, tuple[str, ...]],
    brand: str | None = None,
) -> SearchDocument:
    return SearchDocument(
        id=doc_id,
        version=1,
        sku=f"NAME-{doc_id}",
        barcode=None,
        origin_country=country,
        category=category,
        booth=None,
        brand=brand,
        price=Decimal("10.00"),
        currency="CNY",
        price_cny=Decimal("10.00"),
        created_at=datetime(2026, 10, 1, tzinfo=UTC),
        texts=texts,
        labels=labels,
    )


NAMED: tuple[SearchDocument, ...] = (
    _doc(
        WINE,
        "GE",
        "drinks.wine",
        {
            "ru": T("Саперави красное сухое, 750 мл", "Из Кахетии, чёрная вишня."),
            "en": T("Saperavi Dry Red, 750 ml", "From Kakheti, black cherry."),
            "zh": T("萨佩拉维干红 750ml", "卡赫季产区。"),
        },
        {
            "ru": ("Вино", *DRINKS["ru"]),
            "en": ("Wine", *DRINKS["en"]),
            "kk": ("Шарап", *DRINKS["kk"]),
            "zh": ("葡萄酒", "饮品"),
        },
    ),
    _doc(
        DELIGHT,
        "TR",
        "food.sweets",
        {"ru": T("Рахат-лукум гранатовый, 500 г"), "en": T("Pomegranate lokum, 500 g")},
        SWEETS,
    ),
    _doc(
        SERUM,
        "KR",
        "beauty.skincare",
        {"zh": T("蜗牛黏液修护精华 100ml"), "ru": T("Эссенция с муцином улитки, 100 мл")},
        {"zh": ("护肤", "美妆个护"), "ru": ("Уход за кожей",), "en": ("Skincare",)},
    ),
    _doc(
        MATCHA,
        "JP",
        "drinks.tea",
        {"en": T("Ceremonial Uji Matcha, 30 g"), "ru": T("Матча церемониальная из Удзи, 30 г")},
        {
            "ru": ("Чай", *DRINKS["ru"]),
            "en": ("Tea", *DRINKS["en"]),
            "kk": ("Шай", *DRINKS["kk"]),
            "zh": ("茶", "饮品"),
        },
    ),
    _doc(
        CHOCOLATE,
        "KZ",
        "food.sweets",
        {"ru": T("Шоколад горький 70%, 100 г"), "kk": T("Ащы шоколад 70%, 100 г")},
        SWEETS,
        brand="Алатау",
    ),
    _doc(
        MANUKA,
        "NZ",
        "food.honey",
        {"en": T("Manuka Honey UMF 10+, 250 g"), "ru": T("Мёд UMF 10+, 250 г")},
        {"ru": ("Мёд",), "en": ("Honey",)},
        brand="Kaimai Manuka",
    ),
    _doc(
        APRICOTS,
        "TJ",
        "snacks.dried-fruit",
        {"ru": T("Курага без серы, 500 г")},
        {"ru": ("Сухофрукты", "Центральная Азия (Таджикистан, Туркменистан)"), "en": ("Dried fruit",)},
    ),
)


@pytest.fixture(scope="module")
def named_engine(make_engine: MakeEngine) -> SearchEngine:
    """An engine holding products whose own text never names their country or category."""
    engine = make_engine()
    assert engine.index(NAMED).failed == ()
    return engine


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Грузия", WINE),
        ("Georgia", WINE),
        ("格鲁吉亚", WINE),
        ("Түркия", DELIGHT),
        ("Turkey", DELIGHT),
        ("Япония", MATCHA),
        ("Жапония", MATCHA),
        ("日本", MATCHA),
        ("Қазақстан", CHOCOLATE),
        ("New Zealand", MANUKA),
        ("Новая Зеландия", MANUKA),
        ("Южная Корея", SERUM),
        ("韩国", SERUM),
    ],
)
def test_origin_country_name_in_any_locale(named_engine: SearchEngine, text: str, product: int) -> None:
    assert found(named_engine, text) == [product]


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("грузинское вино", WINE),
        ("вино грузия", WINE),
        ("wine georgia", WINE),
        ("Georgian wine", WINE),
        ("турецкие сладости", DELIGHT),
        ("Turkish sweets", DELIGHT),
        ("Japanese tea", MATCHA),
        ("японский чай", MATCHA),
        ("жапон шайы", MATCHA),
        ("корейская косметика", SERUM),
        ("казахский шоколад", CHOCOLATE),
    ],
)
def test_country_adjective_with_a_product_word(named_engine: SearchEngine, text: str, product: int) -> None:
    assert found(named_engine, text) == [product]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("напитки", {WINE, MATCHA}),
        ("Drinks", {WINE, MATCHA}),
        ("сусындар", {WINE, MATCHA}),
        ("饮品", {WINE, MATCHA}),
        ("сладости", {DELIGHT, CHOCOLATE}),
        ("тәттілер", {DELIGHT, CHOCOLATE}),
        ("косметика", {SERUM}),
        ("cosmetics", {SERUM}),
        ("шарап", {WINE}),
        ("сухофрукты", {APRICOTS}),
    ],
)
def test_category_word_finds_products_whose_text_lacks_it(
    named_engine: SearchEngine, text: str, expected: set[int]
) -> None:
    assert set(found(named_engine, text)) == expected


def test_booth_name_finds_its_products(named_engine: SearchEngine) -> None:
    assert found(named_engine, "Центральная Азия") == [APRICOTS]


@pytest.mark.parametrize(
    ("text", "product"),
    [("Алатау", CHOCOLATE), ("Alatau", CHOCOLATE), ("Kaimai Manuka", MANUKA), ("Каймай", MANUKA)],
)
def test_brand_in_either_script(named_engine: SearchEngine, text: str, product: int) -> None:
    assert found(named_engine, text) == [product]


def test_names_do_not_outrank_the_products_own_text(named_engine: SearchEngine) -> None:
    # the chocolate says "шоколад" in its name; nothing else is chocolate, even among sweets
    assert found(named_engine, "шоколад") == [CHOCOLATE]
    assert found(named_engine, "мёд")[:1] == [MANUKA]


def test_a_category_listing_its_kinds_puts_the_products_named_by_the_word_first(engine: SearchEngine) -> None:
    grains = {"ru": ("Крупы и рис",), "en": ("Rice & grains",), "kk": ("Жарма және күріш",)}
    popular = [
        dataclasses.replace(_doc(doc_id, "KZ", "food.grains", {"ru": T(name)}, grains), popularity=1000)
        for doc_id, name in ((201, "Гречка ядрица"), (202, "Маш таджикский"))
    ]
    rice = _doc(203, "PK", "food.grains", {"ru": T("Рис басмати"), "en": T("Basmati rice")}, grains)
    assert engine.index([*popular, rice]).failed == ()
    for text in ("рис", "rice"):
        assert found(engine, text) == [203, 201, 202]  # then the other kinds, by popularity
    assert set(found(engine, "крупы")) == {201, 202, 203}


def test_a_brand_in_the_other_script_does_not_count_as_a_second_name(engine: SearchEngine) -> None:
    knife = dataclasses.replace(
        _doc(211, "DE", "home.kitchen", {"en": T("Chef knife")}, {"en": ("Kitchen",)}), popularity=1000
    )
    curry = _doc(
        212,
        "TH",
        "food.sauces",
        {"en": T("Bangkok Kitchen curry paste")},
        {"en": ("Sauces",)},
        "Bangkok Kitchen",
    )
    assert engine.index([knife, curry]).failed == ()
    # both say "kitchen" once, as typed: the brand's Cyrillic spelling only repeats the name
    assert found(engine, "kitchen") == [211, 212]
