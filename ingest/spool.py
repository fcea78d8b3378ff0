"""Uploads are streamed to a temporary file under ``<data_dir>/tmp`` while hashing and
counting; nothing is ever read whole into memory."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from juanzong.settings import Settings

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The stream passed ``limit`` bytes; the temporary file is already deleted."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"upload larger than {limit} bytes")


@dataclass(frozen=True)
class Spooled:
    path: Path
    sha256: str
    size: int


def temp_dir(settings: Settings) -> Path:
    path = settings.data_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def temp_path(settings: Settings, prefix: str) -> Path:
    """A new empty file in the temp dir; the caller deletes it."""
    fd, name = tempfile.mkstemp(dir=temp_dir(settings), prefix=prefix)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def spooled(stream: BinaryIO, settings: Settings, *, limit: int) -> Iterator[Spooled]:
    """Copy ``stream`` to a temp file (deleted on exit), raising ``TooLarge`` past ``limit``."""
    path = temp_path(settings, "upload-")
    try:
        digest = hashlib.sha256()
        size = 0
        with open(path, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(limit)
                digest.update(chunk)
                out.write(chunk)
        yield Spooled(path=path, sha256=digest.hexdigest(), size=size)
    finally:
        path.unlink(missing_ok=True)


def human_size(n: int) -> str:
    """``200 MB``, ``1.5 MB``, ``64 KB``, ``100 字节``."""
    mib, kib = 1024 * 1024, 1024
    if n >= mib:
        return f"{n // mib} MB" if n % mib == 0 else f"{n / mib:.1f} MB"
    if n >= kib:
        return f"{n // kib} KB" if n % kib == 0 else f"{n / kib:.1f} KB"
    return f"{n} 字节"
