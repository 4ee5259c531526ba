"""Object storage that is down, slow, missing or refusing: clear errors, nothing half-written, no secrets."""

from __future__ import annotations

import socket
import threading
import typing as t

import boto3
import pytest
from botocore.config import Config

from media import MediaNotFound
from media import S3Storage
from media import StorageUnavailable
from media import key_for
from media import open_storage
from media import store_upload
from media.s3 import BucketProblem
from tests.media import samples
from tests.support import s3
from tools.s3proxy import CREDENTIAL

pytestmark = pytest.mark.s3
DATA = b"\xff\xd8\xff\xe0 object bytes"


def client_for(endpoint: str, secret: str = CREDENTIAL, timeout: float = 1.0) -> t.Any:
    settings = s3.server().environment()
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=secret,
        region_name="us-east-1",
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_store_refuses_with_503_and_writes_nothing() -> None:
    bucket = s3.new_bucket()
    storage = S3Storage(bucket, "media", client=client_for(f"http://127.0.0.1:{closed_port()}"))
    with pytest.raises(StorageUnavailable) as raised:
        store_upload(storage, samples.photo((400, 300)))
    assert raised.value.status == 503
    assert "127.0.0.1" not in str(raised.value), "the message names no address"
    assert s3.object_names(bucket) == []
    with pytest.raises(StorageUnavailable):
        storage.check()


def test_wrong_credentials_are_refused_without_naming_them() -> None:
    bucket = s3.new_bucket()
    wrong = "wrong-secret-never-shown-0123456789"
    storage = S3Storage(bucket, "", client=client_for(s3.server().endpoint, secret=wrong))
    with pytest.raises(StorageUnavailable) as raised:
        storage.put(key_for(DATA, "jpg"), DATA)
    with pytest.raises(BucketProblem, match="refuses access") as refused:
        storage.check()
    for error in (raised.value, refused.value):
        assert wrong not in str(error) and CREDENTIAL not in str(error)
    assert s3.object_names(bucket) == []


def test_a_missing_bucket_is_named_and_a_missing_object_is_not_found() -> None:
    with pytest.raises(BucketProblem, match="'no-such-bucket-here' does not exist"):
        S3Storage("no-such-bucket-here", "", client=s3.client()).check()
    storage = s3.new_storage()
    storage.check()
    with pytest.raises(MediaNotFound):
        storage.read(key_for(DATA, "png"))


def test_a_store_that_never_answers_times_out_as_unavailable() -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections and never answers a byte
    try:
        port = silent.getsockname()[1]
        storage = S3Storage(s3.new_bucket(), "", client=client_for(f"http://127.0.0.1:{port}", timeout=0.5))
        with pytest.raises(StorageUnavailable, match="ReadTimeout"):
            storage.read(key_for(DATA, "jpg"))
    finally:
        silent.close()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://bucket/x",
        "s3://KEY:hunter2-secret@bucket/x",
        "s3://Bad_Bucket/x",
        "s3://bucket/x?acl=1",
        "file://host/x",
        "media",
    ],
)
def test_media_urls_that_name_no_usable_storage_are_refused_in_one_line(url: str) -> None:
    from media import StorageLocationError

    with pytest.raises(StorageLocationError) as raised:
        open_storage(url)
    message = str(raised.value)
    assert "\n" not in message and "TIANSHAN_MEDIA_URL" in message
    assert "hunter2" not in message


def test_reads_of_one_storage_from_many_threads_agree() -> None:
    storage = s3.new_storage()
    key = key_for(DATA, "jpg")
    storage.put(key, DATA)
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(storage.read(key))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [DATA] * 6
