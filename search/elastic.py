"""The Elasticsearch engine (``elasticsearch://host:9200``), over the official 8.x client."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import elastic_transport
import elasticsearch
import orjson
from elasticsearch import helpers
from elasticsearch.serializer import OrjsonSerializer

from search.documents import SearchError
from search.documents import SearchUnavailable
from search.server_engine import REBUILD_TIMEOUT
from search.server_engine import ServerEngine
from search.server_engine import bulk_stream
from search.server_engine import rejection
from search.server_options import ConnectionOptions
from search.server_options import parse_connection
from search.server_sources import default_workers

_JSON = {"accept": "application/json", "content-type": "application/json"}


def _api_error(error: elasticsearch.ApiError, what: str) -> SearchError:
    return rejection("Elasticsearch", error.meta.status, error.info, error.message, what)


class FastJsonSerializer(OrjsonSerializer):
    """JSON through orjson, several times faster on large search bodies and answers.

    What orjson refuses (text holding a lone surrogate) goes through the standard encoder.
    """

    def json_dumps(self, data: Any) -> bytes:
        try:
            return super().json_dumps(data)
        except orjson.JSONEncodeError:
            return elastic_transport.JsonSerializer.json_dumps(self, data)


class ElasticsearchBackend:
    """REST calls and bulk helpers of the ``elasticsearch`` client, errors mapped to ours."""

    def __init__(self, options: ConnectionOptions) -> None:
        self.options = options
        arguments = options.client_arguments(timeout_key="request_timeout", auth_key="basic_auth")
        self.client = elasticsearch.Elasticsearch(
            list(options.hosts), serializer=FastJsonSerializer(), **arguments
        )

    def _unavailable(self, error: Exception) -> SearchUnavailable:
        hosts = ", ".join(self.options.hosts)
        return SearchUnavailable(f"Elasticsearch at {hosts} is unreachable: {error}")

    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, str] | None = None
    ) -> Any:
        try:
            response = self.client.perform_request(method, path, params=params, headers=_JSON, body=body)
        except elasticsearch.ApiError as error:
            raise _api_error(error, f"{method} {path}") from error
        except elastic_transport.TransportError as error:
            raise self._unavailable(error) from error
        return response.body

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
                rebuild_client=self.client.options(
                    request_timeout=max(self.options.timeout, REBUILD_TIMEOUT)
                ),
            )
        except elasticsearch.ApiError as error:
            raise _api_error(error, "bulk request") from error
        except elastic_transport.TransportError as error:
            raise self._unavailable(error) from error

    def scan(self, index: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        try:
            yield from helpers.scan(self.client, query=body, index=index, size=1000)
        except elasticsearch.ApiError as error:
            raise _api_error(error, f"scroll over {index}") from error
        except elastic_transport.TransportError as error:
            raise self._unavailable(error) from error

    def close(self) -> None:
        self.client.close()


class ElasticsearchEngine(ServerEngine):
    """Products in an Elasticsearch 8 cluster, searched through an alias."""

    name = "elasticsearch"

    @classmethod
    def from_url(cls, url: str, **options: Any) -> ElasticsearchEngine:
        """``elasticsearch://host:9200[,host2:9200]`` plus connection options."""
        settings = parse_connection(url, "elasticsearch", **options)
        return cls(
            ElasticsearchBackend(settings),
            alias=settings.index,
            shards=settings.shards,
            replicas=settings.replicas,
            builders=default_workers(settings.hosts),
            request_cache=settings.request_cache,
        )
