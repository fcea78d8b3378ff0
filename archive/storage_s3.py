"""The object store on MinIO (or any S3 service), for the scaled mode.

``STORAGE_URL=s3://ACCESS:SECRET@host:port/bucket?secure=false&region=us-east-1`` (``minio://``
is accepted too; credentials may be percent-encoded). The bucket is created on first use.
Keys are the product's content keys (``sha256/ab/cd/<hex>``), checked like every store does;
no user file name and no metadata reach the server, so nothing Chinese has to be encoded.
Uploads stream in parts; downloads are streams that release their connection when closed.
Every failure of the server or the network is a :class:`StorageError` (:class:`ObjectNotFound`
for a missing object), raised quickly when the server is down: short connect timeout, few retries.
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn, cast
from urllib.parse import parse_qs, unquote, urlparse

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from urllib3.exceptions import HTTPError
from urllib3.util import Retry, Timeout

from archive.storage import ObjectNotFound, ObjectStore, StorageError, check_key

log = logging.getLogger(__name__)

# Multipart above this size, one part at a time: at most one part is in memory, and no
# helper threads are left behind when an upload fails half-way.
PART_SIZE = 8 * 1024 * 1024
PARALLEL_PARTS = 1
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 120.0
READ_CHUNK = 1024 * 1024

_NOT_FOUND_CODES = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchBucket", "ResourceNotFound"})
_BUCKET_EXISTS_CODES = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class S3Location:
    """Where the store lives, parsed from a ``STORAGE_URL``."""

    endpoint: str  # host:port
    bucket: str
    access_key: str | None
    secret_key: str | None
    secure: bool
    region: str

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parsed = urlparse(url)
        if parsed.scheme not in ("s3", "minio"):
            raise ValueError("STORAGE_URL for S3 must start with s3:// or minio://")
        if not parsed.hostname:
            raise ValueError("STORAGE_URL has no host: expected s3://ACCESS:SECRET@host:port/bucket")
        bucket = parsed.path.strip("/")
        if not bucket or "/" in bucket:
            raise ValueError("STORAGE_URL must name exactly one bucket: s3://ACCESS:SECRET@host:port/bucket")
        if (parsed.username is None) != (parsed.password is None):
            raise ValueError("STORAGE_URL needs both the access key and the secret key, or neither")
        query = {k: v[-1] for k, v in parse_qs(parsed.query, keep_blank_values=True).items()}
        unknown = set(query) - {"secure", "region"}
        if unknown:
            raise ValueError(f"STORAGE_URL has unknown parameters: {', '.join(sorted(unknown))}")
        secure_raw = query.get("secure", "true").lower()
        if secure_raw not in _TRUE | _FALSE:
            raise ValueError(f"STORAGE_URL parameter secure must be true or false, got {secure_raw!r}")
        host = parsed.hostname if ":" not in parsed.hostname else f"[{parsed.hostname}]"
        endpoint = f"{host}:{parsed.port}" if parsed.port else host
        return cls(
            endpoint=endpoint,
            bucket=bucket,
            access_key=unquote(parsed.username) if parsed.username is not None else None,
            secret_key=unquote(parsed.password) if parsed.password is not None else None,
            secure=secure_raw in _TRUE,
            region=query.get("region") or "us-east-1",
        )


def _http_client(*, secure: bool) -> urllib3.PoolManager:
    """Short connect timeout and few retries: a down server fails in about a second."""
    return urllib3.PoolManager(
        timeout=Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
        maxsize=8,
        cert_reqs="CERT_REQUIRED" if secure else "CERT_NONE",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=Retry(
            total=3,
            connect=1,
            read=1,
            backoff_factor=0.2,
            status_forcelist=(500, 502, 503, 504),
        ),
    )


class _ObjectStream(io.RawIOBase):
    """A readable stream over an S3 GET response; closing it releases the connection."""

    def __init__(self, response: urllib3.BaseHTTPResponse, where: str):
        super().__init__()
        self._response = response
        self._where = where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._response.read(min(len(buffer), READ_CHUNK))
        except (HTTPError, OSError) as exc:
            raise StorageError(f"{self._where}: download interrupted: {exc}") from exc
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            try:
                self._response.close()
                self._response.release_conn()
            finally:
                super().close()


class S3Store(ObjectStore):
    """Originals in one bucket of a MinIO/S3 server."""

    def __init__(self, location: S3Location, *, client: Minio | None = None):
        self.location = location
        self._client = client or Minio(
            location.endpoint,
            access_key=location.access_key,
            secret_key=location.secret_key,
            secure=location.secure,
            region=location.region,
            http_client=_http_client(secure=location.secure),
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        return cls(S3Location.parse(url))

    @property
    def bucket(self) -> str:
        return self.location.bucket

    def describe(self) -> str:
        # Never the credentials.
        scheme = "https" if self.location.secure else "http"
        return f"MinIO/S3 {scheme}://{self.location.endpoint}/{self.location.bucket}"

    def __repr__(self) -> str:
        return f"S3Store({self.describe()!r})"

    # -- errors ---------------------------------------------------------------------------

    def _where(self, key: str | None = None) -> str:
        base = f"object store {self.location.endpoint}/{self.location.bucket}"
        return f"{base}/{key}" if key else base

    def _fail(self, action: str, exc: BaseException, key: str | None = None) -> NoReturn:
        where = self._where(key)
        if isinstance(exc, S3Error):
            if exc.code in _NOT_FOUND_CODES and key is not None:
                raise ObjectNotFound(f"object not found: {key}") from exc
            message = f"{where}: cannot {action}: {exc.code}: {exc.message}"
        elif isinstance(exc, (HTTPError, OSError)):
            message = f"{where}: cannot {action}: server unreachable ({type(exc).__name__})"
        else:
            message = f"{where}: cannot {action}: {exc}"
        log.warning("%s", message)
        raise StorageError(message) from exc

    # -- bucket ---------------------------------------------------------------------------

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        with self._bucket_lock:
            if self._bucket_ready:
                return
            try:
                if not self._client.bucket_exists(self.bucket):
                    try:
                        self._client.make_bucket(self.bucket, location=self.location.region)
                        log.info("created bucket %s on %s", self.bucket, self.location.endpoint)
                    except S3Error as exc:  # another process created it first: fine
                        if exc.code not in _BUCKET_EXISTS_CODES:
                            raise
            except (MinioException, HTTPError, OSError) as exc:
                self._fail("create the bucket", exc)
            self._bucket_ready = True

    # -- the ObjectStore interface --------------------------------------------------------

    def put_file(self, key: str, path: Path, *, content_type: str = "application/octet-stream") -> None:
        check_key(key)
        if not content_type.isascii() or not content_type.strip():
            content_type = "application/octet-stream"
        try:
            src = open(path, "rb")
        except OSError as exc:
            raise StorageError(f"cannot read {path} to store it as {key}: {exc}") from exc
        with src:
            self._ensure_bucket()
            try:
                self._client.put_object(
                    self.bucket,
                    key,
                    src,
                    os.fstat(src.fileno()).st_size,
                    content_type=content_type,
                    part_size=PART_SIZE,
                    num_parallel_uploads=PARALLEL_PARTS,
                )
            except (MinioException, HTTPError, OSError) as exc:
                self._fail("upload", exc, key)

    def open(self, key: str) -> BinaryIO:
        check_key(key)
        self._ensure_bucket()
        try:
            response = self._client.get_object(self.bucket, key)
        except (MinioException, HTTPError, OSError) as exc:
            self._fail("download", exc, key)
        stream = _ObjectStream(response, self._where(key))
        return cast(BinaryIO, io.BufferedReader(stream, buffer_size=READ_CHUNK))

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except ObjectNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        check_key(key)
        self._ensure_bucket()
        try:
            stat = self._client.stat_object(self.bucket, key)
        except (MinioException, HTTPError, OSError) as exc:
            self._fail("read the size of", exc, key)
        return int(stat.size or 0)

    def delete(self, key: str) -> None:
        check_key(key)
        self._ensure_bucket()
        try:
            self._client.remove_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in _NOT_FOUND_CODES:
                return
            self._fail("delete", exc, key)
        except (MinioException, HTTPError, OSError) as exc:
            self._fail("delete", exc, key)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        self._ensure_bucket()
        try:
            for obj in self._client.list_objects(self.bucket, prefix=prefix or None, recursive=True):
                if obj.object_name is not None and not obj.is_dir:
                    yield obj.object_name
        except (MinioException, HTTPError, OSError) as exc:
            self._fail("list", exc)

    # -- test and migration helpers -------------------------------------------------------

    def remove_bucket(self) -> None:
        """Delete every object and then the bucket itself (tests; never used by the product)."""
        for key in list(self.iter_keys()):
            self.delete(key)
        try:
            self._client.remove_bucket(self.bucket)
        except S3Error as exc:
            if exc.code != "NoSuchBucket":
                self._fail("remove the bucket", exc)
        except (MinioException, HTTPError, OSError) as exc:
            self._fail("remove the bucket", exc)
        self._bucket_ready = False
