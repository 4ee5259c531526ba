"""A UTF-8 JSON provider on orjson: no ``\\u`` escapes for Cyrillic or Chinese, and fast."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

import orjson
from flask.json.provider import JSONProvider


def _default(value: t.Any) -> t.Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


class OrjsonProvider(JSONProvider):
    """Serialise with orjson; decimals become strings, never floats."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        return orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS).decode()

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return orjson.loads(s)

    def response(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_default, option=orjson.OPT_NON_STR_KEYS)
        return self._app.response_class(body, mimetype="application/json")  # type: ignore[arg-type]
