"""A typo's forms looked up once by the term suggester, against real nodes (:mod:`search.dsl_typos`)."""

from __future__ import annotations

import json
import re
import typing as t

import pytest

from search import SearchQuery
from search.analysis import analyze_query
from search.dsl import EVERY_GROUP
from search.dsl import exact_fields
from search.dsl_query import OTHER_READINGS
from search.dsl_query import correction_body
from search.dsl_typos import typo_match
from search.dsl_typos import typo_terms
from search.server_engine import ServerEngine
from tests.search.contract.catalog import CATALOG
from tests.search.contract.catalog import DARK_CHOCOLATE
from tests.search.engines.conftest import recorded_bodies

#: Misspelt words with one typo allowed and two (Russian, English, Kazakh in both scripts, Uzbek).
MISSPELT = (
    "шаколад",
    "чёрнвй",
    "chocolte",
    "казакстан",
    "qazaqstn",
    "pechenye",
    "шоколаддыы",
    "ультрапастеризованое",
)


def _rewritten_terms(engine: ServerEngine, field: str, query: dict[str, t.Any]) -> set[str]:
    """The terms of *field* the engine rewrites *query* into (its ``_validate`` explanation)."""
    answer = engine.backend.request(
        "POST", f"/{engine.alias}/_validate/query", {"query": query}, {"rewrite": "true"}
    )
    explanation = answer["explanations"][0]["explanation"]
    return set(re.findall(rf"\b{re.escape(field)}:([^\s()^~]+)", explanation))


def test_the_suggester_finds_the_terms_a_fuzzy_query_does(server_engine: ServerEngine) -> None:
    server_engine.index(CATALOG)
    words = [word for text in MISSPELT for word in analyze_query(text)]
    assert all(word.max_typos for word in words)
    terms = typo_terms(server_engine._search(correction_body(words)), words)
    fields = exact_fields(EVERY_GROUP)
    found = 0
    for word in words:
        fuzzy = typo_match(word, EVERY_GROUP, True)
        assert fuzzy is not None
        for field, looked_up in zip(fields, terms.by_word[word.text], strict=True):
            options = {
                key: value for key, value in fuzzy["multi_match"].items() if key not in ("fields", "operator")
            }
            rewritten = _rewritten_terms(server_engine, field, {"match": {field: options}})
            # the suggester also names the word's own term, which a fuzzy query lists only when indexed
            own = looked_up[0]
            assert set(looked_up) - {own} == rewritten - {own}, (word.text, field)
            found += len(rewritten - {own})
    assert found >= len(words)  # every misspelt word has a form in the catalog


@pytest.mark.parametrize(
    ("text", "corrected", "typo_forms"),
    [
        ("шаколад", "шоколад", True),
        ("ifrjkfl", None, True),  # "шаколад" typed on the English layout: nothing to correct
        ("ijrjkfl", None, False),  # "шоколад" typed on the English layout: found without typos
    ],
    ids=["typo", "typo-on-the-other-layout", "other-layout"],
)
def test_a_search_the_words_as_typed_do_not_answer_asks_their_typos_and_other_layouts_at_once(
    server_engine: ServerEngine,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    corrected: str | None,
    typo_forms: bool,
) -> None:
    server_engine.index(CATALOG)
    bodies = recorded_bodies(server_engine, monkeypatch)
    result = server_engine.search(SearchQuery(text=text, locales=("ru",)))
    assert DARK_CHOCOLATE in [hit.id for hit in result.hits]
    assert result.corrected_query == corrected
    # as typed (nothing); the words' counts, corrections and typo forms, and what the other
    # layouts' readings find without typos; then with typos, or on the other layout
    assert len(bodies) == 3 + (not typo_forms)  # found without typos: a hit's description marked later
    assert "suggest" in bodies[1] and OTHER_READINGS in bodies[1]["aggs"]
    assert ('"terms": {"all_exact"' in json.dumps(bodies[2])) == typo_forms
    assert not any("fuzziness" in json.dumps(body) for body in bodies)
