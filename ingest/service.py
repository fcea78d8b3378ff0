"""INTERFACE STUB — implemented by the ingest work. Signatures are the contract.

The ingest use cases that the web UI and the CLI call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from archive.doctypes import DocType
from archive.models import Case, Document, User
from juanzong.runtime import Runtime


class Outcome(StrEnum):
    QUEUED = "queued"  # stored, row committed, extraction task sent
    DUPLICATE = "duplicate"  # same SHA-256 already in this case: nothing stored twice
    REJECTED = "rejected"  # refused before storing (too large, empty name …); nothing kept
    FAILED = "failed"  # stored and recorded, but cannot be processed (e.g. unsupported type)


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    filename: str  # the original (display) file name, cleaned of path parts
    message: str  # Chinese, for the user
    document_id: int | None = None


def ingest_stream(
    rt: Runtime,
    *,
    case_id: int,
    stream: BinaryIO,
    filename: str,
    doc_type: DocType,
    user: User | None,
    title: str | None = None,
) -> IngestResult:
    """Stream ``stream`` to a temp file (enforcing the size limit), hash, sniff, store, record
    and enqueue. Never raises for bad input: the result says what happened."""
    raise NotImplementedError


def ingest_path(
    rt: Runtime,
    *,
    case_id: int,
    path: Path,
    doc_type: DocType,
    user: User | None,
    title: str | None = None,
) -> IngestResult:
    raise NotImplementedError


def retry_document(rt: Runtime, document_id: int, *, user: User | None) -> IngestResult:
    """Reset a failed document to queued and send its task again."""
    raise NotImplementedError


__all__ = ["Case", "Document", "IngestResult", "Outcome", "ingest_path", "ingest_stream", "retry_document"]
