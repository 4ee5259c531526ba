"""Storage, local and on S3: key safety, atomic writes, de-duplication, full disks and garbage collection."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from media import InvalidKey
from media import LocalStorage
from media import MediaNotFound
from media import S3Storage
from media import Storage
from media import StorageError
from media import collect_garbage
from media import key_for
from media import key_from_name
from media import name_of
from media import validate_key
from tests.media.conftest import REPO
from tests.media.conftest import everything_stored
from tests.media.conftest import stored_files

DATA = b"\xff\xd8\xff\xe0 some image bytes"


def test_each_storage_satisfies_the_protocol(storage: Storage) -> None:
    assert isinstance(storage, Storage)


def test_keys_are_content_addressed_with_fan_out_directories() -> None:
    key = key_for(DATA, "jpg")
    digest = key.rsplit("/", 1)[1].removesuffix(".jpg")
    assert key == f"{digest[:2]}/{digest[2:4]}/{digest}.jpg"
    assert name_of(key) == f"{digest}.jpg"
    assert key_from_name(f"{digest}.jpg") == key


def test_put_read_open_exists_delete(storage: Storage) -> None:
    key = key_for(DATA, "jpg")
    assert not storage.exists(key)
    assert storage.put(key, DATA) is True
    assert storage.exists(key)
    assert storage.read(key) == DATA
    with storage.open(key) as handle:
        assert handle.read() == DATA
    assert list(storage.keys()) == [key]
    assert storage.delete(key) is True
    assert storage.delete(key) is False
    with pytest.raises(MediaNotFound, match="No media file"):
        storage.read(key)


def test_local_files_sit_under_the_root_in_fan_out_folders(local_storage: LocalStorage) -> None:
    key = key_for(DATA, "jpg")
    local_storage.put(key, DATA)
    assert local_storage.path(key).parent.parent.parent == local_storage.root
    assert everything_stored(local_storage) == [key]


def test_objects_are_named_by_key_under_the_prefix_with_immutable_caching(s3_storage: S3Storage) -> None:
    key = key_for(DATA, "jpg")
    s3_storage.put(key, DATA)
    assert everything_stored(s3_storage) == [f"media/{key}"]
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=f"media/{key}")
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/jpeg"


def test_the_same_bytes_are_stored_once(storage: Storage) -> None:
    key = key_for(DATA, "jpg")
    assert storage.put(key, DATA) is True
    assert storage.put(key, DATA) is False
    assert everything_stored(storage) == [f"media/{key}" if isinstance(storage, S3Storage) else key]


def test_a_local_file_stored_twice_is_not_rewritten(local_storage: LocalStorage) -> None:
    storage = local_storage
    key = key_for(DATA, "jpg")
    assert storage.put(key, DATA) is True
    before = storage.path(key).stat().st_mtime_ns
    time.sleep(0.01)
    assert storage.put(key, DATA) is False
    assert storage.path(key).stat().st_mtime_ns == before
    assert len(stored_files(storage.root)) == 1


def test_bytes_must_match_their_key(storage: Storage) -> None:
    with pytest.raises(InvalidKey, match="do not match"):
        storage.put(key_for(DATA, "jpg"), DATA + b"tampered")
    assert everything_stored(storage) == []


def test_writes_leave_no_temporary_files(local_storage: LocalStorage) -> None:
    storage = local_storage
    for index in range(5):
        data = DATA + bytes([index])
        storage.put(key_for(data, "webp"), data)
    assert all(not path.name.startswith(".tmp-") for path in stored_files(storage.root))


TRAVERSALS = [
    "../etc/passwd",
    "../../../../etc/passwd",
    "/etc/passwd",
    "ab/cd/../../../secret.jpg",
    "%2e%2e/%2e%2e/etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2fsecret",
    "..\\..\\windows\\win.ini",
    "ab/cd/" + "a" * 64 + ".jpg/../../x",
    "ab/cd/" + "a" * 64 + ".jpg\x00.png",
    "aa/aa/" + "a" * 64 + ".exe",
    "aa/aa/" + "A" * 64 + ".jpg",
    "bb/aa/" + "a" * 64 + ".jpg",  # fan-out does not match the digest
    "aa/aa/" + "a" * 63 + ".jpg",
    "aa/aa/" + "a" * 64 + ".jpg\n",
    "",
    ".",
    "..",
]


@pytest.mark.parametrize("key", TRAVERSALS)
def test_malformed_and_traversal_keys_are_refused(storage: Storage, key: str) -> None:
    for operation in (storage.open, storage.read, storage.exists, storage.delete):
        with pytest.raises(InvalidKey, match="not a media file name"):
            operation(key)
    with pytest.raises(InvalidKey):
        storage.put(key, DATA)
    with pytest.raises(InvalidKey):
        validate_key(key)


def test_no_traversal_key_becomes_a_local_path(local_storage: LocalStorage) -> None:
    for key in TRAVERSALS:
        with pytest.raises(InvalidKey, match="not a media file name"):
            local_storage.path(key)


@pytest.mark.parametrize("name", ["../x.jpg", "a" * 64 + ".gif", "%2e%2e.jpg", "a" * 64, ""])
def test_malformed_public_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidKey):
        key_from_name(name)


def test_non_string_keys_are_refused(storage: Storage) -> None:
    with pytest.raises(InvalidKey):
        storage.read(b"aa/bb/cc.jpg")  # type: ignore[arg-type]


_FULL_DISK_SCRIPT = textwrap.dedent(
    """
    import os, resource, signal, sys
    sys.path.insert(0, sys.argv[2])
    from media import LocalStorage, StorageFull, key_for
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))
    storage = LocalStorage(sys.argv[1])
    small = b"small" * 100
    storage.put(key_for(small, "jpg"), small)
    big = os.urandom(200_000)
    try:
        storage.put(key_for(big, "jpg"), big)
    except StorageFull as error:
        print("StorageFull", error.status, error)
    """
)


def test_a_full_disk_leaves_no_partial_file_and_raises_storage_full(tmp_path: Path) -> None:
    # The kernel refuses writes past RLIMIT_FSIZE with EFBIG: a real failing write, in a
    # child process so the limit does not touch the test runner.
    root = tmp_path / "media"
    result = subprocess.run(
        [sys.executable, "-c", _FULL_DISK_SCRIPT, str(root), str(REPO)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("StorageFull 507"), result.stdout + result.stderr
    assert "is full; nothing was saved" in result.stdout
    files = stored_files(root)
    assert [path.stat().st_size for path in files] == [500], "only the small file remains"


def test_write_failure_other_than_full_raises_storage_error(local_storage: LocalStorage) -> None:
    storage = local_storage
    key = key_for(DATA, "jpg")
    blocker = storage.path(key)
    (blocker / "occupied").mkdir(parents=True)  # a directory where the file should go
    with pytest.raises(StorageError, match="Could not write a media file"):
        storage.put(key, DATA)
    assert [p.name for p in stored_files(storage.root)] == []


def test_unusable_root_raises_storage_error(tmp_path: Path) -> None:
    root = tmp_path / "not-a-directory"
    root.write_bytes(b"")
    with pytest.raises(StorageError, match="Could not create a media directory"):
        LocalStorage(root).put(key_for(DATA, "jpg"), DATA)


def test_gc_lists_then_removes_unreferenced_files(storage: Storage) -> None:
    keys = []
    for index in range(4):
        data = DATA + bytes([index])
        keys.append(key_for(data, "webp"))
        storage.put(keys[-1], data)
    referenced = {keys[0].rsplit("/", 1)[1].split(".")[0], keys[1]}  # a digest and a key
    report = collect_garbage(storage, referenced, grace_seconds=0)
    assert report.dry_run and sorted(report.unreferenced) == sorted(keys[2:])
    assert report.removed == [] and report.kept == 2
    assert len(list(storage.keys())) == 4
    report = collect_garbage(storage, referenced, dry_run=False, grace_seconds=0)
    assert sorted(report.removed) == sorted(keys[2:])
    assert sorted(storage.keys()) == sorted(keys[:2])


def test_gc_keeps_files_younger_than_the_grace_period(storage: Storage) -> None:
    # an upload stores its files before its row commits: a collection meanwhile must not take them
    key = key_for(DATA + b"in flight", "webp")
    storage.put(key, DATA + b"in flight")
    written = dict(storage.listing())[key]
    report = collect_garbage(storage, set(), dry_run=False, now=written + 3599)
    assert report.recent == [key] and report.removed == [] and storage.exists(key)
    report = collect_garbage(storage, set(), dry_run=False, now=written + 3601)
    assert report.removed == [key] and not storage.exists(key)


def test_sweep_removes_only_old_temporary_files(local_storage: LocalStorage) -> None:
    storage = local_storage
    key = key_for(DATA, "jpg")
    storage.put(key, DATA)
    old = storage.path(key).parent / ".tmp-1-2-leftover"
    fresh = storage.path(key).parent / ".tmp-1-3-inflight"
    old.write_bytes(b"partial")
    fresh.write_bytes(b"partial")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert storage.sweep_temporary(older_than_seconds=3600) == [old]
    assert fresh.exists() and storage.exists(key)
    assert list(storage.keys()) == [key], "temporary files are never listed as keys"
