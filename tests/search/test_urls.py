"""Engines are chosen by URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import engine_from_url
from search import urls
from search.fts5 import Fts5Engine


def test_sqlite_url_gives_the_embedded_engine(tmp_path: Path) -> None:
    engine = engine_from_url(f"sqlite:///{tmp_path}/search.db")
    assert isinstance(engine, Fts5Engine)
    assert engine.name == "embedded"
    assert engine.path == tmp_path / "search.db"


def test_four_slashes_work_too(tmp_path: Path) -> None:
    engine = engine_from_url(f"sqlite:////{str(tmp_path).lstrip('/')}/s.db")
    assert isinstance(engine, Fts5Engine)
    assert engine.path == tmp_path / "s.db"


def test_default_url_lives_in_the_instance_folder(tmp_path: Path) -> None:
    assert urls.default_search_url(tmp_path) == f"sqlite://{tmp_path}/search.db"


def test_options_reach_the_engine(tmp_path: Path) -> None:
    engine = engine_from_url(f"sqlite:///{tmp_path}/s.db?cache_mb=8", batch_size=10)
    assert isinstance(engine, Fts5Engine)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/db", "the scheme must be one of sqlite://, elasticsearch://"),
        ("/tmp/search.db", "the scheme must be one of"),
        ("", "the scheme must be one of"),
        ("sqlite://", "use sqlite:///absolute/path/search.db"),
        ("sqlite://host/search.db", "use sqlite:///absolute/path/search.db"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("/", "/")):
        engine_from_url(url)


def test_unknown_option(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown option 'shards' for the embedded search engine"):
        engine_from_url(f"sqlite:///{tmp_path}/s.db", shards=3)


def test_missing_engine_module_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(urls.ENGINE_CLASSES, "solr", ("search.solr_missing", "SolrEngine"))
    with pytest.raises(ValueError, match="'solr' search engine is not available"):
        engine_from_url("solr://localhost:8983")


def test_relative_paths_are_refused() -> None:
    with pytest.raises(ValueError, match="must be absolute"):
        Fts5Engine("relative/search.db")
