"""Request bodies the catalog tests share."""

from __future__ import annotations

import copy
import typing as t

FLOUR: dict[str, t.Any] = {
    "sku": "KZ-FLOUR-001",
    "source_locale": "zh",
    "content": {
        "zh": {
            "name": "哈萨克斯坦面粉",
            "description": "高筋小麦粉，适合做面包。",
            "highlights": ["一级面粉"],
        },
        "ru": {"name": "Мука пшеничная высший сорт", "description": "Казахстанская мука.", "highlights": []},
    },
    "origin_country": "KZ",
    "category": "food.flour",
    "booth": "kazakhstan",
    "price": {"amount": "25.00", "currency": "CNY"},
    "wholesale": [{"min_qty": 20, "amount": "21.00"}],
    "stock": 340,
    "barcode": "4870001234560",
    "status": "published",
    "tags": ["belt-and-road"],
}


def product(**changes: t.Any) -> dict[str, t.Any]:
    """A valid product body with *changes* applied (``None`` removes a field)."""
    body = copy.deepcopy(FLOUR)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body
