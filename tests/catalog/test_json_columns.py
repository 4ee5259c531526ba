"""JSON columns: written as compact UTF-8, read back whatever wrote them, refused when JSON cannot hold a value."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
import sqlalchemy as sa

from catalog.db import json_text
from catalog.db import json_value
from catalog.db import make_engine
from catalog.models import Category

TAGS = ["中亚", "Мука", "o‘zbek"]


def test_a_json_column_holds_cyrillic_and_chinese_as_written(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(Category).values(path="food.test", names={"zh": TAGS[0], "ru": TAGS[1]}))
            stored = conn.execute(
                sa.text("SELECT CAST(names AS TEXT) FROM categories WHERE path = 'food.test'")
            ).scalar_one()
            names = conn.execute(sa.select(Category.names).where(Category.path == "food.test")).scalar_one()
    finally:
        engine.dispose()
    assert names == {"zh": TAGS[0], "ru": TAGS[1]}
    assert TAGS[0] in stored and TAGS[1] in stored and "\\u" not in stored


def test_text_an_earlier_release_wrote_still_reads() -> None:
    assert json_value(json.dumps(TAGS)) == TAGS  # \\u escapes and ", " separators
    assert math.isnan(json_value(json.dumps({"rate": float("nan")}))["rate"])
    assert json_value(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_keys_that_are_not_strings_are_written_as_strings() -> None:
    assert json_value(json_text({1: "one"})) == {"1": "one"}
    assert json_text(("a", "b")) == '["a","b"]'


@pytest.mark.parametrize("value", [Decimal("1.50"), {"a"}, object()])
def test_a_value_json_cannot_hold_is_refused(value: object) -> None:
    with pytest.raises(TypeError):
        json_text(value)
