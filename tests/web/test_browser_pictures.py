"""Staff upload a picture in Chromium and see its thumbnail; viewers get a responsive gallery."""

from __future__ import annotations

import io
import re
import typing as t
from pathlib import Path

import pytest
from PIL import Image

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser


def _photo(path: Path) -> Path:
    """A small JPEG with some detail (a gradient), as a phone might send."""
    image = Image.new("RGB", (900, 600))
    image.putdata([(x % 256, y % 256, (x + y) % 256) for y in range(600) for x in range(900)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_upload_a_picture_and_see_its_thumbnail(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = new_page(locale="en-US")
    page.goto(live_server.url + "/signin?next=/staff/products")
    page.locator("#name").fill("olga")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.get_by_role("link", name="KZ-FLOUR-002").click()
    page.wait_for_url(re.compile(r"/staff/products/(\d+)/edit"))
    product_id = re.search(r"/staff/products/(\d+)/edit", page.url).group(1)  # type: ignore[union-attr]

    page.get_by_label("Add a picture").set_input_files(str(_photo(tmp_path / "flour.jpg")))
    page.get_by_role("button", name="Upload").click()
    thumbnail = page.locator(".thumbnails img").first
    expect(thumbnail).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())

    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    page.get_by_label("Add a picture").set_input_files(str(tmp_path / "broken.jpg"))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#picture-error")).to_contain_text("This picture was not added")
    expect(page.locator(".thumbnails img")).to_have_count(1)

    viewer = new_page(locale="en-US", viewport={"width": 390, "height": 844})
    viewer.goto(f"{live_server.url}/products/{product_id}?locale=en")
    picture = viewer.locator(".gallery img").first
    expect(picture).to_be_visible()
    srcset = picture.get_attribute("srcset") or ""
    assert len(srcset.split(",")) == 3 and re.search(r" \d+w$", srcset)
    assert viewer.evaluate(
        "(img) => img.currentSrc.length > 0 && img.naturalWidth > 0", picture.element_handle()
    )
    problems.assert_none()
