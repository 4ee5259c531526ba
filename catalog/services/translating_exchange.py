"""Exporting listing texts for translators (PO, XLIFF) and importing their files back.

An import is all or nothing: the file is read and checked completely (by
``translations.import_po``'s and ``import_xliff``'s readers and plan) before anything is
written, and any problem refuses the whole file with a message naming its line or unit.
"""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Invalid
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductStatus
from catalog.models import User
from catalog.services.categories import subtree_ids
from catalog.services.translating import as_listing
from catalog.services.translating import bump_version
from catalog.services.translating import current_revisions
from catalog.services.translating import new_revision
from catalog.services.translating import pack_hashes
from catalog.services.translating import record_change
from catalog.services.translating import refresh_states
from catalog.services.translating import require_translator
from catalog.services.translating import text_json
from catalog.services.translating import unpack_hashes
from catalog.services.translating_conflicts import OnConflict
from catalog.services.translating_conflicts import conflict_refusal
from catalog.services.translating_conflicts import field_text
from catalog.services.translating_conflicts import find_conflicts
from catalog.services.translating_conflicts import without_conflicts
from catalog.services.translating_glossary import get_glossary
from catalog.services.translating_glossary import terms_of
from catalog.services.translating_glossary import warnings_for
from translations import ExchangeProblem
from translations import ExportEntry
from translations import ImportPlan
from translations import ListingText
from translations import diff_html
from translations import export_po
from translations import export_xliff
from translations import listing_export_entries
from translations import source_hashes
from translations.exchange import build_plan
from translations.exchange_po import read_po_entries
from translations.exchange_xliff import read_xliff_entries
from translations.workflow import field_source_hash

Format = t.Literal["po", "xliff"]
CHUNK = 500


