"""The Elasticsearch/OpenSearch request builders and response readers, without a server."""

from __future__ import annotations

import dataclasses
import json
import math
from decimal import Decimal
from typing import Any

import pytest

from search import LOCALES
from search import FacetValue
from search import SearchQuery
from search.analysis import analyze_query
from search.analysis import fold_key
from search.dsl import LOCALE_ANALYZERS
from search.dsl import apostrophe_fold_mappings
from search.dsl import document_source
from search.dsl import index_body
from search.dsl import index_mappings
from search.dsl import kazakh_fold_mappings
from search.dsl import suggest_inputs
from search.dsl import uzbek_fold_mappings
from search.dsl_query import RESCORE_WINDOW
from search.dsl_query import facet_aggregations
from search.dsl_query import later_highlight_body
from search.dsl_query import ranked_word_clause
from search.dsl_query import search_body
from search.dsl_query import suggest_body
from search.dsl_query import word_clause
from search.dsl_results import best_highlight
from search.dsl_results import name_matches
from search.dsl_results import result_from
from search.dsl_results import suggestions_from
from search.query_rules import DERIVED_FROM
from search.ranking import SKU_SCORE
from tests.search.contract.catalog import FLOUR
from tests.search.contract.catalog import KAZY
from tests.search.contract.catalog import MILK_CHOCOLATE
from tests.search.contract.catalog import by_id


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every JSON object inside *node*."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def _fold(text: str) -> str:
    """Apply the Kazakh char filter rules, then lowercase, as the engines do."""
    rules = dict(rule.split(" => ", 1) for rule in kazakh_fold_mappings())
    return "".join(rules.get(char, char) for char in text).lower()


# -- index layout ---------------------------------------------------------------------------


def test_kazakh_mapping_folds_every_script_to_one_spelling() -> None:
    assert _fold("Қазақстан") == _fold("Qazaqstan") == _fold("Kazakstan") == "kazakstan"
    assert _fold("Шұжық") == _fold("Şūjyq") == _fold("Shujyq") == "shujyk"
    assert _fold("Ұн") == _fold("Ūn") == "un"
    assert _fold("Әже Ä") == "aje a"


def test_kazakh_mapping_leaves_plain_latin_alone_except_q() -> None:
    sources = {rule.split(" => ")[0] for rule in kazakh_fold_mappings()}
    assert {source for source in sources if source.isascii()} == {"q", "Q"}
    for letter in "әғқңөұүһі":
        assert letter in sources and letter.upper() in sources


def test_each_locale_has_its_analyzer_and_exact_words_go_to_one_field_per_group() -> None:
    properties = index_mappings()["properties"]
    analyzers = {locale: properties[f"name_{locale}"]["analyzer"] for locale in ("zh", "ru", "kk", "en")}
    assert analyzers == {"zh": "cjk", "ru": "russian", "kk": "kazakh", "en": "english"}
    assert properties["description_exact"]["analyzer"] == "standard"
    assert properties["description_ru"]["copy_to"] == ["description_exact", "all_exact", "all_ru"]
    assert properties["name_kk"]["copy_to"] == ["name_exact", "all_exact", "all_kk"]
    assert properties["name_zh"]["copy_to"] == ["all_zh"]  # Chinese is matched by its bigrams
    assert properties["highlights_zh"]["fields"]["chars"]["analyzer"] == "standard"
    assert properties["all_zh"]["fields"]["chars"]["analyzer"] == "standard"
    assert properties["keys_labels"]["copy_to"] == ["keys_all"]
    assert index_mappings()["dynamic"] == "strict"
    assert "texts" not in properties  # names come from the name fields: the source holds no copy


