"""Entity tags: the version of a representation, as ``ETag`` and ``If-Match`` carry it."""

from __future__ import annotations

import typing as t


def etag_for(kind: str, ident: t.Any, version: int) -> str:
    """A strong ETag for version *version* of a resource."""
    return f'"{kind}-{ident}-v{version}"'