def _chunks(items: t.Sequence[t.Any], size: int = CHUNK) -> t.Iterator[t.Sequence[t.Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _translatable(locale: str) -> sa.Select[Product]:
    return sa.select(Product).where(Product.source_locale != locale, Product.status != ProductStatus.ARCHIVED)


def export_listings(
    session: Session,
    locale: str,
    fmt: Format,
    *,
    states: t.Collection[str] | None = None,
    category: str | None = None,
    source_locale: str | None = None,
) -> dict[str, bytes]:
    """Every listing that needs a *locale* text, as PO or XLIFF files of source and target.

    One file per source language (so that each file's source language is true), keyed by it;
    *source_locale* keeps only that one. Each entry names the translation revision it shows.
    """
    stmt = _translatable(locale).order_by(Product.sku)
    if category:
        stmt = stmt.where(Product.category_id.in_(subtree_ids(session, category)))
    if source_locale:
        stmt = stmt.where(Product.source_locale == source_locale)
    if states:
        has_text = sa.select(ProductContent.product_id).where(ProductContent.locale == locale)
        with_state = has_text.where(ProductContent.state.in_(list(states)))
        condition: sa.ColumnElement[bool] = Product.id.in_(with_state)
        if "missing" in states:
            condition = sa.or_(condition, Product.id.not_in(has_text))
        stmt = stmt.where(condition)
    products = list(session.scalars(stmt))
    revisions: dict[int, ContentRevision] = {}
    for chunk in _chunks([p.id for p in products]):
        revisions |= {pid: rev for (pid, _), rev in current_revisions(session, chunk, locale).items()}
    entries: dict[str, list[ExportEntry]] = {}
    for product in products:
        source = product.content_for(product.source_locale)
        if source is None:
            continue
        content = product.content_for(locale)
        revision = revisions.get(product.id)
        entries.setdefault(product.source_locale, []).extend(
            listing_export_entries(
                product.sku,
                as_listing(source),
                None if content is None else as_listing(content),
                {} if content is None else unpack_hashes(content.source_hash),
                reviewed=revision is not None and revision.review is not None,
                revision=revision.number if revision is not None else 0,
                source_then=revision.source_text if revision is not None else None,
            )
        )
    if not entries:
        entries[source_locale or "zh"] = []
    write = export_po if fmt == "po" else export_xliff
    return {source: write(locale, rows, source_locale=source) for source, rows in sorted(entries.items())}


@dataclasses.dataclass
class ImportReport:
    """What an applied import changed."""

    updated: int = 0
    unchanged: int = 0
    untranslated: int = 0
    stale: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    warnings: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    products: list[int] = dataclasses.field(default_factory=list)
    conflicts: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "updated": self.updated,
            "unchanged": self.unchanged,
            "untranslated": self.untranslated,
            "errors": [],
            "stale": self.stale,
            "warnings": self.warnings,
            "conflicts": self.conflicts,
        }


def _sources(session: Session, locale: str, skus: t.Collection[str]) -> dict[str, ListingText]:
    """The current source text of each product among *skus* that takes a *locale* text."""
    out: dict[str, ListingText] = {}
    for chunk in _chunks(sorted(skus)):
        rows = session.execute(
            sa.select(Product.sku, ProductContent.name, ProductContent.description, ProductContent.highlights)
            .join(ProductContent, ProductContent.product_id == Product.id)
            .where(
                Product.sku.in_(chunk),
                ProductContent.locale == Product.source_locale,
                Product.source_locale != locale,
                Product.status != ProductStatus.ARCHIVED,
            )
        )
        for sku, name, description, highlights in rows:
            out[sku] = ListingText(name, description, tuple(highlights))
    return out


def plan_import(session: Session, locale: str, data: bytes, fmt: Format) -> ImportPlan:
    """Read and check a translated file against today's sources; nothing is written."""
    read = read_po_entries if fmt == "po" else read_xliff_entries
    raw_entries, problems = read(data, locale)
    sources = _sources(session, locale, {raw.sku for raw in raw_entries})
    refusals = _untranslatable(session, locale, {raw.sku for raw in raw_entries} - sources.keys())
    problems += [
        ExchangeProblem(raw.location, refusals[raw.sku]) for raw in raw_entries if raw.sku in refusals
    ]
    raw_entries = [raw for raw in raw_entries if raw.sku not in refusals]
    plan = build_plan(locale, raw_entries, sources, problems)
    if plan.ok:
        _check_new_names(session, locale, plan, {raw.sku: raw.location for raw in reversed(raw_entries)})
    return plan


def _untranslatable(session: Session, locale: str, skus: t.Collection[str]) -> dict[str, str]:
    """Why products that exist take no *locale* text: written in it, or archived."""
    if not skus:
        return {}
    rows = session.execute(
        sa.select(Product.sku, Product.source_locale, Product.status).where(Product.sku.in_(list(skus)))
    )
    out = {}
    for sku, source_locale, status in rows:
        if source_locale == locale:
            out[sku] = f"{sku} is written in {locale} (its source text); it takes no {locale} translation"
        elif status is ProductStatus.ARCHIVED:
            out[sku] = f"{sku} is archived; its texts are no longer translated"
    return out


def _check_new_names(session: Session, locale: str, plan: ImportPlan, first_at: t.Mapping[str, str]) -> None:
    """A first translation of a product must bring its name: viewers would see an empty one."""
    named = {entry.sku for entry in plan.entries if entry.field == "name"}
    skus = {entry.sku for entry in plan.entries} - named
    if not skus:
        return
    having = set(
        session.scalars(
            sa.select(Product.sku)
            .join(ProductContent, ProductContent.product_id == Product.id)
            .where(Product.sku.in_(skus), ProductContent.locale == locale)
        )
    )
    for sku in sorted(skus - having):
        message = f"{sku}|name: a first {locale} translation needs the name translated as well"
        plan.errors.append(ExchangeProblem(first_at[sku], message))


def refused(plan: ImportPlan) -> Invalid:
    """The 422 for a plan with errors: every problem, naming its line or unit."""
    count = len(plan.errors)
    detail = ngettext(
        "The file has %(num)d problem; nothing was imported: %(first)s",
        "The file has %(num)d problems; nothing was imported. First: %(first)s",
        count,
        first=str(plan.errors[0]),
    )
    return Invalid(
        detail,
        errors=[{"field": problem.location, "message": problem.message} for problem in plan.errors],
        extra={
            "report": {"updated": 0, "unchanged": 0, "errors": [str(p) for p in plan.errors], "stale": []}
        },
    )


def import_listings(
    session: Session,
    locale: str,
    data: bytes,
    fmt: Format,
    user: User,
    *,
    hidden_until_reviewed: bool = False,
    on_conflict: OnConflict = "refuse",
) -> ImportReport:
    """Apply a translated file all or nothing; stale translations are kept, marked stale.

    A text changed by someone else since the export is a conflict: by default the whole file
    is refused (409) with every conflict; with *on_conflict* ``"skip"`` the rest is applied
    and the conflicts are listed in the report. With *hidden_until_reviewed*, every text the
    file changes stays hidden from viewers until it is reviewed.
    """
    require_translator(user, locale)
    plan = plan_import(session, locale, data, fmt)
    if not plan.ok:
        raise refused(plan)
    products = {
        p.sku: p
        for chunk in _chunks(sorted({entry.sku for entry in plan.entries}))
        for p in session.scalars(sa.select(Product).where(Product.sku.in_(chunk)).with_for_update(of=Product))
    }
    conflicts = find_conflicts(session, locale, plan, products)
    if conflicts and on_conflict == "refuse":
        raise conflict_refusal(conflicts)
    plan = without_conflicts(plan, conflicts)
    skus = sorted({entry.sku for entry in plan.entries})
    sources = {
        sku: as_listing(t.cast(ProductContent, p.content_for(p.source_locale))) for sku, p in products.items()
    }
    updates = plan.listing_updates(sources)
    in_file = _sources_in_file(plan)
    highlights = _highlight_items(plan)
    terms = terms_of(get_glossary(session, locale))
    report = ImportReport(untranslated=len(plan.untranslated))
    report.conflicts = [conflict.to_dict() for conflict in conflicts]
    for sku in skus:
        product = products[sku]
        update, source = updates.get(sku, {}), sources[sku]
        items = highlights.get(sku, {})
        if _apply(
            session, product, locale, update, source, in_file.get(sku, {}), items, user, hidden_until_reviewed
        ):
            report.updated += 1
            report.products.append(product.id)
            content = product.content_for(locale)
            assert content is not None
            for warning in warnings_for(terms, sources[sku], as_listing(content), product.brand):
                report.warnings.append({"sku": sku, "product_id": product.id, **warning})
        else:
            report.unchanged += 1
    for entry in plan.entries:
        if entry.stale and entry.source_diff is not None:
            report.stale.append(
                {
                    "sku": entry.sku,
                    "product_id": products[entry.sku].id,
                    "field": entry.field,
                    "source_in_file": entry.source_in_file,
                    "source_now": field_text(sources[entry.sku], entry.field),
                    "diff": [list(segment) for segment in entry.source_diff],
                    "diff_html": diff_html(entry.source_diff),
                }
            )
    return report


def _sources_in_file(plan: ImportPlan) -> dict[str, dict[str, t.Any]]:
    """The source text each imported translation was made from, per product and field."""
    out: dict[str, dict[str, t.Any]] = {}
    items: dict[str, dict[int, str]] = {}
    for entry in plan.entries:
        if entry.field.startswith("highlights."):
            items.setdefault(entry.sku, {})[int(entry.field.split(".")[1])] = entry.source_in_file
        else:
            out.setdefault(entry.sku, {})[entry.field] = entry.source_in_file
    for sku, by_index in items.items():
        out.setdefault(sku, {})["highlights"] = [by_index[i] for i in sorted(by_index)]
    return out


def _highlight_items(plan: ImportPlan) -> dict[str, dict[int, str]]:
    """The translated highlights in the file, per product and position."""
    out: dict[str, dict[int, str]] = {}
    for entry in plan.entries:
        if entry.field.startswith("highlights."):
            out.setdefault(entry.sku, {})[int(entry.field.split(".")[1])] = entry.text
    return out


def _merged_highlights(current: t.Sequence[str], items: t.Mapping[int, str]) -> tuple[str, ...]:
    """The current highlights with those in the file put in their places (none is dropped)."""
    merged = list(current)
    for index in sorted(items):
        if index < len(merged):
            merged[index] = items[index]
        else:
            merged.append(items[index])
    return tuple(merged)


def _apply(
    session: Session,
    product: Product,
    locale: str,
    update: t.Mapping[str, tuple[str | tuple[str, ...], str]],
    source: ListingText,
    in_file: t.Mapping[str, t.Any],
    items: t.Mapping[int, str],
    user: User,
    hide: bool,
) -> bool:
    """Store one product's imported fields; whether anything changed."""
    content = product.content_for(locale)
    current = as_listing(content) if content else ListingText("")
    values = {field: value for field, (value, _) in update.items()}
    text = ListingText(
        str(values.get("name", current.name)),
        str(values.get("description", current.description)),
        _merged_highlights(current.highlights, items) if items else current.highlights,
    )
    recorded_before = unpack_hashes(content.source_hash) if content else {}
    recorded = recorded_before | {field: digest for field, (_, digest) in update.items()}
    if content is not None and current == text and recorded == recorded_before:
        return False
    revisions = dict(current_revisions(session, [product.id]))
    previous = revisions.get((product.id, locale))
    now = source_hashes(source)
    earlier = previous.source_text if previous and previous.source_text else {}
    source_text = {}
    for field in ("name", "description", "highlights"):
        if recorded.get(field) == now[field]:
            source_text[field] = text_json(source)[field]
        elif field in in_file and recorded.get(field) == field_source_hash(in_file[field]):
            source_text[field] = in_file[field]
        else:
            source_text[field] = earlier.get(field, "" if field != "highlights" else [])
    if content is None:
        content = ProductContent(locale=locale)
        product.contents.append(content)
    content.name, content.description, content.highlights = text.name, text.description, list(text.highlights)
    content.author_id = user.id
    content.source_hash = pack_hashes(recorded)
    content.hidden_until_reviewed = content.hidden_until_reviewed or hide
    revisions[(product.id, locale)] = new_revision(
        session, product, locale, text, previous, user, "import", recorded, source_text
    )
    session.flush()
    refresh_states(session, product, revisions)
    bump_version(session, product)
    changes = {"name": [current.name, text.name]} if current.name != text.name else {}
    changes["fields"] = sorted(update)
    record_change(session, user, "translation.import", product, locale, changes)
    return True