def test_per_group_fields_only_match_and_the_every_group_fields_score() -> None:
    properties = index_mappings()["properties"]
    assert (properties["description_ru"]["norms"], properties["description_ru"]["index_options"]) == (
        False,
        "docs",
    )
    assert "norms" not in properties["all_ru"] and properties["all_ru"]["index_options"] == "freqs"
    prefixes = {
        name: field["index_prefixes"] for name, field in properties.items() if "index_prefixes" in field
    }
    type_ahead = {"min_chars": 1, "max_chars": 5}
    stems = {"min_chars": DERIVED_FROM, "max_chars": 19}  # a stem finds the name words it begins
    assert prefixes == {
        "name_exact": type_ahead,
        "name_kk": type_ahead,
        "keys_name": type_ahead,
        "name_uz": {"min_chars": 1, "max_chars": 19},  # both
        "name_ru": stems,
        "name_en": stems,
        "labels_ru": stems,
        "labels_en": stems,
        "labels_uz": stems,
    }
    facets = {name for name, field in properties.items() if field.get("eager_global_ordinals")}
    assert facets == {"origin_country", "category", "booth"}
    assert "keys_*" in index_mappings()["_source"]["excludes"]


def test_uzbek_fields_fold_apostrophes_and_cyrillic_on_the_server_too() -> None:
    properties = index_mappings()["properties"]
    assert properties["name_uz"]["analyzer"] == "uzbek"
    assert "copy_to" not in properties["name_uz"] or "name_exact" not in properties["name_uz"]["copy_to"]
    analysis = index_body()["settings"]["analysis"]
    assert analysis["analyzer"]["uzbek"]["char_filter"] == ["apostrophe_fold", "uzbek_fold"]
    dropped = {rule.split(" => ")[0] for rule in apostrophe_fold_mappings()}
    assert dropped == {"\\u0027", "\\u2018", "\\u2019", "\\u02bb", "\\u02bc", "\\u0060"}
    assert all(rule.endswith(" => ") for rule in apostrophe_fold_mappings())
    folds = dict(rule.split(" => ") for rule in uzbek_fold_mappings())
    assert (folds["ў"], folds["Ғ"], folds["ш"], folds["қ"]) == ("o", "g", "sh", "q")


def test_every_locale_analyzer_is_built_in_or_defined() -> None:
    defined = set(index_body()["settings"]["analysis"]["analyzer"])
    for locale, analyzer in LOCALE_ANALYZERS.items():
        assert analyzer in defined | {"cjk", "russian", "english"}, locale


