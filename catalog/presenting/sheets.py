"""Products as rows of a sheet (CSV or XLSX): the columns, reading and writing."""

from __future__ import annotations

import csv
import io
import typing as t
from pathlib import Path

from catalog.models import Product
from catalog.security.archives import ArchiveLimits
from catalog.security.archives import ArchiveTooLarge
from catalog.security.archives import check_archive
from catalog.security.cells import neutralise
from catalog.security.cells import neutralised_row
from catalog.security.cells import restore
from catalog.validation import CONTENT_LOCALES
from translations.formatting import quantize_money as quantize

LIST_SEPARATOR = " | "
COLUMNS: tuple[str, ...] = (
    "sku",
    "status",
    "source_locale",
    *[f"{field}_{loc}" for loc in CONTENT_LOCALES for field in ("name", "description", "highlights")],
    "origin_country",
    "category",
    "booth",
    "brand",
    "price",
    "currency",
    "wholesale",
    "stock",
    "barcode",
    "tags",
    "hs_code",
    "net_quantity",
    "shelf_life_days",
    "vat_class",
    "tax_refund_excluded",
)


class SheetError(ValueError):
    """The file cannot be read as a product sheet at all."""


Row = dict[str, str]


def read_rows(path: Path, limits: ArchiveLimits | None = None) -> t.Iterator[tuple[int, Row]]:
    """``(line number, row)`` pairs of a CSV or XLSX file, the header being line 1.

    An XLSX file is measured against *limits* before it is parsed.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _read_xlsx(path, limits or ArchiveLimits())
    else:
        raise SheetError(f"{path.name}: use a .csv or .xlsx file")


def _check_header(header: list[str], name: str) -> list[str]:
    header = [h.strip() for h in header]
    if "sku" not in header:
        raise SheetError(f"{name}: the first row must name the columns, including 'sku'")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise SheetError(f"{name}: unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}")
    return header


def _read_csv(path: Path) -> t.Iterator[tuple[int, Row]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(
            f"{path.name}: not UTF-8 text (byte {exc.start}); save the sheet as UTF-8 CSV"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _check_header(next(reader), path.name)
    except StopIteration as exc:
        raise SheetError(f"{path.name}: the file is empty") from exc
    for values in reader:
        if any(v.strip() for v in values):
            yield reader.line_num, dict(zip(header, (restore(v.strip()) for v in values), strict=False))


def _read_xlsx(path: Path, limits: ArchiveLimits) -> t.Iterator[tuple[int, Row]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        check_archive(path, limits)
        book = load_workbook(path, read_only=True, data_only=True)
    except ArchiveTooLarge as exc:
        raise SheetError(f"{path.name}: the workbook is too large to read: {exc}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        # the library's words may name temporary files: the reader gets none of them
        raise SheetError(f"{path.name}: not a readable XLSX workbook") from exc
    rows = book.active.iter_rows(values_only=True) if book.active else iter(())
    try:
        header = _check_header([str(c or "") for c in next(rows)], path.name)
    except StopIteration as exc:
        raise SheetError(f"{path.name}: the workbook is empty") from exc
    for number, values in enumerate(rows, start=2):
        cells = ["" if v is None else restore(str(v).strip()) for v in values]
        if any(cells):
            yield number, dict(zip(header, cells, strict=False))
    book.close()


def row_to_payload(row: Row) -> dict[str, t.Any]:
    """A row as the JSON shape of ``POST /api/v1/products`` (validated by the caller)."""
    payload: dict[str, t.Any] = {}
    content: dict[str, dict[str, t.Any]] = {}
    for loc in CONTENT_LOCALES:
        if row.get(f"name_{loc}"):
            content[loc] = {
                "name": row[f"name_{loc}"],
                "description": row.get(f"description_{loc}", ""),
                "highlights": _split(row.get(f"highlights_{loc}", ""), LIST_SEPARATOR),
            }
    if content:
        payload["content"] = content
    for key in (
        "sku",
        "status",
        "source_locale",
        "origin_country",
        "category",
        "booth",
        "brand",
        "barcode",
        "hs_code",
        "net_quantity",
        "vat_class",
        "tax_refund_excluded",
    ):
        if row.get(key):
            payload[key] = row[key]
    if row.get("price"):
        payload["price"] = {"amount": row["price"], "currency": row.get("currency") or "CNY"}
    if row.get("wholesale"):
        tiers = []
        for part in _split(row["wholesale"], ";"):
            qty, _, amount = part.partition(":")
            tiers.append({"min_qty": _int(qty), "amount": amount.strip()})
        payload["wholesale"] = tiers
    for key in ("stock", "shelf_life_days"):
        if row.get(key):
            payload[key] = _int(row[key])
    if row.get("tags"):
        payload["tags"] = _split(row["tags"], ",")
    return payload


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator.strip()) if part.strip()]


def _int(text: str) -> int | str:
    text = text.strip()
    if text.endswith(".0"):  # spreadsheets store whole numbers as floats
        text = text[:-2]
    return int(text) if text.lstrip("-").isdigit() else text


def product_to_row(product: Product) -> Row:
    """A product as one sheet row (the inverse of :func:`row_to_payload`)."""
    row: Row = dict.fromkeys(COLUMNS, "")
    for content in product.contents:
        row[f"name_{content.locale}"] = content.name
        row[f"description_{content.locale}"] = content.description
        row[f"highlights_{content.locale}"] = LIST_SEPARATOR.join(content.highlights)
    currency = product.price_currency
    row.update(
        {
            "sku": product.sku,
            "status": product.status.value,
            "source_locale": product.source_locale,
            "origin_country": product.origin_country,
            "category": product.category.path,
            "booth": product.booth.slug if product.booth else "",
            "brand": product.brand or "",
            "price": str(quantize(product.price_amount, currency)),
            "currency": currency,
            "wholesale": "; ".join(f"{w.min_qty}:{quantize(w.amount, currency)}" for w in product.wholesale),
            "stock": str(product.stock),
            "barcode": product.barcode or "",
            "tags": ", ".join(product.tags),
            "hs_code": product.hs_code or "",
            "net_quantity": product.net_quantity or "",
            "shelf_life_days": str(product.shelf_life_days or ""),
            "vat_class": product.vat_class,
            "tax_refund_excluded": "yes" if product.tax_refund_excluded else "no",
        }
    )
    return row


#: Starts every CSV the service writes: Excel reads a CSV as UTF-8 only when it opens with a BOM
#: (without it, Cyrillic and Chinese come out garbled); every CSV reader here skips it.
CSV_BOM = "\ufeff"


def write_rows(path: Path, rows: t.Iterable[Row]) -> int:
    """Write *rows* to a CSV or XLSX file; returns how many."""
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(CSV_BOM)
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(neutralised_row(row))
                count += 1
        return count
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("products")
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append([neutralise(row[c]) for c in COLUMNS])
            count += 1
        book.save(path)
        return count
    raise SheetError(f"{path.name}: use a .csv or .xlsx file")
