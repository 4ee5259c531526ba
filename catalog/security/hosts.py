"""Absolute links: built from the configured public base URL, never from a client's Host header."""

from __future__ import annotations

from flask import current_app
from flask import request


def public_base_url() -> str:
    """The service's public base URL, ending in ``/``.

    ``PUBLIC_BASE_URL`` when set; otherwise this request's host, which Flask has already checked
    against ``TRUSTED_HOSTS`` (any other host was answered 400 before reaching a view).
    """
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return str(configured).rstrip("/") + "/"
    return request.host_url


def public_url(path: str) -> str:
    """The absolute public URL of *path* (relative to the site's root)."""
    return public_base_url() + path.lstrip("/")
