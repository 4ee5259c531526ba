"""On-air cards: layouts, content, glyph coverage, flags, QR codes and the render cache."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image
from PIL import ImageChops
from PIL import ImageStat

from media import CardContent
from media import CardLabels
from media import RenderCache
from media import render_card
from media import render_card_image
from media.flags import draw_flag
from media.png import encode_png
from media.qr import qr_image
from tests.media import samples
from tests.media.samples import colour_count
from tests.media.samples import pixel

LABELS = CardLabels(origin="Шығу тегі", booth="Стенд", scan="Сатып алу үшін сканерлеңіз", flash="Жедел баға")


def content(**changes: object) -> CardContent:
    values: dict[str, object] = {
        "name": "Қазақстандық бидай ұны 哈萨克斯坦面粉 Premium flour",
        "price": "1 250 ₸",
        "regular_price": "1 790 ₸",
        "origin_country": "Қазақстан",
        "origin_code": "KZ",
        "booth": "A-12",
        "highlights": ("Жоғары сорт", "北部春小麦", "Baursak & lagman"),
        "image": samples.photo((800, 600)),
        "qr_url": "https://shop.invalid/p/42",
        "labels": LABELS,
    }
    values.update(changes)
    return CardContent(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("layout", "size"), [("portrait", (1080, 1920)), ("landscape", (1920, 1080)), ("square", (1080, 1080))]
)
def test_layouts_have_broadcast_sizes(layout: str, size: tuple[int, int]) -> None:
    png = render_card(content(), layout)  # type: ignore[arg-type]
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == size and image.mode == "RGB"


def test_unknown_layout_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown card layout 'vertical'"):
        render_card(content(), "vertical")  # type: ignore[arg-type]


def test_more_than_three_highlights_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 3 highlights; 4 given"):
        content(highlights=("a", "b", "c", "d"))


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a product name"):
        content(name="  ")


def test_flash_price_draws_the_struck_regular_price() -> None:
    flash = render_card_image(content(), "landscape")
    plain = render_card_image(content(regular_price=None), "landscape")
    difference = ImageChops.difference(flash, plain).getbbox()
    assert difference is not None
    assert difference[0] >= 1080, "only the text column changes"


def test_product_image_appears_and_placeholder_replaces_a_missing_one() -> None:
    red = samples.encode(Image.new("RGB", (600, 600), (230, 20, 20)), "JPEG")
    with_image = render_card_image(content(image=red), "portrait")
    without = render_card_image(content(image=None), "portrait")
    centre = (540, 510)
    r, g, _ = pixel(with_image, centre)
    assert r > 200 and g < 60
    assert without.getpixel(centre) != with_image.getpixel(centre)


def test_undecodable_image_bytes_fall_back_to_the_placeholder() -> None:
    broken = render_card_image(content(image=b"not an image"), "square")
    none = render_card_image(content(image=None), "square")
    assert ImageChops.difference(broken, none).getbbox() is None


def test_focal_point_moves_the_product_crop() -> None:
    image = Image.new("RGB", (1200, 400), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 300, 400))
    data = samples.encode(image, "PNG")
    left = render_card_image(content(image=data, image_focal=(0.0, 0.5)), "square")
    right = render_card_image(content(image=data, image_focal=(1.0, 0.5)), "square")
    assert pixel(left, (80, 270))[0] > 200
    assert pixel(right, (80, 270))[2] > 200


def test_qr_code_is_drawn_only_when_a_url_is_given() -> None:
    with_qr = render_card_image(content(), "portrait")
    without = render_card_image(content(qr_url=None), "portrait")
    corner = (1020 - 100, 1860 - 100)
    region = (corner[0], corner[1], corner[0] + 80, corner[1] + 80)
    stat = ImageStat.Stat(with_qr.crop(region).convert("L"))
    assert 40 < stat.mean[0] < 220, "black and white modules"
    assert with_qr.crop(region) != without.crop(region)


def test_long_names_shrink_and_still_render() -> None:
    long_name = "Очень длинное название товара " * 6 + "哈萨克斯坦面粉" * 6
    image = render_card_image(content(name=long_name), "square")
    assert image.size == (1080, 1080)


@pytest.mark.parametrize("code", ["KZ", "RU", "CN", "FR", "TH", "LK", "xx", ""])
def test_flags_are_drawn_for_any_code(code: str) -> None:
    flag = draw_flag(code, 40)
    assert flag.size == (60, 40)
    assert colour_count(flag) > 1


def test_png_encoder_is_lossless() -> None:
    image = Image.open(io.BytesIO(samples.photo((300, 200)))).convert("RGB")
    for mode in ("RGB", "RGBA", "L"):
        source = image.convert(mode)
        decoded = Image.open(io.BytesIO(encode_png(source)))
        assert decoded.mode == mode
        assert decoded.tobytes() == source.tobytes()
    with pytest.raises(ValueError, match="RGB, RGBA or L"):
        encode_png(image.convert("CMYK"))


def test_render_cache_returns_cached_bytes_and_evicts_the_oldest() -> None:
    cache = RenderCache(max_entries=2)
    calls: list[str] = []

    def renderer(name: str) -> bytes:
        calls.append(name)
        return name.encode()

    assert cache.get_or_render("a", lambda: renderer("a")) == b"a"
    assert cache.get_or_render("a", lambda: renderer("a")) == b"a"
    cache.get_or_render("b", lambda: renderer("b"))
    cache.get_or_render("c", lambda: renderer("c"))
    assert cache.get("a") is None and cache.get("c") == b"c"
    assert calls == ["a", "b", "c"]
    assert (cache.hits, cache.misses) == (1, 3)


def test_render_cache_respects_its_byte_budget() -> None:
    cache = RenderCache(max_entries=10, max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"123456")
    assert cache.get("a") is None and cache.get("b") == b"123456"
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None


def test_render_cache_renders_a_missing_key_once_for_concurrent_callers() -> None:
    cache = RenderCache()
    calls = []

    def slow() -> bytes:
        calls.append(1)
        time.sleep(0.05)
        return b"png"

    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_render("k", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"png"] * 8 and len(calls) == 1


def test_render_cache_does_not_keep_failures() -> None:
    cache = RenderCache()

    def broken() -> bytes:
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        cache.get_or_render("k", broken)
    assert cache.get_or_render("k", lambda: b"ok") == b"ok"


def test_qr_code_matrix_is_drawn_module_for_module() -> None:
    import qrcode

    url = "https://shop.invalid/p/42"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    image = qr_image(url, 200).convert("L")
    scale = 200 // len(matrix)
    offset = (200 - scale * len(matrix)) // 2
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            centre = (offset + column_index * scale + scale // 2, offset + row_index * scale + scale // 2)
            assert (image.getpixel(centre) == 0) == dark


def test_long_prices_shrink_to_stay_inside_the_text_column() -> None:
    card = content(price="12 345 678 ₸", regular_price="15 999 999 ₸", highlights=())
    image = render_card_image(card, "landscape")
    background = render_card_image(
        content(name=card.name, price=" ", regular_price=None, highlights=()), "landscape"
    )
    changed = ImageChops.difference(image, background).getbbox()
    assert changed is not None and changed[2] <= 1860
