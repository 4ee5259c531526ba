"""A picture uploaded while the media disk is full: 507, nothing stored, nothing recorded.

The kernel's own refusal is exercised in tests/media (a real write limit in a child process);
here the app runs in the test process, so the full device is simulated where media storage
meets the operating system: its file writes succeed up to the room left, write what fits and
then fail with ENOSPC or EDQUOT, as a real device does. Everything above that (the atomic
write, the pipeline's rollback, the view, the transaction) runs for real.
"""

from __future__ import annotations

import errno
import logging
import os
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

import media.storage
from catalog.db import get_session
from catalog.models import ProductImage
from tests.catalog.test_images_api import create_product
from tests.catalog.test_images_api import stored_files
from tests.catalog.test_images_api import upload
from tests.conftest import Tokens
from tests.media import samples

# Its renditions are about 145 kB in all; the thumbnails and the WebP card (about 19 kB) fit
# in 30 kB, so that disk fills part-way through the JPEG card.
PHOTO = samples.photo((1200, 900), quality=90)


class FullDevice:
    """The ``os`` module as media storage sees it, on a device with *room* bytes left."""

    def __init__(self, room: int, error: int) -> None:
        self.room = room
        self.error = error
        self.completed = 0  # files written in full before the device filled up

    def __getattr__(self, name: str) -> t.Any:
        return getattr(os, name)

    def fdopen(self, descriptor: int, mode: str) -> _FileOnDevice:
        return _FileOnDevice(os.fdopen(descriptor, mode), self)


class _FileOnDevice:
    """A file that takes what fits on its device, then fails like the kernel does."""

    def __init__(self, handle: t.IO[bytes], device: FullDevice) -> None:
        self._handle = handle
        self._device = device

    def __enter__(self) -> _FileOnDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        fits = min(len(data), self._device.room)
        self._handle.write(data[:fits])
        self._handle.flush()  # the partial file is really on disk, for the cleanup to find
        self._device.room -= fits
        if fits < len(data):
            raise OSError(self._device.error, os.strerror(self._device.error))
        self._device.completed += 1
        return fits

    def flush(self) -> None:
        self._handle.flush()

    def fileno(self) -> int:
        return self._handle.fileno()


@pytest.mark.parametrize(
    ("error", "room"),
    [(errno.ENOSPC, 0), (errno.ENOSPC, 30_000), (errno.EDQUOT, 30_000)],
    ids=["ENOSPC-at-once", "ENOSPC-part-way", "EDQUOT-part-way"],
)
def test_upload_to_a_full_disk_is_507_and_leaves_nothing(
    app: Flask,
    client: FlaskClient,
    tokens: Tokens,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: int,
    room: int,
) -> None:
    url, etag = create_product(client, tokens)
    device = FullDevice(room, error)
    monkeypatch.setattr(media.storage, "os", device)

    with caplog.at_level(logging.ERROR, logger="catalog.api.images"):
        response = upload(client, tokens, url, PHOTO)

    assert response.status_code == 507, response.json
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["type"] == "/problems/insufficient-storage"
    assert problem["title"] == "Storage full"
    assert problem["status"] == 507
    assert "storage is full; nothing was saved" in problem["detail"]
    assert "try again" in problem["detail"]
    assert app.config["MEDIA_ROOT"] not in problem["detail"], "no server path for the client"
    assert problem["errors"] == [{"field": "file", "message": problem["detail"]}]
    assert device.room == 0
    assert device.completed == (3 if room else 0), "the device filled where expected"
    logged = [r for r in caplog.records if r.name == "catalog.api.images"]
    assert logged and logged[0].levelno == logging.ERROR, "operators hear of a full disk"
    assert logged[0].exc_info is not None and app.config["MEDIA_ROOT"] in logged[0].getMessage()

    assert stored_files(app) == [], "no rendition and no partial temp file is left"
    assert client.get(url).headers["ETag"] == etag, "the product's version is unchanged"
    assert client.get(f"{url}/images").json["items"] == []
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count(ProductImage.id))) == 0

    monkeypatch.undo()  # space is back
    again = upload(client, tokens, url, PHOTO)
    assert again.status_code == 201, again.json
    assert again.json["primary"] is True
    assert len(stored_files(app)) == 6
    assert again.headers["ETag"] != etag
    assert client.get(f"{url}/images").json["items"][0]["id"] == again.json["id"]
