"""Source hashes and translation states."""

from __future__ import annotations

import pytest

from translations.workflow import STATE_PRIORITY
from translations.workflow import ListingStatus
from translations.workflow import ListingText
from translations.workflow import field_source_hash
from translations.workflow import field_state
from translations.workflow import listing_status
from translations.workflow import needs_work
from translations.workflow import overall_state
from translations.workflow import source_hashes
from translations.workflow import text_hash

SOURCE = ListingText("哈萨克斯坦面粉", "优质小麦粉，25公斤装。", ("高筋", "无添加"))
KK = ListingText("Қазақстан ұны", "Жоғары сортты бидай ұны, 25 кг.", ("Күшті", "Қоспасыз"))


def test_hashes_are_stable_and_short() -> None:
    assert text_hash("哈萨克斯坦面粉") == text_hash("哈萨克斯坦面粉")
    assert len(text_hash("x")) == 16
    assert text_hash("мука") != text_hash("Мука")
    # Same text in decomposed and composed Unicode is the same source.
    assert text_hash("й") == text_hash("и\u0306")


def test_hash_of_a_list_depends_on_items_and_order() -> None:
    assert field_source_hash(["a", "b"]) != field_source_hash(["b", "a"])
    assert field_source_hash(["a,b"]) != field_source_hash(["a", "b"])
    assert field_source_hash(("a", "b")) == field_source_hash(["a", "b"])


def test_source_hashes_cover_every_field() -> None:
    hashes = source_hashes(SOURCE)
    assert set(hashes) == {"name", "description", "highlights"}
    assert hashes["name"] == text_hash(SOURCE.name)
    changed = source_hashes(ListingText(SOURCE.name, "新描述", SOURCE.highlights))
    assert changed["name"] == hashes["name"]
    assert changed["description"] != hashes["description"]


@pytest.mark.parametrize(
    ("translated", "recorded", "reviewed", "expected"),
    [
        (None, None, False, "missing"),
        ("", None, False, "missing"),
        ("   ", None, True, "missing"),
        ("Қазақстан ұны", text_hash("哈萨克斯坦面粉"), False, "draft"),
        ("Қазақстан ұны", text_hash("哈萨克斯坦面粉"), True, "reviewed"),
        ("Қазақстан ұны", text_hash("哈萨克斯坦小麦粉"), True, "stale"),
        ("Қазақстан ұны", None, False, "stale"),
    ],
)
def test_field_states(translated: str | None, recorded: str | None, reviewed: bool, expected: str) -> None:
    assert field_state("哈萨克斯坦面粉", translated, recorded, reviewed) == expected


def test_a_field_with_an_empty_source_has_no_state() -> None:
    assert field_state("", "x", None, False) is None
    assert field_state((), ("x",), None, False) is None
    assert field_state(("", " "), (), None, False) is None


def test_listing_status_per_field_and_overall() -> None:
    hashes = source_hashes(SOURCE)
    assert listing_status(SOURCE, KK, hashes, reviewed=True) == ListingStatus(
        "reviewed", {"name": "reviewed", "description": "reviewed", "highlights": "reviewed"}
    )
    edited = ListingText(SOURCE.name, "优质小麦粉，10公斤装。", SOURCE.highlights)
    status = listing_status(edited, KK, hashes, reviewed=True)
    assert status.state == "stale"
    assert status.fields == {"name": "reviewed", "description": "stale", "highlights": "reviewed"}


def test_partly_translated_listing_is_missing_and_untranslated_is_missing() -> None:
    hashes = source_hashes(SOURCE)
    partial = ListingText(KK.name)
    status = listing_status(SOURCE, partial, {"name": hashes["name"]})
    assert status.state == "missing"
    assert status.fields["name"] == "draft"
    assert listing_status(SOURCE, None, {}).state == "missing"


def test_short_source_leaves_out_empty_fields() -> None:
    short = ListingText("茶")
    status = listing_status(short, ListingText("Шай"), source_hashes(short))
    assert status == ListingStatus("draft", {"name": "draft"})


def test_queue_order_puts_stale_and_missing_first() -> None:
    states = ["reviewed", "draft", "missing", "stale"]
    assert sorted(states, key=STATE_PRIORITY.__getitem__) == ["stale", "missing", "draft", "reviewed"]
    assert overall_state(["draft", "missing"]) == "missing"
    assert overall_state([]) == "reviewed"
    assert [needs_work(s) for s in ("stale", "missing", "draft", "reviewed")] == [True, True, True, False]


def test_unknown_field_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown field 'title'; use one of: name, description, highlights"):
        SOURCE.field_value("title")
