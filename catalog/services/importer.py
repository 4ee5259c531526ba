"""Importing suppliers' product sheets: all rows or none, with a report of every bad row."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.domain_errors import CatalogError
from catalog.models import Product
from catalog.models import User
from catalog.presenting.sheets import read_rows
from catalog.presenting.sheets import row_to_payload
from catalog.schemas.parse import parse_model
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductPatch
from catalog.security.archives import ArchiveLimits
from catalog.services import products


@dataclasses.dataclass(frozen=True)
class RowProblem:
    line: int
    sku: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.sku or 'no SKU'}): {self.field}: {self.message}"


@dataclasses.dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRejected(Exception):
    """The sheet had bad rows; nothing was changed."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.problems)} problem(s); nothing was imported")
        self.report = report


Plan = list[tuple[int, Product | None, ProductCreate | ProductPatch]]


def sheet_limits(config: t.Mapping[str, t.Any]) -> ArchiveLimits:
    """How far an imported workbook may expand (``IMPORT_MAX_UNCOMPRESSED_BYTES``, ``..._RATIO``)."""
    return ArchiveLimits(
        max_total_bytes=int(config["IMPORT_MAX_UNCOMPRESSED_BYTES"]),
        max_ratio=int(config["IMPORT_MAX_COMPRESSION_RATIO"]),
    )


def import_products(
    session: Session,
    path: Path,
    user: User | None,
    progress: t.Callable[[int], None] | None = None,
    limits: ArchiveLimits | None = None,
) -> ImportReport:
    """Validate every row of *path*, then create or update the products in the caller's transaction.

    An XLSX file is first measured against *limits* (see :func:`sheet_limits`).
    Raises :class:`ImportRejected` (having changed nothing) when any row is bad.
    """
    report = ImportReport()
    plan: Plan = []
    seen: dict[str, int] = {}
    existing = {p.sku: p for p in session.scalars(sa.select(Product))}
    for line, row in read_rows(path, limits or ArchiveLimits()):
        report.rows += 1
        sku = row.get("sku", "")
        if sku in seen:
            report.problems.append(RowProblem(line, sku, "sku", f"repeats the SKU of line {seen[sku]}"))
            continue
        seen[sku] = line
        payload = row_to_payload(row)
        current = existing.get(sku)
        try:
            if current is None:
                plan.append((line, None, parse_model(ProductCreate, payload)))
            else:
                payload.pop("sku", None)
                payload.pop("source_locale", None)
                plan.append((line, current, parse_model(ProductPatch, payload)))
        except CatalogError as exc:
            for error in exc.errors or [{"field": "row", "message": exc.detail}]:
                report.problems.append(RowProblem(line, sku, error["field"], error["message"]))
        if progress:
            progress(report.rows)
    if report.problems:
        raise ImportRejected(report)
    for line, current, data in plan:
        try:
            if current is None:
                products.create_product(session, t.cast(ProductCreate, data), user)
                report.created += 1
            else:
                before = current.version
                products.update_product(session, current, t.cast(ProductPatch, data), user)
                if current.version != before:
                    report.updated += 1
                else:
                    report.unchanged += 1
        except CatalogError as exc:  # rules that need the stored product (tiers against its price)
            for error in exc.errors or [{"field": "row", "message": exc.detail}]:
                report.problems.append(
                    RowProblem(line, current.sku if current else "", error["field"], error["message"])
                )
    if report.problems:
        session.rollback()
        raise ImportRejected(report)
    return report
