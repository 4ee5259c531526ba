"""The staff's product form: its fields as text, the API's JSON shape, and errors placed by field."""

from __future__ import annotations

import re
import typing as t

from werkzeug.datastructures import MultiDict

from catalog.errors import FieldError
from catalog.models import Product
from catalog.validation import CONTENT_LOCALES
from catalog.web.context import _
from catalog.web.context import browser_lines
from catalog.web.context import text_lines
from translations.formatting import quantize_money as quantize

FormValues = dict[str, str]
FormErrors = dict[str, list[str]]
#: Plain text inputs, named as the API's fields.
TEXT_FIELDS = ("origin_country", "category", "booth", "brand", "barcode", "hs_code", "net_quantity")
CONTENT_PARTS = ("name", "description", "highlights")
_TIER = re.compile(r"^\s*(\d{1,9})\s*(?:[:=]\s*|\s+)([0-9][0-9.,]*)\s*$")


def content_field(locale: str, part: str) -> str:
    return f"content-{locale}-{part}"


def values_from_product(product: Product) -> FormValues:
    """The form filled in with *product* as stored."""
    currency = product.price_currency
    values: FormValues = {
        "sku": product.sku,
        "source_locale": product.source_locale,
        "status": product.status.value,
        "origin_country": product.origin_country,
        "category": product.category.path,
        "booth": product.booth.slug if product.booth else "",
        "brand": product.brand or "",
        "barcode": product.barcode or "",
        "hs_code": product.hs_code or "",
        "net_quantity": product.net_quantity or "",
        "price-amount": str(quantize(product.price_amount, currency)),
        "price-currency": currency,
        "wholesale": "\n".join(f"{w.min_qty}: {quantize(w.amount, currency)}" for w in product.wholesale),
        "stock": str(product.stock),
        "tags": ", ".join(product.tags),
        "shelf_life_days": str(product.shelf_life_days or ""),
        "version": str(product.version),
    }
    for content in product.contents:
        values[content_field(content.locale, "name")] = content.name
        values[content_field(content.locale, "description")] = content.description
        values[content_field(content.locale, "highlights")] = "\n".join(content.highlights)
    return values


def values_from_form(form: MultiDict[str, str]) -> FormValues:
    """The submitted form as text, to show again beside any errors."""
    return {key: form.get(key, "") for key in form}


def _integer(text: str) -> int | str:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 12 else text


def _tiers(text: str, errors: list[FieldError]) -> list[dict[str, t.Any]]:
    tiers = []
    for number, line in enumerate(browser_lines(text), start=1):
        if not line.strip():
            continue
        found = _TIER.match(line)
        if found is None:
            message = _("Line %(line)d: write a quantity and a price, such as 20: 21.00.", line=number)
            errors.append({"field": "wholesale", "message": message})
            continue
        tiers.append({"min_qty": int(found.group(1)), "amount": found.group(2).replace(",", ".")})
    return tiers


def payload_from_form(
    values: FormValues, product: Product | None
) -> tuple[dict[str, t.Any], list[FieldError]]:
    """The JSON shape of a create (*product* is ``None``) or a patch, and problems found on the way."""
    errors: list[FieldError] = []
    payload: dict[str, t.Any] = {"status": values.get("status", "draft")}
    content: dict[str, dict[str, t.Any]] = {}
    for locale in CONTENT_LOCALES:
        name = values.get(content_field(locale, "name"), "").strip()
        description = values.get(content_field(locale, "description"), "").strip()
        highlights = text_lines(values.get(content_field(locale, "highlights"), ""))
        if name:
            content[locale] = {"name": name, "description": description, "highlights": highlights}
        elif product is not None and product.content_for(locale) is not None:
            message = _("A written name cannot be removed here; correct it instead.")
            errors.append({"field": f"content.{locale}.name", "message": message})
        elif description or highlights:
            message = _("Give a name in this language, or leave its description and highlights empty.")
            errors.append({"field": f"content.{locale}.name", "message": message})
    payload["content"] = content
    for name in TEXT_FIELDS:
        text = values.get(name, "").strip()
        if name in ("origin_country",):
            text = text.upper()
        if text:
            payload[name] = text
        elif product is not None and name in ("booth", "brand", "barcode", "hs_code", "net_quantity"):
            payload[name] = None
    payload["price"] = {
        "amount": values.get("price-amount", "").strip().replace(",", "."),
        "currency": values.get("price-currency", "").strip().upper(),
    }
    payload["wholesale"] = _tiers(values.get("wholesale", ""), errors)
    stock = values.get("stock", "").strip()
    if stock:
        payload["stock"] = _integer(stock)
    shelf_life = values.get("shelf_life_days", "").strip()
    if shelf_life:
        payload["shelf_life_days"] = _integer(shelf_life)
    elif product is not None:
        payload["shelf_life_days"] = None
    payload["tags"] = [tag.strip() for tag in values.get("tags", "").split(",") if tag.strip()]
    if product is None:
        payload["sku"] = values.get("sku", "").strip().upper()
        payload["source_locale"] = values.get("source_locale", "zh")
    return payload, errors


def form_field(path: str) -> str:
    """The form input an API field path belongs to (``price.amount`` → ``price-amount``)."""
    parts = path.split(".")
    head = parts[0]
    if head == "content" and len(parts) >= 3 and parts[2] in CONTENT_PARTS:
        return content_field(parts[1], parts[2])
    if head == "content" and len(parts) >= 2 and parts[1] in CONTENT_LOCALES:
        return content_field(parts[1], "name")
    if head == "price":
        return "price-currency" if len(parts) > 1 and parts[1] == "currency" else "price-amount"
    return head


def errors_by_field(errors: t.Iterable[FieldError]) -> FormErrors:
    """Errors grouped by form input; a wholesale tier's error names its line."""
    grouped: FormErrors = {}
    for error in errors:
        field = form_field(error["field"])
        message = error["message"]
        parts = error["field"].split(".")
        if parts[0] == "wholesale" and len(parts) > 1 and parts[1].isdigit():
            message = _("Tier %(number)d: %(message)s", number=int(parts[1]) + 1, message=message)
        grouped.setdefault(field, []).append(message)
    return grouped
