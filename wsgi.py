"""The WSGI entry point: ``gunicorn wsgi:app``."""

from catalog.startup import build_app

app = build_app()
