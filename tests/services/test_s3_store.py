"""The MinIO/S3 store beyond the shared conformance suite: its URL, its bucket, what it sends.

The URL tests need no server; the others run against the MinIO of scripts/services/.
"""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from minio import Minio

from archive.storage import ObjectNotFound, StorageError, content_key, open_store
from archive.storage_s3 import PART_SIZE, S3Location, S3Store
from tests.services.service_urls import with_bucket

MiB = 1024 * 1024


# -- the URL (no server) ------------------------------------------------------------------------


def test_url_with_everything():
    loc = S3Location.parse(
        "s3://AKIA:s%2Fe%40cret@127.0.0.1:59000/juanzong-originals?secure=false&region=cn-north-1"
    )
    assert loc == S3Location(
        endpoint="127.0.0.1:59000",
        bucket="juanzong-originals",
        access_key="AKIA",
        secret_key="s/e@cret",
        secure=False,
        region="cn-north-1",
    )


def test_minio_scheme_and_defaults():
    loc = S3Location.parse("minio://minio.internal/originals")
    assert loc == S3Location(
        endpoint="minio.internal",
        bucket="originals",
        access_key=None,
        secret_key=None,
        secure=True,
        region="us-east-1",
    )


@pytest.mark.parametrize(
    "url",
    [
        "s3://k:s@host:9000",  # no bucket
        "s3://k:s@host:9000/",  # no bucket
        "s3://k:s@host:9000/bucket/extra",  # a prefix is not supported
        "s3://k:s@host:9000/bucket?secure=maybe",
        "s3://k:s@host:9000/bucket?timeout=3",  # unknown parameter
        "s3://k@host:9000/bucket",  # access key without secret
        "s3:///bucket",  # no host
        "http://host/bucket",
    ],
)
def test_bad_urls_are_refused(url: str):
    with pytest.raises(ValueError):
        S3Location.parse(url)


def test_open_store_builds_an_s3_store_and_hides_the_secret():
    store = open_store("s3://key:top-secret-value@127.0.0.1:59000/originals?secure=false")
    assert isinstance(store, S3Store)
    assert store.describe() == "MinIO/S3 http://127.0.0.1:59000/originals"
    assert "top-secret-value" not in repr(store)


# -- against MinIO ------------------------------------------------------------------------------


@pytest.fixture
def bucket_url(minio_url: str) -> Iterator[str]:
    url = with_bucket(minio_url, f"jz-s3-{uuid.uuid4().hex[:20]}")
    yield url
    S3Store.from_url(url).remove_bucket()


def _client(store: S3Store) -> Minio:
    loc = store.location
    return Minio(loc.endpoint, loc.access_key, loc.secret_key, secure=loc.secure, region=loc.region)


@pytest.mark.service("minio")
def test_bucket_is_created_on_first_use_by_racing_stores(bucket_url: str, tmp_path: Path):
    stores = [S3Store.from_url(bucket_url) for _ in range(4)]
    assert not _client(stores[0]).bucket_exists(stores[0].bucket)
    sources = []
    for i in range(4):
        sources.append(tmp_path / f"{i}.bin")
        sources[-1].write_bytes(f"document {i}".encode())
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: stores[i].put_file(f"sha256/00/00/doc-{i}", sources[i]), range(4)))
    assert sorted(stores[0].iter_keys()) == [f"sha256/00/00/doc-{i}" for i in range(4)]


@pytest.mark.service("minio")
def test_no_metadata_and_only_an_ascii_content_type(bucket_url: str, tmp_path: Path):
    store = S3Store.from_url(bucket_url)
    source = tmp_path / "（2023）京0105民初12345号 判决书.pdf"  # the name never reaches the server
    source.write_bytes(b"%PDF-1.7 test")
    key = content_key(hashlib.sha256(b"%PDF-1.7 test").hexdigest())
    store.put_file(key, source, content_type="application/pdf")
    stat = _client(store).stat_object(store.bucket, key)
    assert stat.content_type == "application/pdf"
    assert {k for k in (stat.metadata or {}) if k.lower().startswith("x-amz-meta-")} == set()
    store.put_file("sha256/00/00/other", source, content_type="文本/纯文本")
    assert _client(store).stat_object(store.bucket, "sha256/00/00/other").content_type == (
        "application/octet-stream"
    )


@pytest.mark.service("minio")
def test_large_upload_is_multipart_and_never_whole_in_memory(bucket_url: str, tmp_path: Path):
    store = S3Store.from_url(bucket_url)
    source = tmp_path / "big.bin"
    block = os.urandom(MiB)
    with open(source, "wb") as out:
        for i in range(40):
            out.write(block[i:] + block[:i])
    key = "sha256/ab/cd/big"
    tracemalloc.start()
    try:
        store.put_file(key, source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    parts = -(-40 * MiB // PART_SIZE)
    assert _client(store).stat_object(store.bucket, key).etag.endswith(f"-{parts}")  # multipart ETag
    assert peak < 3 * PART_SIZE < 40 * MiB


@pytest.mark.service("minio")
def test_wrong_credentials_are_a_storage_error_not_a_missing_object(minio_url: str):
    loc = S3Location.parse(minio_url)
    store = S3Store(
        S3Location(
            endpoint=loc.endpoint,
            bucket=f"jz-s3-{uuid.uuid4().hex[:20]}",
            access_key="not-a-user",
            secret_key="not-the-password",
            secure=loc.secure,
            region=loc.region,
        )
    )
    with pytest.raises(StorageError) as info:
        store.exists("sha256/00/00/x")
    assert not isinstance(info.value, ObjectNotFound)
    assert "not-the-password" not in str(info.value)
