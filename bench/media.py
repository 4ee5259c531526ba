"""Media benchmark: upload pipeline (Pillow vs a pyvips anchor) and on-air card rendering.

Run ``python bench/media.py``; it prints one table. The pyvips anchor runs in its own
process, so libvips and Pillow never share one (they bundle different libwebp builds).
pyvips needs the system library (Debian: ``libvips42``); without it that row says so.
"""

from __future__ import annotations

import argparse
import io
import math
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/media.py: keep its folder off the path so "media" is the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from media import LAYOUTS  # noqa: E402
from media import CardContent  # noqa: E402
from media import CardLabels  # noqa: E402
from media import Layout  # noqa: E402
from media import RenderCache  # noqa: E402
from media import decode_upload  # noqa: E402
from media import render_card  # noqa: E402
from media.renditions import render  # noqa: E402

_VIPS_SCRIPT = textwrap.dedent(
    """
    import json, statistics, sys, time
    import pyvips
    data = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2])

    def one():
        outputs = []
        for size, crop in ((1600, None), (640, "centre"), (160, None)):
            options = {"crop": crop, "height": size} if crop else {}
            image = pyvips.Image.thumbnail_buffer(data, size, **options).copy_memory()
            outputs.append(image.write_to_buffer(".webp", Q=80, effort=2, strip=True))
            outputs.append(image.write_to_buffer(".jpg", Q=84, interlace=True, strip=True))
        return outputs

    one()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        one()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(json.dumps({"median": statistics.median(times), "cpu": statistics.median(cpu),
                      "version": pyvips.version(0) * 100 + pyvips.version(1)}))
    """
)


def make_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP JPEG with photographic detail: fractal, gradients and grain."""
    fractal = Image.effect_mandelbrot((width, height), (-2.2, -1.25, 1.0, 1.25), 96)
    noise = Image.effect_noise((width, height), 10)
    ramp = Image.linear_gradient("L").resize((width, height))
    red = Image.blend(fractal, noise, 0.15)
    green = Image.blend(ramp, noise, 0.2)
    blue = Image.blend(ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM), fractal, 0.4)
    buffer = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


class Timings:
    """Wall-clock and CPU milliseconds of repeated runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def cell(self, unit: float = 1.0, suffix: str = "ms") -> tuple[str, str, str, str]:
        return (
            f"{statistics.median(self.wall) * unit:.1f} {suffix}",
            f"{percentile(self.wall, 0.95) * unit:.1f} {suffix}",
            f"{statistics.median(self.cpu) * unit:.1f} {suffix}",
            f"{percentile(self.cpu, 0.95) * unit:.1f} {suffix}",
        )


def timed(function: Callable[[], object], runs: int, warm: bool = True) -> Timings:
    if warm:
        function()
    timings = Timings()
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        timings.wall.append((time.perf_counter() - start) * 1000)
        timings.cpu.append((time.process_time() - start_cpu) * 1000)
    return timings


def pipeline(data: bytes) -> int:
    decoded = decode_upload(data)
    return len(render(decoded.image))


def _worker(arguments: tuple[bytes, int]) -> int:
    data, count = arguments
    return sum(pipeline(data) for _ in range(count))


def throughput(data: bytes, workers: int, per_worker: int) -> float:
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        pool.map(_worker, [(data, 1)] * workers)  # warm up imports in each worker
        start = time.perf_counter()
        pool.map(_worker, [(data, per_worker)] * workers)
        return workers * per_worker / (time.perf_counter() - start)


def vips_anchor(data: bytes, runs: int) -> tuple[tuple[float, float] | None, str]:
    with tempfile.NamedTemporaryFile(suffix=".jpg") as handle:
        handle.write(data)
        handle.flush()
        environment = {**os.environ, "VIPS_CONCURRENCY": "1"}
        result = subprocess.run(
            [sys.executable, "-c", _VIPS_SCRIPT, handle.name, str(runs)],
            capture_output=True,
            text=True,
            env=environment,
            timeout=600,
        )
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"
        return None, reason
    import json

    report = json.loads(result.stdout)
    return (
        float(report["median"]),
        float(report["cpu"]),
    ), f"libvips {report['version'] // 100}.{report['version'] % 100}"


