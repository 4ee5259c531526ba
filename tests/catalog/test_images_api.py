"""Pictures through the API: uploads from the corpus, galleries, serving, cards, bad files."""

from __future__ import annotations

import io
import struct
import typing as t
import zlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.catalog.payloads import product
from tests.conftest import CORPUS
from tests.conftest import Tokens

# The pipeline itself takes every corpus file in tests/media; through HTTP, on both databases,
# a sample of the kinds is enough: orientation, GPS, AVIF, GIF, alpha, ICC and 16-bit tables.
ACCEPT = [
    CORPUS / "images" / "accept" / name
    for name in (
        "hopper_orientation_6.jpg",
        "exif_gps.jpg",
        "hopper.avif",
        "hopper.gif",
        "1_trns.png",
        "icc_profile.png",
        "hopper_16bit_qtables.jpg",
        "hopper_orientation_8.webp",
    )
]
REJECT = sorted((CORPUS / "images" / "reject").iterdir())


def create_product(client: FlaskClient, tokens: Tokens) -> tuple[str, str]:
    response = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
    assert response.status_code == 201
    return response.headers["Location"], response.headers["ETag"]


def upload(client: FlaskClient, tokens: Tokens, url: str, data: bytes, name: str = "photo.jpg") -> t.Any:
    return client.post(
        f"{url}/images",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=tokens.headers("editor"),
    )


def stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def jpeg(size: tuple[int, int] = (800, 600), colour: str = "orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_upload_makes_renditions_served_with_immutable_caching(client: FlaskClient, tokens: Tokens) -> None:
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, jpeg((2000, 1500)))
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["width"], body["height"]) == (2000, 1500)
    assert len(body["sha256"]) == 64 and body["primary"] is True
    assert set(body["renditions"]) == {"thumb", "card", "zoom"}
    served = client.get(body["renditions"]["thumb"], headers={"Accept": "image/webp,*/*"})
    assert served.status_code == 200
    assert served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept" in served.headers["Vary"]
    etag = served.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(body["renditions"]["thumb"], headers={"Accept": "image/webp", "If-None-Match": etag})
    assert again.status_code == 304
    fallback = client.get(body["renditions"]["thumb"], headers={"Accept": "image/*"})
    assert fallback.mimetype == "image/jpeg"
    explicit = client.get(body["formats"]["zoom"]["jpeg"])
    assert explicit.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(explicit.data)).size == (1600, 1200)
    assert max(Image.open(io.BytesIO(served.data)).size) == 160
    listed = client.get(f"{url}?locale=ru").json
    assert listed["thumbnail"] == body["renditions"]["thumb"]
    assert client.get("/api/v1/search?q=muka").json["items"][0]["thumbnail"] == body["renditions"]["thumb"]


def test_the_same_upload_twice_is_stored_once(client: FlaskClient, tokens: Tokens, app: Flask) -> None:
    url, _ = create_product(client, tokens)
    data = jpeg()
    first = upload(client, tokens, url, data).json
    files = len(stored_files(app))
    second = upload(client, tokens, url, data).json
    assert first["sha256"] == second["sha256"]
    assert len(stored_files(app)) == files
    assert second["position"] == 1 and second["primary"] is False


@pytest.mark.parametrize("path", ACCEPT, ids=[p.name for p in ACCEPT])
def test_every_corpus_image_is_accepted(client: FlaskClient, tokens: Tokens, path: Path) -> None:
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, path.read_bytes(), path.name)
    assert response.status_code == 201, response.json
    zoom = Image.open(io.BytesIO(client.get(response.json["formats"]["zoom"]["jpeg"]).data))
    assert "exif" not in zoom.info
    assert zoom.getexif().get(0x0112) is None  # no orientation tag
    assert zoom.getexif().get(0x8825) is None  # no GPS


@pytest.mark.parametrize("path", REJECT, ids=[p.name for p in REJECT])
def test_every_corpus_reject_is_refused_leaving_nothing(
    client: FlaskClient, tokens: Tokens, app: Flask, path: Path
) -> None:
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, path.read_bytes(), path.name)
    assert 400 <= response.status_code < 500, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["field"] == "file"
    assert len(response.json["detail"]) > 20
    assert stored_files(app) == []
    assert client.get("/healthz").status_code == 200


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _animated_gif(frames: int) -> bytes:
    images = [Image.new("P", (64, 64), i % 200) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=20, loop=0)
    return buffer.getvalue()


def _huge_exif_jpeg() -> bytes:
    data = jpeg((64, 64))
    block = b"Exif\x00\x00" + b"\x00" * 65000
    segments = b"".join(b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block for _ in range(80))
    return data[:2] + segments + data[2:]


BAD = [
    ("empty file", b"", "empty.jpg", 415),
    ("text named jpg", b"just some text, not a picture", "photo.jpg", 415),
    ("html named jpg", b"<!doctype html><html><body>hi</body></html>", "photo.jpg", 415),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "logo.svg", 415),
    ("png claiming 100000x100000", _png_header_only(100_000, 100_000), "big.png", 422),
    ("truncated jpeg", jpeg((1200, 900))[:3000], "cut.jpg", 422),
    ("zip", b"PK\x03\x04" + b"\x00" * 100, "photos.zip", 415),
    ("pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "sheet.pdf", 415),
    ("jpeg with a huge exif block", _huge_exif_jpeg(), "exif.jpg", 422),
]


@pytest.mark.parametrize(("data", "name", "status"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_files_get_a_clear_4xx_and_leave_nothing(
    client: FlaskClient, tokens: Tokens, app: Flask, data: bytes, name: str, status: int
) -> None:
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, data, name)
    assert response.status_code == status, response.json
    assert response.json["detail"]
    assert stored_files(app) == []


def test_animated_gif_keeps_its_first_frame(client: FlaskClient, tokens: Tokens) -> None:
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, _animated_gif(60), "anim.gif")
    assert response.status_code == 201, response.json
    assert (response.json["width"], response.json["height"]) == (64, 64)


