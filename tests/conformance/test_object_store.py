"""One conformance suite for every object store: the local directory and MinIO (S3).

The MinIO case runs when ``JUANZONG_TEST_MINIO_URL`` is set (``scripts/services/all.sh up``
then ``eval "$(scripts/services/all.sh env)"``) and is skipped with a SERVICE-MISSING reason
otherwise. Each test gets a fresh directory or a fresh bucket.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from archive.storage import LocalStore, ObjectNotFound, ObjectStore, StorageError, content_key
from archive.storage_s3 import S3Store
from tests.services.service_urls import service_url, with_bucket

MiB = 1024 * 1024
# Every byte value, then a stretch that is not valid UTF-8 in any encoding.
BINARY = bytes(range(256)) * 3 + b"\x00\xff\xfe\x80\r\n\x1a" + "卷宗".encode("gb18030")
INVALID_KEYS = ["", "../x", "a/../b", "/abs", "Upper/Case", "sha256/AB/cd", "a//b", "a b"]


def _local(tmp_path: Path) -> Iterator[ObjectStore]:
    yield LocalStore(tmp_path / "objects")


def _minio(tmp_path: Path) -> Iterator[ObjectStore]:
    url = service_url("minio")
    store = S3Store.from_url(with_bucket(url, f"jz-conf-{uuid.uuid4().hex[:20]}"))
    try:
        yield store
    finally:
        store.remove_bucket()


FACTORIES: dict[str, Callable[[Path], Iterator[ObjectStore]]] = {"local": _local, "minio": _minio}


@pytest.fixture(params=["local", pytest.param("minio", marks=pytest.mark.service("minio"))])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    yield from FACTORIES[request.param](tmp_path)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[bytes], Path]:
    counter = iter(range(1_000_000))

    def _write(data: bytes) -> Path:
        path = tmp_path / f"src-{next(counter)}.bin"
        path.write_bytes(data)
        return path

    return _write


def _key(data: bytes) -> str:
    return content_key(hashlib.sha256(data).hexdigest())


def test_binary_content_round_trips_exactly(store: ObjectStore, write):
    key = _key(BINARY)
    store.put_file(key, write(BINARY), content_type="application/pdf")
    with store.open(key) as stream:
        assert stream.read() == BINARY


def test_partial_reads_and_early_close(store: ObjectStore, write):
    key = _key(BINARY)
    store.put_file(key, write(BINARY))
    # More early closes than the S3 connection pool holds: each must give its connection back.
    for _ in range(12):
        with store.open(key) as stream:
            assert stream.read(5) == BINARY[:5]
            assert stream.read(3) == BINARY[5:8]
    with store.open(key) as stream:
        assert stream.read(10) + stream.read() == BINARY


def test_twenty_megabyte_file_is_streamed_and_intact(store: ObjectStore, tmp_path: Path):
    source = tmp_path / "big.bin"
    block = os.urandom(MiB)
    expected = hashlib.sha256()
    with open(source, "wb") as out:
        for i in range(20):
            chunk = block[i:] + block[:i]  # 20 different MiB blocks, cheap to make
            out.write(chunk)
            expected.update(chunk)
    key = content_key(expected.hexdigest())
    store.put_file(key, source)
    assert store.size(key) == 20 * MiB
    got = hashlib.sha256()
    total = 0
    with store.open(key) as stream:
        while chunk := stream.read(MiB):
            got.update(chunk)
            total += len(chunk)
    assert total == 20 * MiB
    assert got.hexdigest() == expected.hexdigest()


def test_empty_file(store: ObjectStore, write):
    key = _key(b"")
    store.put_file(key, write(b""))
    assert store.exists(key) is True
    assert store.size(key) == 0
    with store.open(key) as stream:
        assert stream.read() == b""


def test_size_and_exists(store: ObjectStore, write):
    key = _key(BINARY)
    assert store.exists(key) is False
    store.put_file(key, write(BINARY))
    assert store.exists(key) is True
    assert store.size(key) == len(BINARY)


def test_delete_and_delete_missing(store: ObjectStore, write):
    key = _key(BINARY)
    store.put_file(key, write(BINARY))
    store.delete(key)
    assert store.exists(key) is False
    assert list(store.iter_keys()) == []
    store.delete(key)  # deleting a missing object is not an error
    store.delete("sha256/00/00/never-stored")


def test_missing_object_raises_object_not_found(store: ObjectStore):
    key = _key(b"never stored")
    with pytest.raises(ObjectNotFound):
        store.open(key)
    with pytest.raises(ObjectNotFound):
        store.size(key)
    with pytest.raises(ObjectNotFound):
        store.download_to(key, Path(os.devnull))


def test_iter_keys_with_prefix(store: ObjectStore, write):
    keys = ["sha256/aa/bb/one", "sha256/aa/cc/two", "sha256/ab/dd/three", "other/four", "sha256-x"]
    for i, key in enumerate(keys):
        store.put_file(key, write(f"object {i}".encode()))
    assert sorted(store.iter_keys()) == sorted(keys)
    assert sorted(store.iter_keys("sha256/aa/")) == ["sha256/aa/bb/one", "sha256/aa/cc/two"]
    assert sorted(store.iter_keys("sha256/a")) == [
        "sha256/aa/bb/one",
        "sha256/aa/cc/two",
        "sha256/ab/dd/three",
    ]
    assert sorted(store.iter_keys("sha256")) == sorted(k for k in keys if k.startswith("sha256"))
    assert list(store.iter_keys("nothing/")) == []


@pytest.mark.parametrize("key", INVALID_KEYS)
def test_invalid_keys_are_rejected(store: ObjectStore, write, key: str):
    source = write(b"data")
    with pytest.raises(ValueError):
        store.put_file(key, source)
    with pytest.raises(ValueError):
        store.open(key)
    with pytest.raises(ValueError):
        store.exists(key)
    with pytest.raises(ValueError):
        store.size(key)
    with pytest.raises(ValueError):
        store.delete(key)
    assert list(store.iter_keys()) == []


def test_overwrite_same_key_keeps_the_last_version(store: ObjectStore, write):
    key = "sha256/12/34/same"
    store.put_file(key, write(b"first version, longer"))
    store.put_file(key, write(b"second"))
    with store.open(key) as stream:
        assert stream.read() == b"second"
    assert store.size(key) == 6
    assert list(store.iter_keys()) == [key]


def test_missing_source_file_is_a_storage_error(store: ObjectStore, tmp_path: Path):
    with pytest.raises(StorageError):
        store.put_file("sha256/00/11/x", tmp_path / "no-such-file.bin")
    assert list(store.iter_keys()) == []


def test_download_to_copies_the_object(store: ObjectStore, write, tmp_path: Path):
    key = _key(BINARY)
    store.put_file(key, write(BINARY))
    dest = tmp_path / "copy.bin"
    store.download_to(key, dest)
    assert dest.read_bytes() == BINARY


# -- S3 only ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_s3_store_on_a_down_server_raises_storage_error(tmp_path: Path):
    """Nothing listens on the port: every call fails at once with StorageError, never hangs."""
    store = S3Store.from_url(f"s3://key:secret-key@127.0.0.1:{_free_port()}/jz-down?secure=false")
    source = tmp_path / "x.bin"
    source.write_bytes(b"x")
    key = "sha256/00/11/x"
    calls: list[Callable[[], object]] = [
        lambda: store.put_file(key, source),
        lambda: store.open(key),
        lambda: store.exists(key),
        lambda: store.size(key),
        lambda: store.delete(key),
        lambda: list(store.iter_keys()),
    ]
    for call in calls:
        with pytest.raises(StorageError) as info:
            call()
        assert not isinstance(info.value, ObjectNotFound)
        assert "server unreachable" in str(info.value)
        assert "secret-key" not in str(info.value)