def card_content(index: int, image: bytes) -> CardContent:
    return CardContent(
        name=f"Қазақстандық бидай ұны, жоғары сорт №{index} — 哈萨克斯坦优质面粉 Premium flour 5 kg",
        price=f"1 {200 + index} ₸",
        regular_price="1 790 ₸",
        origin_country="Қазақстан",
        origin_code="KZ",
        booth="A-12",
        highlights=("Жоғары сорт, 72% шығым", "哈萨克斯坦北部的春小麦", "Ideal for baursak and lagman"),
        image=image,
        qr_url=f"https://catalog.invalid/p/{index}?locale=kk",
        labels=CardLabels(origin="Шығу тегі", booth="Стенд", scan="Сканерлеңіз", flash="Жедел баға"),
    )


def _cold_renders(layout: Layout, cache: RenderCache, contents: list[CardContent]) -> Callable[[], bytes]:
    """Each call renders the next product, which the cache has never seen."""
    pending = iter(enumerate(contents))

    def render_next() -> bytes:
        index, content = next(pending)
        return cache.get_or_render((index, layout), lambda: render_card(content, layout))

    return render_next


def _cached_read(layout: Layout, cache: RenderCache) -> Callable[[], bytes]:
    return lambda: cache.get_or_render((0, layout), bytes)


def card_times(runs: int) -> dict[str, tuple[Timings, Timings]]:
    zoom = decode_upload(make_photo(1600, 1200)).image
    images = []
    for index in range(runs + 1):
        buffer = io.BytesIO()
        zoom.rotate(index * 7).save(buffer, "JPEG", quality=84)  # a new product each time
        images.append(buffer.getvalue())
    contents = [card_content(index, image) for index, image in enumerate(images[:runs])]
    results: dict[str, tuple[Timings, Timings]] = {}
    for layout in LAYOUTS:
        cache = RenderCache()
        render_card(card_content(-1, images[-1]), layout)  # fonts and layout bases loaded
        cold = timed(_cold_renders(layout, cache, contents), runs, warm=False)
        cached = timed(_cached_read(layout, cache), runs * 20)
        results[layout] = (cold, cached)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per measurement")
    arguments = parser.parse_args()
    runs = arguments.runs

    photo = make_photo()
    decode_t = timed(lambda: decode_upload(photo), runs)
    decoded = decode_upload(photo)
    render_t = timed(lambda: render(decoded.image), runs)
    total_t = timed(lambda: pipeline(photo), runs)
    rate = throughput(photo, 2, max(3, runs))
    vips, vips_note = vips_anchor(photo, runs)
    cards = card_times(max(runs * 3, 20))

    rows: list[tuple[str, ...]] = []
    name = f"upload 4000×3000 JPEG ({len(photo) // 1024} KB): validate, draft-decode 1/2, orient"
    rows.append((name, *decode_t.cell(), ""))
    rows.append(("  6 renditions: 1600/640/160 × WebP + progressive JPEG", *render_t.cell(), ""))
    rows.append(("  total, one process", *total_t.cell(), "target < 250 ms"))
    rows.append(("  throughput, 2 worker processes", f"{rate:.1f} img/s", "", "", "", ""))
    if vips is None:
        rows.append(("  pyvips anchor (subprocess)", "n/a", "", "", "", vips_note))
    else:
        ratio = statistics.median(total_t.cpu) / vips[1]
        rows.append(
            (
                "  pyvips anchor, same outputs (subprocess, 1 thread)",
                f"{vips[0]:.1f} ms",
                "",
                f"{vips[1]:.1f} ms",
                "",
                f"Pillow/pyvips CPU = {ratio:.2f} ({vips_note})",
            )
        )
    for layout, (cold, cached) in cards.items():
        rows.append((f"card.png {layout}, cold (new product)", *cold.cell(), "target p95 < 80 ms"))
        rows.append((f"card.png {layout}, cached", *cached.cell(1000, "µs"), "target < 2 ms"))

    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    header = ("measurement", "wall median", "wall p95", "CPU median", "CPU p95", "notes")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    load = os.getloadavg()[0]
    print(
        f"Media benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at start, {runs} runs (cards: {max(runs * 3, 20)})"
    )
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
