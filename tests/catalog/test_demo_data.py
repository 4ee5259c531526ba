"""Checks the demo catalog in catalog/demo_data against the product format and its own rules."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel import Locale

from translations.locales import CONTENT_LOCALES

DATA_DIR = Path(__file__).resolve().parents[2] / "catalog" / "demo_data"
LOCALES = CONTENT_LOCALES
REQUIRED_CONTENT = ("zh", "ru", "en")
PRODUCT_KEYS = {
    "sku",
    "source_locale",
    "content",
    "origin_country",
    "category",
    "booth",
    "brand",
    "price",
    "wholesale",
    "stock",
    "barcode",
    "status",
    "tags",
    "hs_code",
    "net_quantity",
    "shelf_life_days",
}
CONTENT_KEYS = {"name", "description", "highlights"}
SKU_RE = re.compile(r"^[A-Z0-9-]{3,40}$")
SLUG_RE = re.compile(r"^[a-z0-9-]+$")
AMOUNT_RE = re.compile(r"^[0-9]+\.[0-9]{2}$")
HS_RE = re.compile(r"^[0-9]{4}\.[0-9]{2}$")
TAG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
KAZAKH_LETTERS_RE = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
FOREIGN_LETTER_RE = re.compile(r"[a-zA-Z\u0370-\u03ff]")
# Cyrillic letters of other languages (Serbian, Ukrainian, Belarusian) that slip into ru/kk text.
NON_RU_KK_CYRILLIC_RE = re.compile(r"[ђјљњћџєїґўЂЈЉЊЋЏЄЇҐЎ]")
# Uzbek oʻ and gʻ written with a quote, backtick or apostrophe instead of the turned comma U+02BB.
UZBEK_LOOKALIKE_RE = re.compile(r"[OoGg]['‘’`]")
UZBEK_TURNED_COMMA_RE = re.compile(r"[OoGg]ʻ")

# GS1 prefixes of the member organisations whose countries appear in the demo catalog.
GS1_PREFIXES: dict[str, tuple[tuple[int, int], ...]] = {
    "KZ": ((487, 487),),
    "RU": ((460, 469),),
    "BY": ((481, 481),),
    "KG": ((470, 470),),
    "UZ": ((478, 478),),
    "TJ": ((488, 488),),
    "TM": ((483, 483),),
    "MN": ((865, 865),),
    "GE": ((486, 486),),
    "AM": ((485, 485),),
    "AZ": ((476, 476),),
    "TR": ((868, 869),),
    "IR": ((626, 626),),
    "PK": ((896, 896),),
    "IN": ((890, 890),),
    "LK": ((479, 479),),
    "TH": ((885, 885),),
    "VN": ((893, 893),),
    "MY": ((955, 955),),
    "ID": ((899, 899),),
    "KR": ((880, 880),),
    "JP": ((450, 459), (490, 499)),
    "AU": ((930, 939),),
    "NZ": ((940, 949),),
    "FR": ((300, 379),),
    "IT": ((800, 839),),
    "ES": ((840, 849),),
    "PT": ((560, 560),),
    "DE": ((400, 440),),
    "CZ": ((859, 859),),
    "PL": ((590, 590),),
    "HU": ((599, 599),),
    "GR": ((520, 521),),
    "RS": ((860, 860),),
    "BG": ((380, 380),),
    "EG": ((622, 622),),
    "AE": ((629, 629),),
    "CL": ((780, 780),),
    "AR": ((778, 779),),
    "CA": ((754, 755),),
}


def _load(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{path.name} must hold a JSON list"
    return data


@pytest.fixture(scope="module")
def categories() -> list[dict[str, Any]]:
    return _load(DATA_DIR / "categories.json")


@pytest.fixture(scope="module")
def booths() -> list[dict[str, Any]]:
    return _load(DATA_DIR / "booths.json")


@pytest.fixture(scope="module")
def products() -> list[dict[str, Any]]:
    files = sorted((DATA_DIR / "products").glob("*.json"))
    assert files, "no product files in catalog/demo_data/products"
    items: list[dict[str, Any]] = []
    for path in files:
        items.extend(_load(path))
    return items


def ean13_is_valid(code: str) -> bool:
    """True when ``code`` is 13 digits whose last digit is the GS1 check digit."""
    if not re.fullmatch(r"[0-9]{13}", code):
        return False
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def iso_countries() -> set[str]:
    codes = [str(code) for code in Locale("en").territories]
    return {code for code in codes if re.fullmatch(r"[A-Z]{2}", code)}


def test_ean13_check_digit_is_recognised() -> None:
    assert ean13_is_valid("4006381333931")
    assert not ean13_is_valid("4006381333932")
    assert not ean13_is_valid("400638133393")


def _check_names(names: Any, where: str) -> None:
    assert isinstance(names, dict) and set(names) == set(LOCALES), f"{where}: names need {LOCALES}"
    for locale, name in names.items():
        assert isinstance(name, str) and name.strip(), f"{where}: empty {locale} name"


def test_categories_form_a_named_tree(categories: list[dict[str, Any]]) -> None:
    paths = [category["path"] for category in categories]
    assert len(paths) == len(set(paths)), "duplicate category paths"
    for category in categories:
        assert set(category) == {"path", "names"}, category
        path = category["path"]
        assert all(SLUG_RE.fullmatch(segment) for segment in path.split(".")), path
        _check_names(category["names"], path)
        if "." in path:
            assert path.rsplit(".", 1)[0] in paths, f"parent of {path} missing"


def test_the_demo_qualifies_booths_for_the_tax_refund(booths: list[dict[str, Any]]) -> None:
    qualified = {b["slug"] for b in booths if b.get("tax_refund_qualified")}
    assert {"kazakhstan", "russia", "france"} <= qualified
    assert "belarus" not in qualified


def test_booths_are_unique_and_named(booths: list[dict[str, Any]]) -> None:
    slugs = [booth["slug"] for booth in booths]
    assert len(slugs) == len(set(slugs)), "duplicate booth slugs"
    countries = [booth["country"] for booth in booths if booth["country"] is not None]
    assert len(countries) == len(set(countries)), "two booths for one country"
    known = iso_countries()
    for booth in booths:
        assert set(booth) - {"tax_refund_qualified"} == {"slug", "country", "names"}, booth
        assert booth.get("tax_refund_qualified", False) in (True, False), booth
        assert SLUG_RE.fullmatch(booth["slug"]), booth["slug"]
        assert booth["country"] is None or booth["country"] in known, booth
        _check_names(booth["names"], booth["slug"])


def _check_content(sku: str, content: Any) -> None:
    assert isinstance(content, dict), sku
    assert set(content) <= set(LOCALES), f"{sku}: unknown locale in {sorted(content)}"
    for locale in REQUIRED_CONTENT:
        assert locale in content, f"{sku}: no {locale} content"
    for locale, text in content.items():
        assert set(text) == CONTENT_KEYS, f"{sku}/{locale}: keys {sorted(text)}"
        assert text["name"].strip(), f"{sku}/{locale}: empty name"
        assert text["description"].strip(), f"{sku}/{locale}: empty description"
        highlights = text["highlights"]
        assert 2 <= len(highlights) <= 4, f"{sku}/{locale}: {len(highlights)} highlights"
        assert all(isinstance(h, str) and h.strip() for h in highlights), f"{sku}/{locale}"
        joined = " ".join([text["name"], text["description"], *highlights])
        if locale == "zh":
            assert CJK_RE.search(joined), f"{sku}/zh has no Chinese"
        elif locale in ("ru", "kk"):
            assert CYRILLIC_RE.search(joined), f"{sku}/{locale} has no Cyrillic"
            assert not CJK_RE.search(joined), f"{sku}/{locale} contains Chinese"
            mixed = [
                word
                for word in re.findall(r"\w+", joined)
                if CYRILLIC_RE.search(word) and FOREIGN_LETTER_RE.search(word)
            ]
            assert mixed == [], f"{sku}/{locale}: Latin or Greek letters in Cyrillic words {mixed}"
            stray = NON_RU_KK_CYRILLIC_RE.findall(joined)
            assert stray == [], f"{sku}/{locale}: letters from another Cyrillic alphabet {stray}"
        else:
            assert not CYRILLIC_RE.search(joined), f"{sku}/{locale} contains Cyrillic"
            assert not CJK_RE.search(joined), f"{sku}/{locale} contains Chinese"
        if locale == "uz":
            lookalikes = UZBEK_LOOKALIKE_RE.findall(joined)
            assert lookalikes == [], f"{sku}/uz: write oʻ and gʻ with U+02BB, not {lookalikes}"


def _check_money(sku: str, price: Any, wholesale: Any) -> None:
    assert set(price) == {"amount", "currency"}, sku
    assert price["currency"] == "CNY", sku
    assert AMOUNT_RE.fullmatch(price["amount"]), f"{sku}: amount {price['amount']!r}"
    retail = Decimal(price["amount"])
    assert retail > 0, sku
    last_qty, last_amount = 1, retail
    for tier in wholesale:
        assert set(tier) == {"min_qty", "amount"}, sku
        assert AMOUNT_RE.fullmatch(tier["amount"]), f"{sku}: tier {tier}"
        assert isinstance(tier["min_qty"], int) and tier["min_qty"] > last_qty, f"{sku}: {tier}"
        amount = Decimal(tier["amount"])
        assert Decimal(0) < amount < last_amount, f"{sku}: tier {tier} not below {last_amount}"
        last_qty, last_amount = tier["min_qty"], amount


def _check_barcode(sku: str, country: str, barcode: Any) -> None:
    if barcode is None:
        return
    assert isinstance(barcode, str) and ean13_is_valid(barcode), f"{sku}: barcode {barcode}"
    assert country in GS1_PREFIXES, f"{sku}: {country} has no GS1 prefix, barcode must be null"
    prefix = int(barcode[:3])
    ranges = GS1_PREFIXES[country]
    assert any(low <= prefix <= high for low, high in ranges), f"{sku}: GS1 prefix {prefix}"


def test_every_product_follows_the_format(
    products: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    booths: list[dict[str, Any]],
) -> None:
    category_paths = {category["path"] for category in categories}
    parents = {path.rsplit(".", 1)[0] for path in category_paths if "." in path}
    booth_country = {booth["slug"]: booth["country"] for booth in booths}
    known = iso_countries()
    for product in products:
        sku = product.get("sku", "?")
        assert set(product) == PRODUCT_KEYS, f"{sku}: keys {sorted(set(product) ^ PRODUCT_KEYS)}"
        assert SKU_RE.fullmatch(sku), sku
        assert product["source_locale"] in product["content"], sku
        _check_content(sku, product["content"])
        country = product["origin_country"]
        assert country in known, f"{sku}: country {country}"
        assert product["category"] in category_paths, f"{sku}: category {product['category']}"
        assert product["category"] not in parents, f"{sku}: {product['category']} is not a leaf"
        assert product["booth"] in booth_country, f"{sku}: booth {product['booth']}"
        expected_country = booth_country[product["booth"]]
        assert expected_country in (None, country), f"{sku}: {country} at {product['booth']}"
        assert product["brand"] is None or product["brand"].strip(), sku
        _check_money(sku, product["price"], product["wholesale"])
        assert isinstance(product["stock"], int) and 0 <= product["stock"] <= 2000, sku
        _check_barcode(sku, country, product["barcode"])
        assert product["status"] in ("published", "draft"), sku
        tags = product["tags"]
        assert len(tags) == len(set(tags)) and all(TAG_RE.fullmatch(t) for t in tags), sku
        assert HS_RE.fullmatch(product["hs_code"]), f"{sku}: hs_code {product['hs_code']}"
        assert product["net_quantity"].strip(), sku
        shelf = product["shelf_life_days"]
        assert shelf is None or (isinstance(shelf, int) and shelf > 0), sku


def test_identifiers_are_unique(products: list[dict[str, Any]]) -> None:
    skus = Counter(product["sku"] for product in products)
    assert [sku for sku, n in skus.items() if n > 1] == []
    barcodes = Counter(product["barcode"] for product in products if product["barcode"])
    assert [code for code, n in barcodes.items() if n > 1] == []


def test_listings_are_not_templated(products: list[dict[str, Any]]) -> None:
    for locale in LOCALES:
        for field in ("name", "description"):
            texts = Counter(
                product["content"][locale][field] for product in products if locale in product["content"]
            )
            repeated = [text for text, n in texts.items() if n > 1]
            assert repeated == [], f"repeated {locale} {field}: {repeated[:3]}"


def test_catalog_is_large_and_varied(products: list[dict[str, Any]], booths: list[dict[str, Any]]) -> None:
    assert len(products) >= 320
    assert len({product["origin_country"] for product in products}) >= 32
    assert len({product["category"] for product in products}) >= 15
    used_booths = {product["booth"] for product in products}
    assert used_booths == {booth["slug"] for booth in booths}, "booths without products"
    drafts = sum(product["status"] == "draft" for product in products)
    assert 0.05 <= drafts / len(products) <= 0.12, f"{drafts} drafts"
    assert any(product["stock"] == 0 for product in products), "no sold-out product"
    assert any(product["barcode"] is None for product in products), "no product without barcode"


def test_kazakh_covers_most_listings(products: list[dict[str, Any]]) -> None:
    with_kazakh = [product for product in products if "kk" in product["content"]]
    assert len(with_kazakh) / len(products) >= 0.6
    text = " ".join(
        " ".join([c["name"], c["description"], *c["highlights"]])
        for c in (product["content"]["kk"] for product in with_kazakh)
    )
    assert len(KAZAKH_LETTERS_RE.findall(text)) > len(with_kazakh) * 5, "Kazakh text lacks ә ғ қ …"


def test_uzbek_covers_at_least_thirty_listings(products: list[dict[str, Any]]) -> None:
    with_uzbek = [product for product in products if "uz" in product["content"]]
    assert len(with_uzbek) >= 30
    text = " ".join(
        " ".join([c["name"], c["description"], *c["highlights"]])
        for c in (product["content"]["uz"] for product in with_uzbek)
    )
    assert len(UZBEK_TURNED_COMMA_RE.findall(text)) > len(with_uzbek), "Uzbek text lacks oʻ and gʻ"


def _listing(name: str) -> dict[str, Any]:
    return {"name": name, "description": name, "highlights": [name, name]}


def test_content_check_catches_mixed_scripts_and_missing_locales() -> None:
    good = {"zh": _listing("面粉"), "ru": _listing("Мука"), "en": _listing("Flour")}
    _check_content("T-1", good)
    with pytest.raises(AssertionError, match="Latin or Greek"):
        _check_content("T-1", {**good, "kk": _listing("Бидай ұнe")})
    with pytest.raises(AssertionError, match="write oʻ and gʻ with U\\+02BB"):
        _check_content("T-1", {**good, "uz": _listing("Bug'doy uni")})
    with pytest.raises(AssertionError, match="uz contains Cyrillic"):
        _check_content("T-1", {**good, "uz": _listing("Буғдой уни")})
    _check_content("T-1", {**good, "uz": _listing("Bugʻdoy uni")})
    with pytest.raises(AssertionError, match="another Cyrillic alphabet"):
        _check_content("T-1", {**good, "ru": _listing("Мука ариљская")})
    with pytest.raises(AssertionError, match="no en content"):
        _check_content("T-1", {"zh": good["zh"], "ru": good["ru"]})


def test_money_check_rejects_tiers_that_do_not_fall() -> None:
    price = {"amount": "25.00", "currency": "CNY"}
    _check_money("T-1", price, [{"min_qty": 20, "amount": "21.00"}])
    with pytest.raises(AssertionError, match="not below"):
        _check_money("T-1", price, [{"min_qty": 20, "amount": "25.00"}])
    with pytest.raises(AssertionError, match="amount"):
        _check_money("T-1", {"amount": "25.5", "currency": "CNY"}, [])
