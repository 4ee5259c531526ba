"""Renditions: sizes, no upscaling, formats, alpha handling and focal-point crops."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from media.renditions import CARD
from media.renditions import ZOOM
from media.renditions import crop_box
from media.renditions import crop_to
from media.renditions import render
from media.renditions import validate_focal
from tests.media.samples import pixel


def open_bytes(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def by_name(image: Image.Image, focal: tuple[float, float] = (0.5, 0.5)) -> dict[str, Image.Image]:
    return {f"{r.name}.{r.format}": open_bytes(r.data) for r in render(image, focal)}


def test_sizes_of_a_large_landscape_picture() -> None:
    out = by_name(Image.new("RGB", (2000, 1500), (90, 120, 150)))
    for fmt in ("webp", "jpeg"):
        assert out[f"zoom.{fmt}"].size == (1600, 1200)
        assert out[f"card.{fmt}"].size == (640, 640)
        assert out[f"thumb.{fmt}"].size == (160, 120)


def test_small_pictures_are_never_upscaled() -> None:
    out = by_name(Image.new("RGB", (300, 200)))
    assert out["zoom.webp"].size == (300, 200)
    assert out["card.webp"].size == (200, 200)
    assert out["thumb.webp"].size == (160, 107)


def test_formats_and_progressive_jpeg() -> None:
    out = by_name(Image.new("RGB", (800, 600)))
    assert out["zoom.webp"].format == "WEBP"
    assert out["zoom.jpeg"].format == "JPEG"
    assert out["zoom.jpeg"].info.get("progressive") == 1


def test_alpha_is_kept_in_webp_and_flattened_on_white_in_jpeg() -> None:
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (150, 150, 250, 250))
    out = by_name(image)
    webp = out["zoom.webp"]
    assert webp.mode == "RGBA"
    assert pixel(webp, (5, 5))[3] == 0
    jpeg = out["zoom.jpeg"].convert("RGB")
    assert min(pixel(jpeg, (5, 5))) > 245
    red, green, _ = pixel(jpeg, (200, 200))
    assert red > 180 and green < 40


def test_card_crop_centres_on_the_focal_point() -> None:
    image = Image.new("RGB", (1000, 500), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 500))  # a red band at the left edge
    left = crop_to(image, CARD, (0.0, 0.5))
    centre = crop_to(image, CARD, (0.5, 0.5))
    assert left.getpixel((10, 250)) == (255, 0, 0)
    assert centre.getpixel((10, 250)) == (0, 0, 255)


def test_crop_box_stays_inside_the_image() -> None:
    assert crop_box(1000, 500, 1.0, (1.0, 1.0)) == (500, 0, 1000, 500)
    assert crop_box(1000, 500, 1.0, (0.0, 0.0)) == (0, 0, 500, 500)
    assert crop_box(400, 1000, 1.0, (0.5, 0.9)) == (0, 600, 400, 1000)
    assert crop_box(1000, 500, 1.0, (0.3, 0.5)) == (50, 0, 550, 500)


@pytest.mark.parametrize("focal", [(-0.1, 0.5), (0.5, 1.2), (float("nan"), 0.5)])
def test_focal_point_outside_the_picture_is_refused(focal: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        validate_focal(focal)


def test_zoom_fits_portrait_pictures_by_height() -> None:
    assert crop_to(Image.new("RGB", (1500, 3000)), ZOOM).size == (800, 1600)


def test_renditions_carry_no_metadata_even_if_the_image_had_some() -> None:
    image = Image.new("RGB", (300, 300))
    image.info["exif"] = b"Exif\x00\x00MM\x00*"
    image.info["icc_profile"] = b"fake"
    for rendition in render(image):
        decoded = open_bytes(rendition.data)
        assert "exif" not in decoded.info and "icc_profile" not in decoded.info
