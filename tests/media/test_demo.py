"""Demo product pictures."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL import ImageChops

from media import LocalStorage
from media import render_demo_image
from media import store_upload
from media.demo import shape_for
from tests.media.samples import colour_count


def test_demo_image_is_a_deterministic_jpeg() -> None:
    first = render_demo_image("Алтайский мёд", "food.honey", seed="SKU-1", size=400)
    assert first == render_demo_image("Алтайский мёд", "food.honey", seed="SKU-1", size=400)
    image = Image.open(io.BytesIO(first))
    assert image.format == "JPEG" and image.size == (400, 400)


def test_different_products_look_different() -> None:
    a = Image.open(io.BytesIO(render_demo_image("Tea", "food.tea", seed=1, size=200)))
    b = Image.open(io.BytesIO(render_demo_image("Tea", "food.tea", seed=2, size=200)))
    assert ImageChops.difference(a, b).getbbox() is not None


def test_demo_image_is_a_real_picture_not_a_flat_fill() -> None:
    image = Image.open(io.BytesIO(render_demo_image("哈萨克斯坦面粉", "food.flour", size=300)))
    assert colour_count(image.convert("RGB")) > 500


@pytest.mark.parametrize(
    ("category", "name", "shape"),
    [
        ("drinks.wine", "Bordeaux", "bottle"),
        ("food.honey", "", "jar"),
        ("food.flour", "", "sack"),
        ("food.tea", "", "box"),
        ("souvenirs", "Домбыра", "box"),
        ("", "Вино красное", "bottle"),
    ],
)
def test_category_picks_the_silhouette(category: str, name: str, shape: str) -> None:
    assert shape_for(category, name) == shape


def test_demo_image_goes_through_the_upload_pipeline(tmp_path: object) -> None:
    storage = LocalStorage(f"{tmp_path}/media")
    stored = store_upload(storage, render_demo_image("Ceylon tea", "food.tea", seed=7))
    assert (stored.width, stored.height) == (1200, 1200)


def test_tiny_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 64 pixels"):
        render_demo_image("x", size=10)
