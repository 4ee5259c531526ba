"""Media in object storage through the S3 API (AWS, MinIO, Ceph, Alibaba OSS, Tencent COS).

Objects are named ``<prefix>/<key>`` with the same content-addressed keys as local files, and
carry their ``Content-Type`` and an immutable ``Cache-Control``, so a CDN or a browser that
fetches them straight from the bucket keeps them for a year. Credentials, region and endpoint
come from the standard ``AWS_*`` variables (``AWS_ENDPOINT_URL`` included), read by boto3;
nothing here ever names them in a message.
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError
from botocore.exceptions import ClientError

from media.errors import MediaNotFound
from media.errors import StorageUnavailable
from media.serving import CACHE_CONTROL_IMMUTABLE
from media.serving import content_type_for
from media.storage import _KEY
from media.storage import name_of
from media.storage import require_matching_bytes
from media.storage import validate_key

T = t.TypeVar("T")
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
ADDRESSING_STYLES = ("auto", "path", "virtual")


class BucketProblem(Exception):
    """The bucket is missing or refuses this catalog's credentials (a definite answer, not an outage)."""


def make_client(timeout: float = 5.0, addressing_style: str = "auto") -> t.Any:
    """A boto3 S3 client configured from the ``AWS_*`` environment, with short timeouts and few retries."""
    if addressing_style not in ADDRESSING_STYLES:
        raise ValueError(f"the S3 addressing style is one of {', '.join(ADDRESSING_STYLES)}")
    config = Config(
        connect_timeout=timeout,
        read_timeout=timeout,
        retries={"max_attempts": 2, "mode": "standard"},
        signature_version="s3v4",
        s3={"addressing_style": addressing_style},
        # Checksums only where the API requires them: S3-compatible services other than AWS
        # (Ceph, MinIO, OSS, COS) refuse the newer default checksum headers.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client("s3", config=config)


class S3Storage:
    """Content-addressed objects in one bucket, under an optional prefix."""

    def __init__(self, bucket: str, prefix: str = "", *, client: t.Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    def __repr__(self) -> str:
        endpoint = urlsplit(str(self.client.meta.endpoint_url))
        host = endpoint.hostname or ""
        where = f"{host}:{endpoint.port}" if endpoint.port else host
        return f"S3Storage({self.location!r} at {where})"

    @property
    def location(self) -> str:
        """``s3://bucket/prefix``: what the storage is, without credentials."""
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def object_name(self, key: str) -> str:
        """The object's name in the bucket: the key under the prefix."""
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> bool:
        require_matching_bytes(key, data)
        if self.exists(key):
            return False
        self._call(
            "write",
            key,
            self.client.put_object,
            Body=data,
            ContentType=content_type_for(key),
            CacheControl=CACHE_CONTROL_IMMUTABLE,
        )
        return True

    def read(self, key: str) -> bytes:
        with self.open(key) as body:
            return body.read()

    def open(self, key: str) -> t.BinaryIO:
        answer = self._call("read", key, self.client.get_object)
        return t.cast(t.BinaryIO, answer["Body"])

    def exists(self, key: str) -> bool:
        try:
            self._call("look up", key, self.client.head_object)
        except MediaNotFound:
            return False
        return True

    def delete(self, key: str) -> bool:
        if not self.exists(key):
            return False
        self._call("delete", key, self.client.delete_object)
        return True

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.listing())

    def listing(self) -> Iterator[tuple[str, float]]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
        try:
            for page in pages:
                for item in page.get("Contents", ()):
                    key = str(item["Key"])[len(start) :]
                    if _KEY.match(key):
                        yield key, item["LastModified"].timestamp()
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(f"Could not list the media storage: {_reason(error)}.") from error

    def link(self, key: str, seconds: int) -> str:
        """A presigned URL that fetches *key* straight from the bucket for *seconds*."""
        params = {"Bucket": self.bucket, "Key": self.object_name(key)}
        return str(self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds))

    def check(self) -> None:
        """Ask for the bucket once: :class:`BucketProblem` if it is missing or refused, else ready.

        :raises StorageUnavailable: the storage cannot be reached right now.
        """
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            code = _code(error)
            if code in ("404", "NoSuchBucket", "NotFound"):
                raise BucketProblem(
                    f"the bucket {self.bucket!r} does not exist at the S3 endpoint"
                ) from error
            if code in ("401", "403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise BucketProblem(
                    f"the S3 endpoint refuses access to the bucket {self.bucket!r}: check the AWS_* credentials"
                ) from error
            raise StorageUnavailable(f"the bucket {self.bucket!r} could not be checked: {code}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"the S3 endpoint could not be reached: {_reason(error)}") from error

    def _call(self, action: str, key: str, operation: t.Callable[..., T], **arguments: t.Any) -> T:
        try:
            return operation(Bucket=self.bucket, Key=self.object_name(key), **arguments)
        except ClientError as error:
            if _code(error) in _MISSING:
                raise MediaNotFound(f"No media file {name_of(key)} is stored.") from error
            raise StorageUnavailable(
                f"The media storage refused to {action} {name_of(key)}: {_reason(error)}."
            ) from error
        except BotoCoreError as error:
            raise StorageUnavailable(
                f"The media storage could not {action} {name_of(key)}: {_reason(error)}."
            ) from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _reason(error: Exception) -> str:
    """What went wrong, by kind only: botocore's messages may name the endpoint's address."""
    if isinstance(error, ClientError):
        return _code(error) or "refused"
    return type(error).__name__
