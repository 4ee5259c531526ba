"""The OpenSearch engine (``opensearch://host:9200``), over ``opensearch-py``."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import opensearchpy
import orjson
from opensearchpy import helpers

from search.documents import SearchError
from search.documents import SearchUnavailable
from search.server_engine import REBUILD_TIMEOUT
from search.server_engine import ServerEngine
from search.server_engine import bulk_stream
from search.server_engine import rejection
from search.server_options import ConnectionOptions
from search.server_options import parse_connection
from search.server_sources import default_workers


def _api_error(error: opensearchpy.TransportError, what: str) -> SearchError:
    status = error.status_code if isinstance(error.status_code, int) else None
    return rejection("OpenSearch", status, error.info, str(error.error), what)


class FastJsonSerializer(opensearchpy.JSONSerializer):
    """JSON through orjson, several times faster on large search bodies and answers.

    Encodes to ``str``, as the bulk helpers measure and join what it returns as text; what
    orjson refuses (text holding a lone surrogate) goes through the standard encoder.
    """

    def loads(self, s: str | bytes) -> Any:
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as error:
            raise opensearchpy.SerializationError(s, error) from error

    def dumps(self, data: Any) -> Any:
        if isinstance(data, (str, bytes)):
            return data
        try:
            return orjson.dumps(data, default=self.default).decode()
        except orjson.JSONEncodeError:
            return super().dumps(data)


class OpenSearchBackend:
    """REST calls and bulk helpers of ``opensearch-py``, errors mapped to ours."""

    def __init__(self, options: ConnectionOptions) -> None:
        self.options = options
        arguments = options.client_arguments(timeout_key="timeout", auth_key="http_auth")
        self.client = opensearchpy.OpenSearch(
            list(options.hosts), serializer=FastJsonSerializer(), **arguments
        )

    def _unavailable(self, error: Exception) -> SearchUnavailable:
        hosts = ", ".join(self.options.hosts)
        return SearchUnavailable(f"OpenSearch at {hosts} is unreachable: {error}")

    def _translate(self, error: Exception, what: str) -> SearchError:
        if isinstance(error, opensearchpy.ConnectionError):  # also timeouts and TLS errors
            return self._unavailable(error)
        if isinstance(error, opensearchpy.TransportError):
            if not isinstance(error.status_code, int):
                return self._unavailable(error)
            return _api_error(error, what)
        raise error

    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, str] | None = None
    ) -> Any:
        if params:
            # the transport reads some parameters (``timeout``) as its own: send them in the URL
            path = f"{path}?{urlencode(params)}"
        try:
            return self.client.transport.perform_request(method, path, body=body)
        except opensearchpy.TransportError as error:
            raise self._translate(error, f"{method} {path}") from error

    def bulk(
        self, actions: Iterable[dict[str, Any]], *, refresh: str | None = None, parallel: bool = False
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        try:
            yield from bulk_stream(
                helpers,
                self.client,
                actions,
                refresh=refresh,
                parallel=parallel,
                retries=self.options.retries,
                rebuild_options={"request_timeout": max(self.options.timeout, REBUILD_TIMEOUT)},
            )
        except opensearchpy.TransportError as error:
            raise self._translate(error, "bulk request") from error

    def scan(self, index: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        try:
            yield from helpers.scan(self.client, query=body, index=index, size=1000)
        except opensearchpy.TransportError as error:
            raise self._translate(error, f"scroll over {index}") from error

    def close(self) -> None:
        self.client.close()


class OpenSearchEngine(ServerEngine):
    """Products in an OpenSearch 2 cluster, searched through an alias."""

    name = "opensearch"

    @classmethod
    def from_url(cls, url: str, **options: Any) -> OpenSearchEngine:
        """``opensearch://host:9200[,host2:9200]`` plus connection options."""
        settings = parse_connection(url, "opensearch", **options)
        return cls(
            OpenSearchBackend(settings),
            alias=settings.index,
            shards=settings.shards,
            replicas=settings.replicas,
            builders=default_workers(settings.hosts),
            request_cache=settings.request_cache,
        )
