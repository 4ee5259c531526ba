"""Fixtures for the media tests: the shared image corpus and fresh storage, local and on S3."""

from __future__ import annotations

from pathlib import Path

import pytest

from media import LocalStorage
from media import S3Storage
from media import Storage
from tests.support import s3
from tests.support.missing import unavailable

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO.parent / "shared" / "corpus" / "images"


@pytest.fixture(scope="session")
def images() -> Path:
    """The shared image corpus (``accept/`` and ``reject/``)."""
    if not (IMAGES / "accept").is_dir():
        unavailable(f"the image corpus is missing at {IMAGES}")
    return IMAGES


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Fresh storage: every test that uses it runs on a local folder and on an S3 bucket."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return s3.new_storage()


@pytest.fixture
def s3_storage() -> S3Storage:
    """A fresh bucket, for what only object storage has (object names, stored headers)."""
    return s3.new_storage()


@pytest.fixture
def local_storage(tmp_path: Path) -> LocalStorage:
    """A fresh local folder, for what only files have (paths, temp files, a full disk)."""
    return LocalStorage(tmp_path / "media")


def stored_files(root: Path) -> list[Path]:
    """Every file under *root*, temp files included."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def everything_stored(storage: Storage) -> list[str]:
    """Every file or object the storage holds, whatever its name (temp files and strays included)."""
    if isinstance(storage, S3Storage):
        return s3.object_names(storage.bucket)
    assert isinstance(storage, LocalStorage)
    return [path.relative_to(storage.root).as_posix() for path in stored_files(storage.root)]
