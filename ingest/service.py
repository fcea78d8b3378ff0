"""The ingest use cases that the web UI and the CLI call. Each rule lives here once.

Upload order: stream to a temp file (size limit, SHA-256) → duplicate check → sniff → put the
original in the store under its content key → commit the document row → only then send the
extraction task. An empty file is REJECTED (there is nothing to keep); a file whose type we
cannot read is kept and recorded as FAILED with the reason, so nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive import audit
from archive.db import session_scope
from archive.doctypes import DocType
from archive.models import Case, DocStatus, Document, User
from archive.storage import StorageError, content_key
from ingest.celery_app import enqueue_extraction
from ingest.errors import MSG_EMPTY, MSG_STORAGE
from ingest.filenames import clean_filename, default_title, shortened_note
from ingest.indexing import drop_text
from ingest.maintenance import ReconcileReport, reconcile, reindex
from ingest.sniff import Sniffed, sniff
from ingest.spool import Spooled, TooLarge, human_size, spooled
from juanzong.runtime import Runtime

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 300


class Outcome(StrEnum):
    QUEUED = "queued"  # stored, row committed, extraction task sent
    DUPLICATE = "duplicate"  # same SHA-256 already in this case: nothing stored twice
    REJECTED = "rejected"  # refused before storing (too large, empty, storage down …); nothing kept
    FAILED = "failed"  # stored and recorded, but cannot be processed (e.g. unsupported type)


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    filename: str  # the original (display) file name, cleaned of path parts
    message: str  # Chinese, for the user
    document_id: int | None = None


MSG_QUEUED = "已上传，等待处理"
MSG_QUEUED_NOT_SENT = "已上传；暂时无法通知处理进程，稍后将自动重新排队"
MSG_NO_CASE = "案件不存在"
MSG_READ_FAILED = "读取上传内容失败，请重新上传"


def too_large_message(limit: int) -> str:
    return f"文件超过大小上限 {human_size(limit)}"


def duplicate_message(existing: Document) -> str:
    return f"该案件中已有内容相同的文件：“{existing.title}”（文档编号 {existing.id}），未重复保存"


def _find_duplicate(rt: Runtime, case_id: int, sha256: str) -> Document | None:
    with rt.sessions() as s:
        return s.scalar(select(Document).where(Document.case_id == case_id, Document.sha256 == sha256))


def ingest_stream(
    rt: Runtime,
    *,
    case_id: int,
    stream: BinaryIO,
    filename: str,
    doc_type: DocType,
    user: User | None,
    title: str | None = None,
    doc_date: date | None = None,
) -> IngestResult:
    """Stream ``stream`` to a temp file (enforcing the size limit), hash, sniff, store, record
    and enqueue. Never raises for bad input: the result says what happened."""
    name = clean_filename(filename)
    name_note = shortened_note(filename)
    with rt.sessions() as s:
        if s.get(Case, case_id) is None:
            return IngestResult(Outcome.REJECTED, name, MSG_NO_CASE)
    limit = rt.settings.max_upload_bytes
    try:
        with spooled(stream, rt.settings, limit=limit) as upload:
            return _ingest_spooled(
                rt, upload, case_id, name, DocType(doc_type), user, title, doc_date, name_note
            )
    except TooLarge:
        log.info("upload %r refused: larger than %d bytes", name, limit)
        return IngestResult(Outcome.REJECTED, name, too_large_message(limit))
    except OSError as exc:  # the client went away, or the temp dir is unwritable
        log.warning("reading upload %r failed: %r", name, exc)
        return IngestResult(Outcome.REJECTED, name, MSG_READ_FAILED)


def _store_original(rt: Runtime, upload: Spooled, sniffed: Sniffed) -> str:
    key = content_key(upload.sha256)
    if not rt.store.exists(key):  # content-addressed: one copy, shared by every case
        rt.store.put_file(key, upload.path, content_type=sniffed.mime)
    return key


def _ingest_spooled(
    rt: Runtime,
    upload: Spooled,
    case_id: int,
    name: str,
    doc_type: DocType,
    user: User | None,
    title: str | None,
    doc_date: date | None = None,
    name_note: str = "",
) -> IngestResult:
    if upload.size == 0:
        return IngestResult(Outcome.REJECTED, name, MSG_EMPTY)
    existing = _find_duplicate(rt, case_id, upload.sha256)
    if existing is not None:
        return IngestResult(Outcome.DUPLICATE, name, duplicate_message(existing), existing.id)
    sniffed = sniff(upload.path, name)
    try:
        key = _store_original(rt, upload, sniffed)
    except (StorageError, OSError) as exc:
        log.error("storing upload %r (sha256 %s) failed: %r", name, upload.sha256, exc)
        return IngestResult(Outcome.REJECTED, name, MSG_STORAGE)
    failed = sniffed.error
    notes = [n for n in (sniffed.note, name_note) if n]
    doc = Document(
        case_id=case_id,
        doc_type=doc_type.value,
        title=((title or "").strip() or default_title(name))[:MAX_TITLE_CHARS],
        original_filename=name,
        sha256=upload.sha256,
        size=upload.size,
        storage_key=key,
        mime_type=sniffed.mime,
        sniffed_kind=sniffed.kind,
        doc_date=doc_date,
        notes="；".join(notes),
        status=(DocStatus.FAILED if failed else DocStatus.QUEUED).value,
        error_code=failed.code.value if failed else None,
        error_message=failed.message_zh if failed else None,
        attempts=0 if failed else 1,
        uploaded_by_id=user.id if user else None,
    )
    try:
        with session_scope(rt.sessions) as s:
            s.add(doc)
            s.flush()
            audit.record(
                s,
                user_id=user.id if user else None,
                action="document.upload",
                object_type="document",
                object_id=doc.id,
                case_id=case_id,
                sha256=upload.sha256,
                size=upload.size,
                filename=name,
                kind=sniffed.kind,
                status=doc.status,
            )
    except IntegrityError:  # the same file arrived twice at once; the other one won
        existing = _find_duplicate(rt, case_id, upload.sha256)
        if existing is None:
            raise
        return IngestResult(Outcome.DUPLICATE, name, duplicate_message(existing), existing.id)
    if failed:
        log.info("document %d kept but not processable: %s", doc.id, failed.detail_en)
        return IngestResult(Outcome.FAILED, name, failed.message_zh, doc.id)
    message = _send(rt, doc.id)
    told = [n for n in (sniffed.note and f"{sniffed.note}，按实际内容处理", name_note) if n]
    if told:
        message += "（" + "；".join(told) + "）"
    return IngestResult(Outcome.QUEUED, name, message, doc.id)


def _send(rt: Runtime, document_id: int) -> str:
    """Send the task after the commit. A broker failure leaves the row queued for reconcile."""
    try:
        enqueue_extraction(rt, document_id)
    except Exception:  # kombu raises many types; the row is safe either way
        log.exception("could not send the extraction task for document %d", document_id)
        return MSG_QUEUED_NOT_SENT
    return MSG_QUEUED


def ingest_path(
    rt: Runtime,
    *,
    case_id: int,
    path: Path,
    doc_type: DocType,
    user: User | None,
    title: str | None = None,
    doc_date: date | None = None,
) -> IngestResult:
    """Ingest a local file; its name is kept for display only."""
    path = Path(path)
    try:
        stream = open(path, "rb")  # closed by the with-block below
    except OSError as exc:
        log.warning("cannot open %s: %r", path, exc)
        return IngestResult(Outcome.REJECTED, clean_filename(path.name), "无法读取此文件")
    with stream:
        return ingest_stream(
            rt,
            case_id=case_id,
            stream=stream,
            filename=path.name,
            doc_type=doc_type,
            user=user,
            title=title,
            doc_date=doc_date,
        )


def retry_document(rt: Runtime, document_id: int, *, user: User | None) -> IngestResult:
    """Reset a failed document to queued and send its task again."""
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return IngestResult(Outcome.REJECTED, "", "文档不存在")
        name = doc.original_filename
        if doc.status != DocStatus.FAILED.value:
            return IngestResult(Outcome.REJECTED, name, "只有处理失败的文档可以重试", doc.id)
        drop_text(s, doc.id)  # a failed index entry may have left its text
        doc.status = DocStatus.QUEUED.value
        doc.error_code = None
        doc.error_message = None
        doc.attempts += 1
        audit.record(
            s,
            user_id=user.id if user else None,
            action="document.retry",
            object_type="document",
            object_id=doc.id,
            attempts=doc.attempts,
        )
    return IngestResult(Outcome.QUEUED, name, _send(rt, document_id), document_id)


__all__ = [
    "Case",
    "Document",
    "IngestResult",
    "Outcome",
    "ReconcileReport",
    "ingest_path",
    "ingest_stream",
    "reconcile",
    "reindex",
    "retry_document",
]
