"""The on-disk side of the embedded engine: generations of tantivy indexes under one
directory, the CURRENT pointer that names the live one, and the writer lock.

    <path>/CURRENT          name of the live generation, e.g. "v1-000003"
    <path>/v1-000003/       a tantivy index
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from pathlib import Path

import tantivy

from search.api import SearchError
from search.engines.tantivy_schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

# tantivy's indexing arena (a budget: filled as documents are added, a segment is written
# when it is full). Upserts (the worker: a few documents at a time) use tantivy's minimum,
# so a worker's memory stays small; a rebuild uses more for fewer, larger segments. One
# indexing thread each: the machine may have two cores and the web process needs one.
WRITER_HEAP_BYTES = 15_000_000
REBUILD_HEAP_BYTES = 50_000_000
WRITER_THREADS = 1

_GENERATION_RE = re.compile(rf"v{SCHEMA_VERSION}-(\d{{6}})")
_ANY_GENERATION_RE = re.compile(r"v\d+-\d{6}")

Stamp = tuple[int, int, int] | None


def file_stamp(path: Path) -> Stamp:
    """(inode, mtime, size) of ``path``: changes whenever the file is replaced."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Generation:
    """One opened tantivy index directory and the commit its reader last loaded."""

    def __init__(self, directory: Path, schema: tantivy.Schema) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(schema, path=str(directory), reuse=True)
        self.index.config_reader(reload_policy="Manual")
        self.meta_seen = self.meta_stamp()

    def meta_stamp(self) -> Stamp:
        return file_stamp(self.directory / "meta.json")

    def reload_if_committed(self) -> None:
        """Reload the reader if a commit (by any process) replaced meta.json."""
        stamp = self.meta_stamp()
        if stamp != self.meta_seen:
            self.index.reload()
            self.meta_seen = stamp


class IndexDirectory:
    """The directory of generations and its CURRENT pointer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    @property
    def current_file(self) -> Path:
        return self.path / "CURRENT"

    def current_stamp(self) -> Stamp:
        return file_stamp(self.current_file)

    def current_name(self) -> str:
        """The live generation; a fresh one if there is none or it has another schema."""
        name = self.current_file.read_text(encoding="ascii").strip() if self.current_file.exists() else ""
        if not _GENERATION_RE.fullmatch(name):
            if name:
                log.warning(
                    "index %s holds %s (another index schema); starting empty: the worker's start-up "
                    "reconcile refills it (or run `juanzong reindex`)",
                    self.path,
                    name,
                )
            name = self.next_name()
            self.switch_to(name)
            self.drop_other_schemas()
        return name

    def next_name(self) -> str:
        numbers = [int(m.group(1)) for p in self.path.iterdir() if (m := _GENERATION_RE.fullmatch(p.name))]
        return f"v{SCHEMA_VERSION}-{max(numbers, default=0) + 1:06d}"

    def switch_to(self, name: str) -> None:
        """Point CURRENT at ``name`` atomically (write aside, then rename)."""
        tmp = self.path / f"CURRENT.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(name + "\n", encoding="ascii")
        os.replace(tmp, self.current_file)

    def drop_other_schemas(self) -> None:
        """Remove generations of another schema version: nothing of this version reads them."""
        for p in self.path.iterdir():
            if p.is_dir() and _ANY_GENERATION_RE.fullmatch(p.name) and not _GENERATION_RE.fullmatch(p.name):
                log.info("removing index generation %s of another schema", p)
                shutil.rmtree(p, ignore_errors=True)

    def drop_all_but(self, keep: str) -> None:
        for p in self.path.iterdir():
            if p.is_dir() and p.name != keep and _ANY_GENERATION_RE.fullmatch(p.name):
                shutil.rmtree(p, ignore_errors=True)


def acquire_writer(
    index: tantivy.Index, *, timeout: float, label: str, heap_bytes: int = WRITER_HEAP_BYTES
) -> tantivy.IndexWriter:
    """tantivy's writer, retrying with backoff while another process holds the lock."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return index.writer(heap_bytes, WRITER_THREADS)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise SearchError(f"cannot open the index writer: {exc}") from exc
            if time.monotonic() >= deadline:
                raise SearchError(
                    f"search index {label} is locked by another writer for {timeout:.0f} s"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
