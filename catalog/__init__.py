"""Tianshan Catalog: the Flask service."""

from __future__ import annotations

from catalog.app import create_app as create_app
