"""Fixtures for the media tests: the shared image corpus and a fresh local storage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from media import LocalStorage

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO.parent / "shared" / "corpus" / "images"


@pytest.fixture(scope="session")
def images() -> Path:
    """The shared image corpus (``accept/`` and ``reject/``)."""
    if not (IMAGES / "accept").is_dir():
        message = f"the image corpus is missing at {IMAGES}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return IMAGES


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media")


def stored_files(root: Path) -> list[Path]:
    """Every file under *root*, temp files included."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