def test_index_body_settings() -> None:
    settings = index_body(shards=2, replicas=1, refresh_interval="-1")["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (2, 1)
    assert settings["refresh_interval"] == "-1"
    kazakh = settings["analysis"]["analyzer"]["kazakh"]
    assert kazakh == {
        "type": "custom",
        "tokenizer": "standard",
        "char_filter": ["kazakh_fold"],
        "filter": ["lowercase"],
    }


def test_document_source_carries_filters_keys_and_texts() -> None:
    flour = by_id(FLOUR)
    source = document_source(flour)
    assert source["category_path"] == ["food", "food.flour"]
    assert source["sku_key"] == "KZ-FLOUR-0001" and source["barcode_key"] == "4870001234567"
    assert source["price"] == "25.00" and source["price_cny"] == 25.0
    assert source["name_ru"] == "Мука пшеничная высшего сорта, 2 кг"
    assert source["highlights_ru"] == "Для хлеба и выпечки"
    assert "Tsesna" in source["description_en"]  # the brand is searchable
    keys = source["keys_name"].split()
    assert fold_key("мука") in keys and fold_key("ұн") in keys
    assert source["name_kk"] == "Ұн, бидай, жоғары сорт, 2 кг"
    assert "texts" not in source
    assert "name_xx" not in source and set(source) <= set(index_mappings()["properties"])


def test_missing_locales_are_left_out() -> None:
    source = document_source(dataclasses.replace(by_id(KAZY), texts={"kk": by_id(KAZY).texts["kk"]}))
    assert "name_kk" in source and "name_ru" not in source and "name_zh" not in source


def test_suggest_inputs_are_every_whole_name_weighted_by_popularity() -> None:
    (inputs,) = suggest_inputs(by_id(MILK_CHOCOLATE))
    assert inputs["weight"] == 55
    assert "Шоколад молочный «Казахстан»" in inputs["input"]
    assert "молочный «Казахстан»" not in inputs["input"]  # later words: found by the suggest query
    names = [text.name for text in by_id(MILK_CHOCOLATE).texts.values()]
    assert sorted(inputs["input"]) == sorted(set(names))


def test_the_fields_marked_at_once_keep_offsets_for_the_highlighter() -> None:
    properties = index_mappings()["properties"]
    with_offsets = {name for name, field in properties.items() if field.get("index_options") == "offsets"}
    assert with_offsets == {f"{group}_{locale}" for group in ("name", "highlights") for locale in LOCALES}
    assert all(properties[name]["norms"] is False for name in with_offsets)


def test_only_the_names_exact_words_keep_their_positions() -> None:
    properties = index_mappings()["properties"]
    assert {name for name, field in properties.items() if field.get("index_options") == "positions"} == {
        "name_exact"
    }


# -- queries --------------------------------------------------------------------------------


def _first_pass(body: dict[str, Any]) -> dict[str, Any]:
    """The text clause of a search body's first pass."""
    clause: dict[str, Any] = body["query"]["bool"]["must"][0]["function_score"]["query"]
    return clause


def _scoring(node: Any) -> Any:
    """*node* without its ``filter`` clauses (what scores, not what only decides a match)."""
    if isinstance(node, dict):
        return {key: _scoring(value) for key, value in node.items() if key != "filter"}
    if isinstance(node, list):
        return [_scoring(value) for value in node]
    return node


def _ranked(body: dict[str, Any]) -> dict[str, Any]:
    """The text clause of a search body's rescore (the ranking rules)."""
    clause: dict[str, Any] = body["rescore"]["query"]["rescore_query"]["function_score"]["query"]
    return clause


def _fuzziness(clause: dict[str, Any]) -> set[int]:
    return {
        node[kind].get("fuzziness") if kind == "multi_match" else next(iter(node[kind].values()))["fuzziness"]
        for node in _walk(clause)
        for kind in ("multi_match", "fuzzy")
        if kind in node and (kind == "fuzzy" or "fuzziness" in node[kind])
    }


@pytest.mark.parametrize(("word", "typos"), [("мука", set()), ("пшеница", {1}), ("ультрапастер", {2})])
def test_typo_budget_follows_word_length(word: str, typos: set[int]) -> None:
    clause = word_clause(analyze_query(word)[0])
    typed = {
        node["multi_match"]["fuzziness"]
        for node in _walk(clause)
        if "fuzziness" in node.get("multi_match", {})
    }
    assert typed == typos
    # a transliteration key gets the budget of its own length, never more than the word's
    assert all(budget <= max(typos) for budget in _fuzziness(clause))


def test_a_key_shorter_than_five_letters_gets_no_typo() -> None:
    # "zzzzqqq" has seven letters but folds to the key "zk"
    assert _fuzziness(word_clause(analyze_query("zzzzqqq")[0])) == {1}
    fuzzy_keys = [
        node["fuzzy"] for node in _walk(word_clause(analyze_query("zzzzqqq")[0])) if "fuzzy" in node
    ]
    assert fuzzy_keys == []


def test_words_must_all_match_and_latin_words_also_read_as_russian() -> None:
    body = search_body(SearchQuery(text="muka premium"))
    for clause in (_first_pass(body), _ranked(body)):
        must = clause["bool"]["should"][1]["bool"]["must"]
        assert len(must) == 2
        queries = [node["query"] for node in _walk(must) if isinstance(node.get("query"), str)]
        assert "мука" in queries


def test_chinese_words_use_bigrams_and_single_characters_use_the_chars_field() -> None:
    bigrams = _walk(ranked_word_clause(analyze_query("面粉")[0]))
    assert {"query": "面粉", "operator": "and"} in [node.get("name_zh") for node in bigrams]
    single = _walk(ranked_word_clause(analyze_query("茶")[0]))
    assert any("name_zh.chars" in node for node in single)
    first = _walk(word_clause(analyze_query("面粉")[0]))
    assert {"query": "面粉", "operator": "and", "boost": 3.0} in [node.get("all_zh") for node in first]


def test_code_like_text_matches_sku_and_barcode_first() -> None:
    should = _ranked(search_body(SearchQuery(text="kz-flour-0001")))["bool"]["should"]
    codes = should[0]["constant_score"]
    assert codes["boost"] == SKU_SCORE
    assert {"term": {"sku_key": "KZ-FLOUR-0001"}} in codes["filter"]["bool"]["should"]


def test_wrong_keyboard_layout_is_tried_too() -> None:
    body = search_body(SearchQuery(text="vjkjrj"))
    for clause in (_first_pass(body), _ranked(body)):
        assert any("молоко" in str(option) for option in clause["bool"]["should"])


def test_the_first_pass_picks_candidates_and_the_rescore_ranks_them() -> None:
    body = search_body(SearchQuery(text="шоколад", offset=380, limit=40))
    assert "sort" not in body  # a rescore orders by its score alone
    assert body["track_total_hits"] == 10_000
    rescore = body["rescore"]
    assert rescore["window_size"] == 420  # the page reaches beyond the usual window
    assert search_body(SearchQuery(text="шоколад"))["rescore"]["window_size"] == RESCORE_WINDOW
    assert (rescore["query"]["query_weight"], rescore["query"]["score_mode"]) == (0.0, "total")
    ranked = rescore["query"]["rescore_query"]
    popularity = ranked["function_score"]["functions"][0]
    assert popularity["field_value_factor"]["modifier"] == "ln1p"
    # popularity never lifts a product over the next match level (a step of 1)
    assert popularity["weight"] * math.log1p(10**8) < 1
    ranked_fields = {
        field for node in _walk(_ranked(body)) for field in node.get("multi_match", {}).get("fields", [])
    }
    first_fields = {
        field
        for node in _walk(_scoring(_first_pass(body)))
        for field in node.get("multi_match", {}).get("fields", [])
    }
    # the first pass scores on the every-group fields; which groups find a product is a filter
    assert first_fields == {"all_exact", "all_kk", "all_uz", "all_ru", "all_en"}
    assert {"name_exact", "labels_exact", "highlights_exact", "description_exact"} <= ranked_fields


def test_other_orders_match_in_filter_context_without_scoring() -> None:
    body = search_body(SearchQuery(text="шоколад", sort="price_asc"))
    assert "rescore" not in body and "must" not in body["query"]["bool"]
    assert body["sort"] == [{"price_cny": "asc"}, {"id": "asc"}]
    assert "шоколад" in str(body["query"]["bool"]["filter"][0])


def test_empty_text_matches_everything_by_popularity() -> None:
    body = search_body(SearchQuery())
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"][:2] == [{"_score": "desc"}, {"popularity": "desc"}]
    assert "post_filter" not in body


def test_facets_are_disjunctive() -> None:
    query = SearchQuery(
        origin_countries=("kz", "RU"),
        categories=("food",),
        facets=("origin_country", "category", "booth"),
        price_max_cny=Decimal("30"),
    )
    body = search_body(query)
    country = {"terms": {"origin_country": ["KZ", "RU"]}}
    category = {"terms": {"category_path": ["food"]}}
    assert body["post_filter"] == {"bool": {"filter": [category, country]}}
    assert body["query"]["bool"]["filter"] == [{"range": {"price_cny": {"lte": 30.0}}}]
    aggregations = facet_aggregations(query)
    assert aggregations["origin_country"]["filter"] == {"bool": {"filter": [category]}}
    assert aggregations["category"]["filter"] == {"bool": {"filter": [country]}}
    assert aggregations["booth"]["filter"] == {"bool": {"filter": [category, country]}}
    terms = aggregations["booth"]["aggs"]["values"]["terms"]
    assert terms["order"] == [{"_count": "desc"}, {"_key": "asc"}]


def test_a_facet_no_other_facet_restricts_is_counted_at_the_top_level() -> None:
    query = SearchQuery(
        text="чай", origin_countries=("kz",), facets=("origin_country", "category", "tax_refund")
    )
    aggregations = facet_aggregations(query)
    assert set(aggregations["origin_country"]) == {"terms"}  # its own filter is left out: none is left
    assert aggregations["origin_country"]["terms"]["field"] == "origin_country"
    assert set(aggregations["tax_refund"]) == {"filter", "aggs"}  # the country filter restricts it
    assert aggregations["tax_refund"]["filter"] == {
        "bool": {"filter": [{"terms": {"origin_country": ["KZ"]}}]}
    }


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("price_asc", {"price_cny": "asc"}),
        ("price_desc", {"price_cny": "desc"}),
        ("newest", {"created_at": "desc"}),
    ],
)
def test_sorts(sort: str, first: dict[str, str]) -> None:
    body = search_body(SearchQuery(sort=sort, limit=5, offset=10))
    assert body["sort"][0] == first
    assert (body["from"], body["size"]) == (10, 5)


