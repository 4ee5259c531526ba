"""The ceiling: a bare Flask JSON endpoint, served exactly like the catalog."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping() -> dict[str, bool]:
    return {"ok": True}
