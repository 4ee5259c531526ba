"""Choose a search engine from a URL (``TIANSHAN_SEARCH_URL``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from typing import cast
from urllib.parse import urlsplit

from search.engine import SearchEngine

#: scheme -> (module, class). Server engines are imported only when their scheme is used.
ENGINE_CLASSES: dict[str, tuple[str, str]] = {
    "sqlite": ("search.fts5", "Fts5Engine"),
    "elasticsearch": ("search.elastic", "ElasticsearchEngine"),
    "opensearch": ("search.opensearch", "OpenSearchEngine"),
}


def default_search_url(instance_path: str | Path) -> str:
    """Return the embedded engine's URL for a file inside the app's instance folder."""
    return f"sqlite://{(Path(instance_path).resolve() / 'search.db').as_posix()}"


def engine_from_url(url: str, **options: Any) -> SearchEngine:
    """Build the engine *url* names.

    ``sqlite:///abs/path/search.db`` gives the embedded FTS5 engine; ``elasticsearch://host:9200``
    (several hosts comma-separated) and ``opensearch://host:9200`` give the server engines, which
    receive the URL and *options* (username, password, ca_file, use_ssl, timeout, retries)
    through their ``from_url(url, **options)`` class method.
    """
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in ENGINE_CLASSES:
        allowed = ", ".join(f"{name}://" for name in ENGINE_CLASSES)
        raise ValueError(f"unsupported search URL {url!r}: the scheme must be one of {allowed}")
    module_name, class_name = ENGINE_CLASSES[scheme]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        raise ValueError(
            f"the {scheme!r} search engine is not available in this installation "
            f"(module {module_name} is missing)"
        ) from error
    engine_class = getattr(module, class_name)
    factory = cast(Callable[..., SearchEngine], engine_class.from_url)
    return factory(url, **options)
