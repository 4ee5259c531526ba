"""Connection settings of the server engines, from URLs and options (no server needed)."""

from __future__ import annotations

import pytest

from search import engine_from_url
from search.elastic import ElasticsearchEngine
from search.opensearch import OpenSearchEngine
from search.server_engine import DEFAULT_ALIAS
from search.server_options import parse_connection


def test_loopback_url_alone_is_enough() -> None:
    options = parse_connection("elasticsearch://127.0.0.1:9200", "elasticsearch")
    assert options.hosts == ("http://127.0.0.1:9200",)
    assert options.basic_auth is None
    assert (options.index, options.timeout, options.retries) == (DEFAULT_ALIAS, 10.0, 2)


def test_several_nodes_credentials_and_tls() -> None:
    options = parse_connection(
        "opensearch://reader:s%40cret@a.example:9200,b.example:9201/?timeout=5&retries=4",
        "opensearch",
        ca_file="/etc/ssl/search-ca.pem",
    )
    assert options.hosts == ("https://a.example:9200", "https://b.example:9201")
    assert options.basic_auth == ("reader", "s@cret")
    assert options.ca_file == "/etc/ssl/search-ca.pem"
    assert (options.timeout, options.retries) == (5.0, 4)


def test_keyword_options_win_over_the_url() -> None:
    options = parse_connection(
        "elasticsearch://u:p@host:9200/?index=from-url&use_ssl=true",
        "elasticsearch",
        username="other",
        index="products-b",
        replicas=1,
    )
    assert options.basic_auth == ("other", "p")
    assert options.index == "products-b"
    assert options.replicas == 1
    assert options.hosts == ("https://host:9200",)


def test_the_request_cache_is_on_unless_turned_off() -> None:
    assert parse_connection("elasticsearch://host:9200", "elasticsearch").request_cache is True
    off = parse_connection("opensearch://host:9200/?request_cache=false", "opensearch")
    assert off.request_cache is False
    assert parse_connection("opensearch://host:9200", "opensearch", request_cache="no").request_cache is False


def test_a_port_is_optional() -> None:
    assert parse_connection("elasticsearch://search", "elasticsearch").hosts == ("http://search:9200",)


@pytest.mark.parametrize(
    ("url", "options", "message"),
    [
        ("elasticsearch://", {}, "names no host"),
        ("elasticsearch://host:port", {}, "bad host 'host:port'"),
        ("elasticsearch://host:9200/?colour=red", {}, "unknown search URL parameter 'colour'"),
        ("elasticsearch://host:9200", {"colour": "red"}, "unknown search option 'colour'"),
        ("elasticsearch://host:9200/?use_ssl=maybe", {}, "use_ssl must be true or false"),
        ("elasticsearch://host:9200", {"timeout": "soon"}, "timeout must be a number"),
        ("elasticsearch://host:9200", {"retries": -1}, "retries must be at least 0"),
        ("elasticsearch://host:9200/?request_cache=sometimes", {}, "request_cache must be true or false"),
        ("opensearch://host:9200", {}, "expected a URL starting with elasticsearch://"),
    ],
)
def test_bad_settings_are_explained(url: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_connection(url, "elasticsearch", **options)


def test_engine_from_url_picks_the_server_engines() -> None:
    elastic = engine_from_url("elasticsearch://127.0.0.1:9200", index="shop")
    opensearch = engine_from_url("opensearch://127.0.0.1:9200,127.0.0.1:9201")
    try:
        assert isinstance(elastic, ElasticsearchEngine) and elastic.name == "elasticsearch"
        assert elastic.alias == "shop"
        assert isinstance(opensearch, OpenSearchEngine) and opensearch.name == "opensearch"
        assert opensearch.alias == DEFAULT_ALIAS
    finally:
        elastic.close()
        opensearch.close()


@pytest.mark.parametrize("alias", ["Products", "a b", "a/b", "", "x*"])
def test_index_names_the_engines_refuse_are_refused_early(alias: str) -> None:
    with pytest.raises(ValueError, match="must be lowercase"):
        engine_from_url("elasticsearch://127.0.0.1:9200", index=alias)