def test_highlights_are_marked_and_html_escaped() -> None:
    highlight = search_body(SearchQuery(text="пшеница"))["highlight"]
    assert (highlight["encoder"], highlight["pre_tags"], highlight["post_tags"]) == (
        "html",
        ["<mark>"],
        ["</mark>"],
    )
    assert highlight["fields"]["name_ru"]["number_of_fragments"] == 0
    # highlighting fuzzy queries over every field is slow: highlights use the query without them
    assert _fuzziness(search_body(SearchQuery(text="пшеница"))["query"]) == {1}
    assert all(_fuzziness(field["highlight_query"]) == set() for field in highlight["fields"].values())


def test_each_highlighted_field_gets_only_the_matches_that_look_at_it() -> None:
    fields = search_body(SearchQuery(text="пшеница"))["highlight"]["fields"]
    # a Cyrillic word: its stem in the Russian and English texts, its exact form in the folded ones
    assert {"name_ru", "name_en", "name_kk", "name_uz", "description_ru"} <= set(fields)
    assert not {"name_zh", "name_zh.chars", "highlights_zh"} & set(fields)
    looked_at = json.dumps(fields["name_ru"]["highlight_query"])
    assert "name_ru" in looked_at and "name_en" not in looked_at and "name_exact" not in looked_at


