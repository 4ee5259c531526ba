"""Whether a draft fits the on-air card, through HTTP: the answer, the preview, and bad input."""

from __future__ import annotations

import io
import typing as t

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from PIL import Image

from catalog.services.translating_fit import Draft
from catalog.services.translating_fit import draft_fit
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens

LONG_NAME = (
    "Шығыс Қазақстан облысының таулы аймақтарында жиналған табиғи таза ақ бал,"
    " шыны құмырада, жеті жүз елу грамм"
)
LONG_HIGHLIGHT = "Алтайдың биік таулы жайылымдарындағы жабайы гүлдерден жиналған " * 3


def _fit(client: FlaskClient, tokens: Tokens, product_id: int, body: t.Any, **kwargs: t.Any) -> t.Any:
    url = f"/api/v1/products/{product_id}/content/kk/fit"
    return client.post(url, json=body, headers=tokens.headers("translator_kk"), **kwargs)


def _fields(body: dict[str, t.Any]) -> dict[str, tuple[bool, list[str]]]:
    return {field["field"]: (field["fits"], field["cut_in"]) for field in body["fields"]}


def test_a_short_draft_fits_every_layout(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens)["id"]
    response = _fit(client, tokens, product_id, {"name": "Тау балы 500 г", "highlights": ["Қантсыз"]})
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["product_id"], body["locale"], body["fits"]) == (product_id, "kk", True)
    assert _fields(body) == {"name": (True, []), "highlights": (True, [])}
    assert body["layouts"] == [{"layout": "portrait", "cut": []}, {"layout": "landscape", "cut": []}]
    assert body["warnings"] == []


def test_a_long_kazakh_name_and_long_highlights_are_cut_short_with_a_warning_each(
    client: FlaskClient, tokens: Tokens
) -> None:
    product_id = create(client, tokens)["id"]
    long_name = _fit(client, tokens, product_id, {"name": LONG_NAME, "highlights": []})
    assert long_name.status_code == 200, long_name.json
    assert long_name.json["fits"] is False
    assert _fields(long_name.json) == {"name": (False, ["portrait", "landscape"]), "highlights": (True, [])}
    assert [(w["field"], w["layout"]) for w in long_name.json["warnings"]] == [
        ("name", "portrait"),
        ("name", "landscape"),
    ]
    assert "cut short on the portrait card" in long_name.json["warnings"][0]["message"]

    highlights = [LONG_HIGHLIGHT, LONG_HIGHLIGHT, LONG_HIGHLIGHT]
    cut = _fit(client, tokens, product_id, {"name": "Тау балы", "highlights": highlights})
    assert cut.status_code == 200, cut.json
    fields = _fields(cut.json)
    assert fields["name"] == (True, [])
    assert fields["highlights"][0] is False and "portrait" in fields["highlights"][1]


def test_the_preview_is_the_card_that_card_png_draws_once_the_draft_is_saved(
    client: FlaskClient, tokens: Tokens
) -> None:
    product_id = create(client, tokens)["id"]
    draft = {"name": LONG_NAME, "highlights": ["Қантсыз", "Таза"]}
    url = f"/api/v1/products/{product_id}/content/kk/fit.png?layout=landscape"
    preview = client.post(url, json=draft, headers=tokens.headers("translator_kk"))
    assert preview.status_code == 200, preview.get_data(as_text=True)[:300]
    assert preview.mimetype == "image/png"
    assert Image.open(io.BytesIO(preview.data)).size == (1920, 1080)
    short = client.post(url, json={"name": "Бал"}, headers=tokens.headers("translator_kk"))
    assert short.data != preview.data

    saved = put_text(
        client, tokens, product_id, name=LONG_NAME, description="", highlights=draft["highlights"]
    )
    assert saved.status_code == 200, saved.json
    card = client.get(f"/api/v1/products/{product_id}/card.png?locale=kk&currency=CNY&layout=landscape")
    assert card.status_code == 200
    assert card.data == preview.data


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/api/v1/products/999/content/kk/fit", {"name": "Бал"}, 404, None),
        ("/api/v1/products/{id}/content/xx/fit", {"name": "Бал"}, 422, "locale"),
        ("/api/v1/products/999/content/kk/fit.png", {"name": "Бал"}, 404, None),
        ("/api/v1/products/{id}/content/xx/fit.png", {"name": "Бал"}, 422, "locale"),
        ("/api/v1/products/{id}/content/kk/fit", {"name": "   "}, 422, "name"),
        ("/api/v1/products/{id}/content/kk/fit", {"name": "Бал\x07"}, 422, "name"),
        (
            "/api/v1/products/{id}/content/kk/fit",
            {"name": "Бал", "highlights": ["Бал"] * 21},
            422,
            "highlights",
        ),
        ("/api/v1/products/{id}/content/kk/fit", {"name": "Б" * 1001}, 422, "name"),
        ("/api/v1/products/{id}/content/kk/fit", {"name": "Бал", "colour": "red"}, 422, "colour"),
        ("/api/v1/products/{id}/content/kk/fit.png?layout=round", {"name": "Бал"}, 422, "layout"),
    ],
)
def test_bad_input_is_a_problem_naming_what_to_fix(
    client: FlaskClient, tokens: Tokens, path: str, body: dict[str, t.Any], status: int, field: str | None
) -> None:
    product_id = create(client, tokens)["id"]
    response = client.post(path.format(id=product_id), json=body, headers=tokens.headers("translator_kk"))
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if field is not None:
        assert any(error["field"].startswith(field) for error in response.json["errors"]), response.json


def test_the_draft_is_sent_as_json_by_a_signed_in_user(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens)["id"]
    url = f"/api/v1/products/{product_id}/content/kk/fit"
    as_form = client.post(url, data={"name": "Бал"}, headers=tokens.headers("translator_kk"))
    assert as_form.status_code == 415
    anonymous = client.post(url, json={"name": "Бал"})
    assert anonymous.status_code == 401


ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        st.sampled_from(list("«»「」()Ққ әі \u200f\u202e\u0301\u200d🍯🇰🇿哈萨克")),
    ),
    min_size=1,
    max_size=120,
).filter(str.strip)


@settings(max_examples=40, deadline=None)
@given(name=ODD_TEXT, highlights=st.lists(ODD_TEXT, max_size=4))
def test_the_fit_of_odd_text_is_answered_never_raised(name: str, highlights: list[str]) -> None:
    fit = draft_fit(Draft(name, tuple(highlights)))
    assert set(fit.cut) == {"portrait", "landscape"}
    assert all(set(parts) <= {"name", "highlights"} for parts in fit.cut.values())
    assert fit.fits == (not any(fit.cut.values()))


def test_emoji_direction_marks_and_a_very_long_word_are_answered(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens)["id"]
    odd = {"name": "🍯\u200fمرحبا\u200e Бал\u0301 " + "қ" * 400, "highlights": ["\u202e" + "ә" * 300]}
    response = _fit(client, tokens, product_id, odd)
    assert response.status_code == 200, response.json
    assert response.json["fits"] is False
    assert _fields(response.json)["name"] == (False, ["portrait", "landscape"])
