"""Connection settings of the Elasticsearch and OpenSearch engines, from a URL and options.

``elasticsearch://user:pass@host1:9200,host2:9200/?use_ssl=true&timeout=5`` names the nodes;
options given as keyword arguments (``username``, ``password``, ``ca_file``, ``use_ssl``,
``verify_certs``, ``timeout``, ``retries``, ``index``, ``shards``, ``replicas``, ``request_cache``) win over the
URL's query.
On loopback only the URL is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import unquote
from urllib.parse import urlsplit

from search.server_engine import DEFAULT_ALIAS

#: Options a server engine URL accepts, in the query or as keyword arguments.
OPTION_NAMES = (
    "username",
    "password",
    "ca_file",
    "use_ssl",
    "verify_certs",
    "timeout",
    "retries",
    "index",
    "shards",
    "replicas",
    "request_cache",
)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class ConnectionOptions:
    """Where the nodes are and how to talk to them."""

    hosts: tuple[str, ...]
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    verify_certs: bool = True
    timeout: float = 10.0
    retries: int = 2
    index: str = DEFAULT_ALIAS
    shards: int = 1
    replicas: int = 0
    #: Whether searches ask the shard request cache (see :data:`search.server_engine.SEARCH_PARAMS`).
    request_cache: bool = True

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        if self.username is None:
            return None
        return (self.username, self.password or "")

    def client_arguments(self, *, timeout_key: str, auth_key: str) -> dict[str, Any]:
        """Keyword arguments for a client constructor; the two clients name timeout and auth apart."""
        arguments: dict[str, Any] = {
            timeout_key: self.timeout,
            "max_retries": self.retries,
            "retry_on_timeout": True,
        }
        if self.basic_auth:
            arguments[auth_key] = self.basic_auth
        if self.ca_file:
            arguments["ca_certs"] = self.ca_file
        if not self.verify_certs:
            arguments["verify_certs"] = False
        return arguments


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"search option {name} must be true or false, got {value!r}")


def _number(name: str, value: Any, kind: type[int] | type[float], minimum: float) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"search option {name} must be a number, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"search option {name} must be at least {minimum}, got {value!r}")
    return number


def parse_connection(url: str, scheme: str, **options: Any) -> ConnectionOptions:
    """Read a ``<scheme>://host:port[,host:port]`` URL and options into connection settings."""
    parts = urlsplit(url)
    if parts.scheme.lower() != scheme:
        raise ValueError(f"expected a URL starting with {scheme}://, got {url!r}")
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise ValueError(f"unknown search option {unknown[0]!r}; use any of: {', '.join(OPTION_NAMES)}")
    settings: dict[str, Any] = dict(parse_qsl(parts.query))
    unknown = sorted(set(settings) - set(OPTION_NAMES))
    if unknown:
        raise ValueError(
            f"unknown search URL parameter {unknown[0]!r}; use any of: {', '.join(OPTION_NAMES)}"
        )
    netloc = parts.netloc
    if "@" in netloc:
        credentials, netloc = netloc.rsplit("@", 1)
        user, _, password = credentials.partition(":")
        settings.setdefault("username", unquote(user))
        if password:
            settings.setdefault("password", unquote(password))
    settings.update({key: value for key, value in options.items() if value is not None})
    addresses = [address.strip() for address in netloc.split(",") if address.strip()]
    if not addresses:
        raise ValueError(f"the search URL {url!r} names no host; write {scheme}://host:9200")
    use_ssl = _flag("use_ssl", settings.get("use_ssl", False)) or bool(settings.get("ca_file"))
    protocol = "https" if use_ssl else "http"
    hosts = []
    for address in addresses:
        host, _, port = address.rpartition(":") if ":" in address else (address, "", "9200")
        if not port.isdigit() or not host:
            raise ValueError(f"bad host {address!r} in the search URL: write host:port")
        hosts.append(f"{protocol}://{host}:{port}")
    return ConnectionOptions(
        hosts=tuple(hosts),
        username=settings.get("username"),
        password=settings.get("password"),
        ca_file=settings.get("ca_file"),
        verify_certs=_flag("verify_certs", settings.get("verify_certs", True)),
        timeout=_number("timeout", settings.get("timeout", 10.0), float, 0.1),
        retries=_number("retries", settings.get("retries", 2), int, 0),
        index=str(settings.get("index", DEFAULT_ALIAS)),
        shards=_number("shards", settings.get("shards", 1), int, 1),
        replicas=_number("replicas", settings.get("replicas", 0), int, 0),
        request_cache=_flag("request_cache", settings.get("request_cache", True)),
    )