def test_over_the_size_limit_is_413(client: FlaskClient, tokens: Tokens, app: Flask) -> None:
    app.config["MEDIA_MAX_UPLOAD_BYTES"] = 200_000
    url, _ = create_product(client, tokens)
    response = upload(client, tokens, url, b"\xff\xd8\xff" + b"\x00" * 300_000)
    assert response.status_code == 413
    assert stored_files(app) == []


def test_upload_needs_multipart_and_a_file_field(client: FlaskClient, tokens: Tokens) -> None:
    url, _ = create_product(client, tokens)
    raw = client.post(
        f"{url}/images", data=jpeg(), content_type="image/jpeg", headers=tokens.headers("editor")
    )
    assert raw.status_code == 415
    missing = client.post(
        f"{url}/images",
        data={"photo": (io.BytesIO(jpeg()), "a.jpg")},
        content_type="multipart/form-data",
        headers=tokens.headers("editor"),
    )
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "file"
    assert upload(client, tokens, "/api/v1/products/999999", jpeg()).status_code == 404


def test_gallery_order_alt_text_focal_point_and_removal(client: FlaskClient, tokens: Tokens) -> None:
    url, _ = create_product(client, tokens)
    first = upload(client, tokens, url, jpeg(colour="red")).json
    second = upload(client, tokens, url, jpeg(colour="blue")).json
    etag = client.get(url).headers["ETag"]
    editor = tokens.headers("editor")
    assert (
        client.put(
            f"{url}/images/order", json={"image_ids": [second["id"]]}, headers={**editor, "If-Match": etag}
        ).status_code
        == 422
    )
    ordered = client.put(
        f"{url}/images/order",
        json={"image_ids": [second["id"], first["id"]]},
        headers={**editor, "If-Match": etag},
    )
    assert ordered.status_code == 200
    assert [i["id"] for i in ordered.json["items"]] == [second["id"], first["id"]]
    etag = ordered.headers["ETag"]
    stale = client.patch(
        f"{url}/images/{first['id']}",
        json={"alt": {"ru": "Мешок муки"}},
        headers={**editor, "If-Match": '"old"'},
    )
    assert stale.status_code == 412
    patched = client.patch(
        f"{url}/images/{first['id']}",
        json={"alt": {"ru": "Мешок муки", "kk": "Ұн қабы"}, "focal": {"x": 0.2, "y": 0.8}},
        headers={**editor, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["alt"] == {"ru": "Мешок муки", "kk": "Ұн қабы"}
    assert patched.json["focal"] == {"x": 0.2, "y": 0.8}
    assert (
        client.patch(
            f"{url}/images/{first['id']}",
            json={"focal": {"x": 2, "y": 0}},
            headers={**editor, "If-Match": patched.headers["ETag"]},
        ).status_code
        == 422
    )
    removed = client.delete(
        f"{url}/images/{second['id']}", headers={**editor, "If-Match": patched.headers["ETag"]}
    )
    assert [i["id"] for i in removed.json["items"]] == [first["id"]]
    assert removed.json["items"][0]["primary"] is True


def test_media_urls_refuse_traversal(client: FlaskClient) -> None:
    for path in (
        "/media/../catalog.db",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/" + "a" * 64 + "/..%2fsecret",
        "/media/" + "g" * 64 + "/thumb",
        "/media/" + "a" * 64 + "/thumb.exe",
        "/media/..%252f..%252fetc/passwd",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    ("layout", "size"), [("portrait", (1080, 1920)), ("landscape", (1920, 1080)), ("square", (1080, 1080))]
)
def test_card_png_in_each_layout(
    client: FlaskClient, tokens: Tokens, layout: str, size: tuple[int, int]
) -> None:
    url, _ = create_product(client, tokens)
    upload(client, tokens, url, jpeg((1200, 900)))
    response = client.get(f"{url}/card.png?locale=ru&layout={layout}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == size
    cached = client.get(
        f"{url}/card.png?locale=ru&layout={layout}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert cached.status_code == 304


def test_card_png_bad_parameters(client: FlaskClient, tokens: Tokens) -> None:
    url, _ = create_product(client, tokens)
    assert client.get(f"{url}/card.png?layout=diagonal").status_code == 422
    assert client.get(f"{url}/card.png?currency=USD").status_code == 422
    assert client.get("/api/v1/products/999999/card.png").status_code == 404


def test_media_gc_removes_only_unused_files(client: FlaskClient, tokens: Tokens, app: Flask) -> None:
    url, _ = create_product(client, tokens)
    keep = upload(client, tokens, url, jpeg(colour="green")).json
    drop = upload(client, tokens, url, jpeg(colour="purple")).json
    etag = client.get(url).headers["ETag"]
    client.delete(f"{url}/images/{drop['id']}", headers={**tokens.headers("editor"), "If-Match": etag})
    runner = app.test_cli_runner()
    before = len(stored_files(app))
    recent = runner.invoke(args=["media", "gc", "--delete"])  # just stored: within the grace period
    assert "Removed 0 file(s)" in recent.output and "Kept 6 unused file(s)" in recent.output
    assert len(stored_files(app)) == before
    dry = runner.invoke(args=["media", "gc", "--min-age", "0"])
    assert "Would remove 6 file(s)" in dry.output
    assert len(stored_files(app)) == before
    real = runner.invoke(args=["media", "gc", "--delete", "--min-age", "0"])
    assert "Removed 6 file(s)" in real.output
    assert client.get(keep["renditions"]["card"]).status_code == 200
