"""Importing suppliers' product sheets: all rows or none, with a report of every bad row."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.domain_errors import CatalogError
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import User
from catalog.presenting.sheets import Row
from catalog.presenting.sheets import read_rows
from catalog.presenting.sheets import row_to_payload
from catalog.schemas.parse import parse_model
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductPatch
from catalog.security.archives import ArchiveLimits
from catalog.services import detached
from catalog.services import indexing
from catalog.services import numbering
from catalog.services import products
from catalog.services.categories import Places
from catalog.services.translating_state import current_revisions


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


#: Products created per flush: one batched INSERT per table instead of one per row.
CHUNK = 1000


def import_products(
    session: Session,
    path: Path,
    user: User | None,
    progress: t.Callable[[int, int], None] | None = None,
    limits: ArchiveLimits | None = None,
) -> ImportReport:
    """Validate every row of *path*, then create or update the products in the caller's transaction.

    An XLSX file is first measured against *limits* (see :func:`sheet_limits`).
    *progress* is told ``(steps done, steps in all)``: each row is checked, then written.
    Raises :class:`ImportRejected` (having changed nothing) when any row is bad.
    """
    rows = list(read_rows(path, limits or ArchiveLimits()))
    steps = 2 * len(rows)
    tick = progress or (lambda done, total: None)
    existing = _stored(session, [row.get("sku", "") for _, row in rows])
    report, plan = _check(rows, existing, lambda n: tick(n, steps))
    if report.problems:
        raise ImportRejected(report)

    def written() -> None:
        tick(len(rows) + report.created + report.updated + report.unchanged, steps)

    with session.no_autoflush:
        batch = products.Batch(Places.load(session), _revisions(session, plan))
        creates = [(line, t.cast(ProductCreate, data)) for line, cur, data in plan if cur is None]
        _create(session, creates, user, batch, report, written)
        for line, current, data in plan:
            if current is not None:
                _update(session, line, current, t.cast(ProductPatch, data), user, batch, report)
                written()
        if report.problems:
            session.rollback()
            raise ImportRejected(report)
        detached.insert_detached(session, batch.history)
        numbering.flush_numbered(session)
    indexing.enqueue_many(session, batch.changed)
    return report


def _check(
    rows: t.Sequence[tuple[int, Row]], existing: t.Mapping[str, Product], tick: t.Callable[[int], None]
) -> tuple[ImportReport, Plan]:
    """The report of every row's problems, and the plan of creates and updates for good rows."""
    report = ImportReport()
    plan: Plan = []
    seen: dict[str, int] = {}
    for line, row in rows:
        report.rows += 1
        tick(report.rows)
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
            _report(report, line, sku, exc)
    return report, plan


def _stored(session: Session, skus: t.Sequence[str]) -> dict[str, Product]:
    """The stored products among *skus* by SKU, read :data:`CHUNK` SKUs per query (not the whole catalog)."""
    found: dict[str, Product] = {}
    for start in range(0, len(skus), CHUNK):
        chosen = sa.select(Product).where(Product.sku.in_(skus[start : start + CHUNK]))
        found.update((product.sku, product) for product in session.scalars(chosen))
    return found


def _revisions(session: Session, plan: Plan) -> dict[tuple[int, str], ContentRevision]:
    """The current revisions of every product the plan updates with texts, read in a few queries."""
    ids = [current.id for _, current, data in plan if current is not None and data.content]
    found: dict[tuple[int, str], ContentRevision] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(current_revisions(session, ids[start : start + CHUNK]))
    return found


def _create(
    session: Session,
    items: t.Sequence[tuple[int, ProductCreate]],
    user: User | None,
    batch: products.Batch,
    report: ImportReport,
    written: t.Callable[[], None],
) -> None:
    """Create the products of *items*: per :data:`CHUNK` of them, one INSERT per table.

    The products are built outside the session and written as plain rows: nothing reads
    them back in this transaction, so the unit of work would only add its bookkeeping.
    """
    for start in range(0, len(items), CHUNK):
        built = []
        for line, data in items[start : start + CHUNK]:
            try:
                built.append((products.new_product(data, user, batch.places, detached.built), data))
            except CatalogError as exc:
                _report(report, line, data.sku, exc)
        made = [product for product, _ in built]
        numbering.number(session, made)
        detached.fill_defaults(made)
        for product, data in built:
            products.record_created(session, product, data, user, batch)
            batch.changed.append(product.id)
        detached.insert_detached(session, made)
        detached.insert_detached(session, batch.history)
        detached.release(made)
        batch.history.clear()
        report.created += len(built)
        written()


def _update(
    session: Session,
    line: int,
    current: Product,
    data: ProductPatch,
    user: User | None,
    batch: products.Batch,
    report: ImportReport,
) -> None:
    """Apply one row to a stored product, counting it as updated or unchanged."""
    before = current.version
    try:
        products.update_product(session, current, data, user, batch)
    except CatalogError as exc:  # rules that need the stored product (tiers against its price)
        _report(report, line, current.sku, exc)
        return
    if current.version != before:
        report.updated += 1
    else:
        report.unchanged += 1


def _report(report: ImportReport, line: int, sku: str, exc: CatalogError) -> None:
    for error in exc.errors or [{"field": "row", "message": exc.detail}]:
        report.problems.append(RowProblem(line, sku, error["field"], error["message"]))
