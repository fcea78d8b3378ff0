"""Bulk import: files and directories (recursively, sorted, hidden files skipped). One file's
failure never stops the others; the report lists each file's outcome."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from archive.doctypes import DocType
from archive.models import User
from ingest.errors import MSG_INTERNAL
from ingest.filenames import clean_filename
from ingest.service import IngestResult, Outcome, ingest_path
from juanzong.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BulkItem:
    path: Path
    result: IngestResult


@dataclass
class BulkReport:
    items: list[BulkItem] = field(default_factory=list)

    @property
    def results(self) -> list[IngestResult]:
        return [item.result for item in self.items]

    def counts(self) -> dict[Outcome, int]:
        return dict(Counter(item.result.outcome for item in self.items))

    @property
    def document_ids(self) -> list[int]:
        """Documents created by this import (queued, or failed at once), not duplicates."""
        return [
            i.result.document_id
            for i in self.items
            if i.result.document_id is not None and i.result.outcome in (Outcome.QUEUED, Outcome.FAILED)
        ]

    @property
    def ok(self) -> bool:
        return all(i.result.outcome in (Outcome.QUEUED, Outcome.DUPLICATE) for i in self.items)


# Called with 1 after each file (click's ``progressbar.update`` fits).
Progress = Callable[[int], object]


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    resolved = path.resolve()
    return resolved == folder or folder in resolved.parents


def iter_files(paths: Iterable[Path], *, exclude: Path | None = None) -> Iterator[Path]:
    """Each file named, and every file under each directory named, in sorted order; hidden
    files and directories below a named directory are skipped, symlinked directories are not
    followed. Nothing inside ``exclude`` (the installation's own data directory, so an import
    of ``.`` never takes the database or the secret key) is taken."""
    folder = exclude.resolve() if exclude is not None else None
    for path in paths:
        path = Path(path)
        if _inside(path, folder):
            continue
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not _hidden(d) and not _inside(Path(root) / d, folder))
                for name in sorted(files):
                    if not _hidden(name):
                        yield Path(root) / name
        else:
            yield path


def collect_files(paths: Iterable[Path], *, exclude: Path | None = None) -> list[Path]:
    """The files an import of ``paths`` will take, in order (to size a progress bar)."""
    return list(iter_files(paths, exclude=exclude))


def _ingest_one(
    rt: Runtime, case_id: int, path: Path, doc_type: DocType, user: User | None, doc_date: date | None = None
) -> IngestResult:
    if not path.is_file():
        return IngestResult(Outcome.REJECTED, clean_filename(path.name), "文件不存在或不是普通文件")
    try:
        return ingest_path(rt, case_id=case_id, path=path, doc_type=doc_type, user=user, doc_date=doc_date)
    except Exception:  # one file's failure never stops the others
        log.exception("bulk import: %s failed unexpectedly", path)
        return IngestResult(Outcome.FAILED, clean_filename(path.name), MSG_INTERNAL)


def ingest_files(
    rt: Runtime,
    *,
    case_id: int,
    files: Iterable[Path],
    doc_type: DocType,
    user: User | None,
    progress: Progress | None = None,
    doc_date: date | None = None,
) -> BulkReport:
    """Ingest each file in turn; ``progress(1)`` after each."""
    report = BulkReport()
    for raw in files:
        path = Path(raw)
        report.items.append(
            BulkItem(path=path, result=_ingest_one(rt, case_id, path, doc_type, user, doc_date))
        )
        if progress is not None:
            progress(1)
    return report


def ingest_tree(
    rt: Runtime,
    case_id: int,
    paths: Iterable[Path],
    doc_type: DocType,
    user: User | None,
    progress: Progress | None = None,
) -> BulkReport:
    """Ingest files and directories (recursively, sorted, hidden files skipped)."""
    return ingest_files(
        rt,
        case_id=case_id,
        files=collect_files(paths, exclude=rt.settings.data_dir),
        doc_type=doc_type,
        user=user,
        progress=progress,
    )