def test_a_body_is_not_changed_by_the_bodies_built_after_it_from_the_same_words() -> None:
    """A word's clauses are built once and shared between bodies: building more never alters them."""
    query = SearchQuery(text="пшеница облепиховый мёд", facets=("origin_country",))
    first = search_body(query, typos=False)
    before = json.dumps(first, sort_keys=True)
    search_body(query, typos=True)
    search_body(SearchQuery(text="мёд пшеница", origin_countries=("KZ",), facets=("category",)))
    later_highlight_body(query, [1, 2], None, typos=False)
    assert json.dumps(first, sort_keys=True) == before
    assert json.dumps(search_body(query, typos=False), sort_keys=True) == before


def test_a_code_alone_marks_nothing() -> None:
    assert "highlight" not in search_body(SearchQuery(text="4870001234567"), code_only=True)


def test_suggest_body_completes_and_matches_words_in_any_order() -> None:
    body = suggest_body("пшеничная му", 5)
    assert body["suggest"]["names"]["completion"]["field"] == "suggest"
    assert body["suggest"]["names"]["prefix"] == "пшеничная му"
    assert body["track_total_hits"] is False  # the most popular names, without counting every match
    should = body["query"]["bool"]["should"]
    assert should[0]["multi_match"]["type"] == "bool_prefix"
    assert should[1]["match_bool_prefix"]["keys_name"]["query"] == "pshenichnaia mu"
    in_a_row = body["aggs"]["in_a_row"]
    assert in_a_row["filter"] == {"match_phrase_prefix": {"name_exact": "пшеничная му"}}
    assert in_a_row["aggs"]["names"]["top_hits"]["size"] == 20


