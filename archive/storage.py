"""The object-store port: where originals live.

Keys are content-addressed (``sha256/ab/cd/<hex>``) and made by the product, never from a
user's file name, so no key can escape the store. Implementations: ``LocalStore`` (a local
directory, the embedded default) and the MinIO/S3 store (scaled mode).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$")


class StorageError(RuntimeError):
    """The store could not do what was asked (server down, disk full, …)."""


class ObjectNotFound(StorageError):
    pass


def check_key(key: str) -> str:
    if not _KEY_RE.match(key) or ".." in key or len(key) > 200:
        raise ValueError(f"invalid object key {key!r}")
    return key


def content_key(sha256_hex: str) -> str:
    """The content-addressed key for a file with this SHA-256."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256_hex):
        raise ValueError(f"not a SHA-256 hex digest: {sha256_hex!r}")
    return f"sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


class ObjectStore(ABC):
    """Small interface every store implements; see tests/conformance/test_object_store.py."""

    @abstractmethod
    def put_file(self, key: str, path: Path, *, content_type: str = "application/octet-stream") -> None:
        """Store the file at ``path`` under ``key`` (streamed, never read whole into memory)."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the object; the caller closes it."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def size(self, key: str) -> int: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; removing a missing object is not an error."""

    @abstractmethod
    def iter_keys(self, prefix: str = "") -> Iterator[str]: ...

    def describe(self) -> str:
        return type(self).__name__

    def download_to(self, key: str, dest: Path) -> None:
        with self.open(key) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)


class LocalStore(ObjectStore):
    """A directory on the local disk. Writes are atomic (temp file + rename)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        return f"本地目录 {self.root}"

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise ValueError(f"invalid object key {key!r}")
        return path

    def put_file(self, key: str, path: Path, *, content_type: str = "application/octet-stream") -> None:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, dest)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise StorageError(f"cannot write {key}: {exc}") from exc

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and not p.name.startswith(".upload-"):
                key = p.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key


def open_store(url: str) -> ObjectStore:
    """``file:///abs/dir`` → LocalStore; ``s3://`` / ``minio://`` → the MinIO store."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalStore(Path(parsed.path))
    if parsed.scheme in ("s3", "minio"):
        from archive.storage_s3 import S3Store  # imported lazily: optional backend

        return S3Store.from_url(url)
    raise ValueError(f"unsupported STORAGE_URL scheme: {url!r}")
