"""Validating plain data against a schema, every problem named by its field (no request involved)."""

from __future__ import annotations

import typing as t

import pydantic
from flask_babel import gettext

from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid

M = t.TypeVar("M", bound=pydantic.BaseModel)


def parse_model(model: type[M], data: t.Any) -> M:
    """Validate *data* against *model*, turning every problem into a 422 naming its field."""
    try:
        parsed = model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise invalid(validation_errors(exc)) from exc
    check = getattr(parsed, "field_errors", None)
    errors: list[FieldError] = check() if check else []
    if errors:
        raise invalid(errors)
    return parsed


def invalid(errors: list[FieldError]) -> Invalid:
    """A 422 listing *errors*."""
    return Invalid.fields(errors)


def validation_errors(exc: pydantic.ValidationError) -> list[FieldError]:
    """Pydantic's errors as ``{"field": "price.amount", "message": ...}`` entries."""
    out: list[FieldError] = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(part) for part in err["loc"]) or "body"
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = gettext("Unknown field; remove it.")
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        out.append({"field": field, "message": message})
    return out