@pytest.mark.parametrize(
    ("typed", "in_a_row"),
    [("му", False), ("мука п", True), ("橄榄油", False), ("橄榄油 2", False), ("Arra 2", True)],
)
def test_names_holding_the_typed_words_in_a_row_are_asked_for_from_two_words_on(
    typed: str, in_a_row: bool
) -> None:
    assert ("aggs" in suggest_body(typed, 5)) is in_a_row


# -- responses ------------------------------------------------------------------------------


def _raw_hit(doc_id: int, highlight: dict[str, list[str]] | None = None) -> dict[str, Any]:
    source = document_source(by_id(doc_id))
    return {"_score": 12.0, "_source": source, "highlight": highlight or {}}


def test_result_from_a_response() -> None:
    response = {
        "hits": {
            "total": {"value": 7, "relation": "eq"},
            "hits": [_raw_hit(FLOUR, {"name_kk": ["<mark>Ұн</mark>, бидай"]}), _raw_hit(KAZY)],
        },
        "aggregations": {
            "origin_country": {"doc_count": 7, "values": {"buckets": [{"key": "KZ", "doc_count": 7}]}}
        },
    }
    result = result_from(response, SearchQuery(text="ұн", locales=("kk", "ru"), facets=("origin_country",)))
    assert result.total == 7
    assert result.facets == {"origin_country": (FacetValue("KZ", 7),)}
    flour, kazy = result.hits
    assert (flour.id, flour.name, flour.locale, flour.score) == (
        FLOUR,
        "Ұн, бидай, жоғары сорт, 2 кг",
        "kk",
        12.0,
    )
    assert flour.highlight == "<mark>Ұн</mark>, бидай"
    assert flour.price == Decimal("25.00") and flour.currency == "CNY"
    assert kazy.highlight == "Қазы"  # nothing marked: the escaped name


def test_highlight_prefers_the_name_then_a_highlight_line_then_escapes_the_name() -> None:
    names = {"ru": "Мука <высшая>", "en": "Flour"}
    fragments = {"highlights_ru": ["Для хлеба\nДля <mark>выпечки</mark>"]}
    assert best_highlight(fragments, names, ("ru",), "Мука <высшая>") == "Для <mark>выпечки</mark>"
    fragments["name_en"] = ["<mark>Flour</mark>"]
    assert best_highlight(fragments, names, ("ru",), "Мука <высшая>") == "<mark>Flour</mark>"
    assert best_highlight({}, names, ("ru",), "Мука <высшая>") == "Мука &lt;высшая&gt;"


def test_name_matches_every_typed_word_by_prefix_in_any_script() -> None:
    assert name_matches("Мука пшеничная высшего сорта", "пшеничная му")
    assert name_matches("Мука пшеничная", "mu")
    assert name_matches("哈萨克斯坦面粉", "面粉")
    assert not name_matches("Мука пшеничная", "мука рж")


def test_suggestions_prefer_the_reader_locale_and_names_starting_with_the_text() -> None:
    response = {
        "suggest": {
            "names": [
                {
                    "options": [
                        {"text": "Milk chocolate Kazakhstan", "_source": _raw_hit(MILK_CHOCOLATE)["_source"]}
                    ]
                }
            ]
        },
        "hits": {"hits": [_raw_hit(FLOUR), _raw_hit(MILK_CHOCOLATE)]},
    }
    suggestions = suggestions_from(response, "ka", ("en",), 5)
    assert [(s.text, s.product_id) for s in suggestions] == [
        ("Kazakhstan wheat flour, premium grade, 2 kg", FLOUR),
        ("Milk chocolate Kazakhstan", MILK_CHOCOLATE),
    ]
    assert len(suggestions_from(response, "ka", ("en",), 1)) == 1
