"""The upload use case end to end: store, de-duplicate, roll back, re-crop."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from media import LocalStorage
from media import Storage
from media import recrop_card
from media import store_upload
from media.locks import KeyedLocks
from tests.media import samples
from tests.media.conftest import REPO
from tests.media.conftest import everything_stored
from tests.media.conftest import stored_files


def test_upload_stores_six_renditions_and_reports_them(storage: Storage) -> None:
    data = samples.photo((2400, 1800), quality=90)
    stored = store_upload(storage, data)
    assert (stored.format, stored.width, stored.height) == ("JPEG", 2400, 1800)
    assert len(stored.stored_keys()) == 6
    assert sorted(storage.keys()) == sorted(stored.stored_keys())
    zoom = stored.renditions["zoom"]["webp"]
    assert (zoom.width, zoom.height) == (1600, 1200)
    assert zoom.content_type == "image/webp"
    assert stored.renditions["card"]["jpeg"].name.endswith(".jpg")
    assert len(storage.read(zoom.key)) == zoom.size_bytes


def test_the_same_upload_twice_is_stored_once(storage: Storage) -> None:
    data = samples.photo((800, 600))
    first = store_upload(storage, data)
    files = everything_stored(storage)
    second = store_upload(storage, data)
    assert first == second
    assert everything_stored(storage) == files and len(files) == 6


def test_focal_point_changes_only_the_card(storage: Storage) -> None:
    data = samples.photo((1200, 600))
    centred = store_upload(storage, data)
    shifted = store_upload(storage, data, focal=(0.1, 0.5))
    assert centred.renditions["zoom"] == shifted.renditions["zoom"]
    assert centred.renditions["card"]["webp"].key != shifted.renditions["card"]["webp"].key


def test_recrop_makes_the_card_from_the_stored_zoom(storage: Storage) -> None:
    image = Image.new("RGB", (1200, 600), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 300, 600))
    stored = store_upload(storage, samples.encode(image, "PNG"))
    card = recrop_card(storage, stored.renditions["zoom"]["webp"].key, (0.0, 0.5))
    left = Image.open(io.BytesIO(storage.read(card["jpeg"].key))).convert("RGB")
    assert left.size == (600, 600)
    red, _, blue = samples.pixel(left, (20, 300))
    assert red > 200 and blue < 60
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        recrop_card(storage, stored.renditions["zoom"]["webp"].key, (2.0, 0.5))


def test_concurrent_recrops_agree(storage: Storage) -> None:
    stored = store_upload(storage, samples.photo((1200, 900)))
    zoom = stored.renditions["zoom"]["webp"].key
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(recrop_card(storage, zoom, (0.2, 0.4))))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(result == results[0] for result in results)
    assert len(everything_stored(storage)) == 8, "six renditions and the two new cards, nothing else"


def test_keyed_locks_serialise_one_key_and_not_others() -> None:
    locks = KeyedLocks()
    active: dict[str, int] = {"a": 0, "b": 0}
    peak: dict[str, int] = {"a": 0, "b": 0}
    guard = threading.Lock()

    def work(key: str) -> None:
        with locks.hold(key):
            with guard:
                active[key] += 1
                peak[key] = max(peak[key], active[key])
            time.sleep(0.02)
            with guard:
                active[key] -= 1

    threads = [threading.Thread(target=work, args=(key,)) for key in "aaabbb"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == {"a": 1, "b": 1}
    assert len(locks) == 0, "locks are dropped when nobody holds them"


_ROLLBACK_SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    sys.path.insert(0, sys.argv[2])
    from media import LocalStorage, StorageFull, store_upload
    data = open(sys.argv[3], "rb").read()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    try:
        store_upload(LocalStorage(sys.argv[1]), data)
    except StorageFull as error:
        print("StorageFull", error.status)
    """
)


def test_storage_failure_part_way_removes_what_the_upload_wrote(tmp_path: Path) -> None:
    source = tmp_path / "upload.jpg"
    source.write_bytes(samples.photo((2000, 1500), quality=92))
    root = tmp_path / "media"
    result = subprocess.run(
        [sys.executable, "-c", _ROLLBACK_SCRIPT, str(root), str(REPO), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "StorageFull 507", result.stdout + result.stderr
    assert stored_files(root) == [], "the thumbnails written before the failure are gone"


def test_rollback_keeps_files_that_existed_before(tmp_path: Path) -> None:
    root = tmp_path / "media"
    data = samples.photo((2000, 1500), quality=92)
    earlier = store_upload(LocalStorage(root), samples.photo((100, 80)))
    source = tmp_path / "upload.jpg"
    source.write_bytes(data)
    subprocess.run(
        [sys.executable, "-c", _ROLLBACK_SCRIPT, str(root), str(REPO), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert sorted(LocalStorage(root).keys()) == sorted(earlier.stored_keys())
