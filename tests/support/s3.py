"""The session's S3 server (S3Proxy on its filesystem backend): started once, on first use, stopped at exit.

Each test gets a bucket of its own (:func:`new_bucket`), so tests never see each other's
objects. On a machine without Java or Maven the S3 cases skip with the reason, unless
``CI=true``, where a server that cannot start is a failure.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import typing as t
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from media import S3Storage
from tests.support.missing import unavailable
from tools.engines import NodeBuildError
from tools.s3proxy import S3Proxy

_root = Path(tempfile.mkdtemp(prefix="tianshan-s3-"))
_server: list[S3Proxy] = []
_failed: list[BaseException] = []


def server() -> S3Proxy:
    """The session's S3Proxy, started on first use."""
    if _failed:
        _give_up(_failed[0])
    if _server and _server[0].process is not None and _server[0].process.poll() is None:
        return _server[0]
    proxy = S3Proxy(_root)
    try:
        proxy.start()
    except NodeBuildError as error:
        _failed.append(error)
        _give_up(error)
    _server[:] = [proxy]
    return proxy


def _give_up(error: BaseException) -> t.NoReturn:
    unavailable(f"cannot run S3Proxy here: {error}")


def client(proxy: S3Proxy | None = None) -> t.Any:
    """A boto3 client of the session's server, with its credentials."""
    proxy = proxy or server()
    settings = proxy.environment()
    return boto3.client(
        "s3",
        endpoint_url=settings["AWS_ENDPOINT_URL"],
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
        region_name=settings["AWS_DEFAULT_REGION"],
        config=Config(
            request_checksum_calculation="when_required", response_checksum_validation="when_required"
        ),
    )


def new_bucket() -> str:
    """A fresh, empty bucket on the session's server."""
    name = f"t-{uuid.uuid4().hex[:20]}"
    client().create_bucket(Bucket=name)
    return name


def new_storage(prefix: str = "media") -> S3Storage:
    """Storage in a fresh bucket of the session's server, under *prefix*."""
    return S3Storage(new_bucket(), prefix, client=client())


def object_names(bucket: str) -> list[str]:
    """Every object in *bucket*, whatever its name (stray or half-written ones included).

    The filesystem backend also lists its folders (``media/``, ``media/ab/``): those are no objects.
    """
    answer = client().list_objects_v2(Bucket=bucket)
    names = (str(item["Key"]) for item in answer.get("Contents", ()))
    return sorted(name for name in names if not name.endswith("/"))


@atexit.register
def stop() -> None:
    """Stop the server this session started."""
    for proxy in _server:
        proxy.stop()
    _server.clear()
    shutil.rmtree(_root, ignore_errors=True)
