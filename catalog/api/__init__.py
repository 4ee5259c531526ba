"""The JSON API under ``/api/v1``."""

from __future__ import annotations

from flask import Flask

from catalog.api import categories
from catalog.api import images
from catalog.api import meta
from catalog.api import problems
from catalog.api import products
from catalog.api import rates
from catalog.api import search
from catalog.api import search_analytics
from catalog.api import search_curation
from catalog.api import streams
from catalog.api import tax_refund
from catalog.api import translations


def init_app(app: Flask) -> None:
    """Mount every API blueprint."""
    for module in (
        meta,
        products,
        rates,
        categories,
        search,
        search_curation,
        search_analytics,
        streams,
        tax_refund,
        translations,
        images,
        problems,
    ):
        app.register_blueprint(module.bp)
