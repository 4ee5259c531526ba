"""Staff query rules: checking, storing and listing them (search applies them, see :mod:`search.curation`)."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import Category
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import SearchRule
from catalog.models import User
from catalog.schemas.search_curation import RuleIn
from catalog.services import audit
from search.curation import window_holds
from search.synonyms import normalized_text

ENTITY = "search_rule"


def _target_errors(session: Session, data: RuleIn) -> list[FieldError]:
    """What is wrong with what the rule applies to: one query or one existing category."""
    query = normalized_text(data.query or "")
    if (data.query is None) == (data.category is None):
        message = gettext("Name either the query or the category the rule applies to (one of them).")
        return [{"field": "query", "message": message}]
    if data.query is not None and not query:
        return [
            {
                "field": "query",
                "message": gettext("The query has no words; type the query viewers search for."),
            }
        ]
    if data.category is not None and not session.scalar(
        sa.select(Category.id).where(Category.path == data.category)
    ):
        message = gettext("There is no category %(path)s.", path=data.category)
        return [{"field": "category", "message": message}]
    return []


def _product_errors(session: Session, data: RuleIn) -> list[FieldError]:
    """Each pinned or hidden product that is unknown or not published, named."""
    named = [(f"pins[{i}].product_id", pin.product_id) for i, pin in enumerate(data.pins)]
    named += [(f"hides[{i}]", product_id) for i, product_id in enumerate(data.hides)]
    ids = {product_id for _, product_id in named}
    statuses = {
        row.id: row.status
        for row in session.execute(sa.select(Product.id, Product.status).where(Product.id.in_(ids)))
    }
    errors: list[FieldError] = []
    for field, product_id in named:
        status = statuses.get(product_id)
        if status is None:
            errors.append({"field": field, "message": gettext("There is no product %(id)s.", id=product_id)})
        elif status != ProductStatus.PUBLISHED:
            message = gettext(
                "Product %(id)s is %(status)s, not published; viewers cannot see it.",
                id=product_id,
                status=status.value,
            )
            errors.append({"field": field, "message": message})
    return errors


def _shape_errors(data: RuleIn) -> list[FieldError]:
    """Clashes inside the rule: its window, repeated pins, and a rule that does nothing."""
    errors: list[FieldError] = []
    if data.starts_at is not None and data.ends_at is not None and data.ends_at <= data.starts_at:
        errors.append(
            {"field": "ends_at", "message": gettext("The window ends before it starts; swap the times.")}
        )
    products = [pin.product_id for pin in data.pins]
    positions = [pin.position for pin in data.pins]
    if len(set(products)) < len(products) or len(set(positions)) < len(positions):
        errors.append(
            {"field": "pins", "message": gettext("Pin each product once, and one product per position.")}
        )
    if set(products) & set(data.hides):
        errors.append(
            {"field": "hides", "message": gettext("A product cannot be pinned and hidden at once.")}
        )
    boosts = data.boosts
    if not (data.pins or data.hides or boosts.countries or boosts.categories or boosts.booths):
        errors.append(
            {"field": "pins", "message": gettext("The rule does nothing: pin, hide or boost something.")}
        )
    return errors


def check_rule(session: Session, data: RuleIn) -> None:
    """:class:`Invalid` naming every problem of *data*, products by their ids."""
    errors = _target_errors(session, data) + _shape_errors(data) + _product_errors(session, data)
    if errors:
        raise Invalid.fields(errors)


def _fields(data: RuleIn) -> dict[str, t.Any]:
    return {
        "query": normalized_text(data.query) if data.query is not None else None,
        "category": data.category,
        "pins": [{"product_id": pin.product_id, "position": pin.position} for pin in data.pins],
        "hides": list(dict.fromkeys(data.hides)),
        "boosts": data.boosts.model_dump(),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "note": data.note,
    }


def _audited(fields: dict[str, t.Any]) -> dict[str, t.Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in fields.items()}


def get_rule(session: Session, rule_id: int) -> SearchRule:
    """The rule *rule_id*, or :class:`NotFound`."""
    row = session.get(SearchRule, rule_id)
    if row is None:
        raise NotFound(gettext("There is no search rule %(id)s.", id=rule_id))
    return row


def list_rules(session: Session, after: int | None, limit: int) -> list[SearchRule]:
    """Up to *limit* rules after id *after*, oldest first."""
    stmt = sa.select(SearchRule).order_by(SearchRule.id).limit(limit)
    if after is not None:
        stmt = stmt.where(SearchRule.id > after)
    return list(session.scalars(stmt))


def add_rule(session: Session, data: RuleIn, user: User | None) -> SearchRule:
    """Check and store a new rule (the caller commits)."""
    check_rule(session, data)
    fields = _fields(data)
    row = SearchRule(**fields)
    session.add(row)
    session.flush()
    audit.record(session, user, "create", ENTITY, row.id, _audited(fields))
    return row


def replace_rule(session: Session, row: SearchRule, data: RuleIn, user: User | None) -> SearchRule:
    """Check *data*, replace *row*'s content with it and move its version on."""
    check_rule(session, data)
    fields = _fields(data)
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    audit.record(session, user, "update", ENTITY, row.id, _audited(fields))
    return row


def remove_rule(session: Session, row: SearchRule, user: User | None) -> None:
    """Delete *row* (the audit log keeps the change)."""
    audit.record(session, user, "delete", ENTITY, row.id, {"query": row.query, "category": row.category})
    session.delete(row)


def _stamp(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def rule_json(row: SearchRule, now: dt.datetime) -> dict[str, t.Any]:
    """The API shape of *row*; ``active`` says whether its window holds *now*."""
    boosts = row.boosts or {}
    return {
        "id": row.id,
        "query": row.query,
        "category": row.category,
        "pins": [dict(pin) for pin in row.pins],
        "hides": list(row.hides),
        "boosts": {name: list(boosts.get(name, [])) for name in ("countries", "categories", "booths")},
        "starts_at": _stamp(row.starts_at),
        "ends_at": _stamp(row.ends_at),
        "note": row.note,
        "active": window_holds(row.starts_at, row.ends_at, now),
        "version": row.version,
        "updated_at": row.updated_at.isoformat(),
    }
