"""The extraction step, run by the worker: original → text → database → search index.

Idempotent: running it again for the same document replaces its text and its one index
entry. Two commits per document: "processing" before the work, then text and "indexed" right
after the index upsert; the index can always be rebuilt from the database (``reindex``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.orm import selectinload

from archive.db import session_scope
from archive.models import Case, DocStatus, Document, DocumentText
from archive.storage import ObjectNotFound, StorageError
from ingest.errors import (
    MSG_INDEX,
    MSG_INTERNAL,
    MSG_ORIGINAL_MISSING,
    MSG_STORAGE,
    ErrorCode,
    IngestError,
)
from ingest.extract import extract_document
from ingest.sniff import sniff
from ingest.spool import temp_path
from juanzong.runtime import Runtime
from search.api import IndexDoc, SearchError

log = logging.getLogger(__name__)

_LOAD = (selectinload(Document.case).selectinload(Case.court_numbers),)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def index_doc_for(document: Document, *, text: str | None = None) -> IndexDoc:
    """The search-index entry of a document: its case, its stored text (or ``text``)."""
    case = document.case
    created = _aware(document.created_at)
    return IndexDoc(
        doc_id=document.id,
        case_id=document.case_id,
        case_name=case.name,
        case_internal_no=case.internal_no,
        doc_type=document.doc_type,
        title=document.title,
        filename=document.original_filename,
        text=text if text is not None else (document.text.text if document.text is not None else ""),
        year=created.year if created else None,
        court_case_numbers=tuple(n.canonical for n in case.court_numbers),
        created_at=created,
    )


def _fail(rt: Runtime, document_id: int, code: str, message: str, *, was_indexed: bool) -> None:
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return
        doc.status = DocStatus.FAILED.value
        doc.error_code = code
        doc.error_message = message
    if was_indexed:  # its old text no longer stands for it
        try:
            rt.index.delete([document_id])
        except SearchError:
            log.exception("could not remove failed document %d from the index", document_id)


def _start(rt: Runtime, document_id: int) -> tuple[str, str, bool] | None:
    """Mark the document processing; its storage key, display name and whether it was indexed."""
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return None
        was_indexed = doc.status == DocStatus.INDEXED.value
        doc.status = DocStatus.PROCESSING.value
        doc.error_code = None
        doc.error_message = None
        return doc.storage_key, doc.original_filename, was_indexed


def process_document(rt: Runtime, document_id: int) -> DocStatus | None:
    """Extract, record and index one document; returns its final status (None: no such
    document). Never raises for a bad file: the document ends ``failed`` with a reason."""
    started = _start(rt, document_id)
    if started is None:
        log.warning("document %d does not exist; nothing to process", document_id)
        return None
    key, filename, was_indexed = started
    tmp = temp_path(rt.settings, "extract-")
    try:
        try:
            rt.store.download_to(key, tmp)
        except ObjectNotFound as exc:
            raise IngestError(ErrorCode.STORAGE_ERROR, MSG_ORIGINAL_MISSING, f"object {key} missing") from exc
        except (StorageError, OSError) as exc:
            raise IngestError(ErrorCode.STORAGE_ERROR, MSG_STORAGE, f"download failed: {exc!r}") from exc
        # Sniffed again (cheap) so a retry after an upgrade uses today's rules.
        sniffed = sniff(tmp, filename)
        if sniffed.error is not None:
            raise sniffed.error
        extracted = extract_document(sniffed.kind, tmp, rt.settings)
        with rt.sessions() as s:  # read only: no write lock held while the index commits
            doc = s.get(Document, document_id, options=_LOAD)
            if doc is None:
                log.warning("document %d was deleted while processing", document_id)
                return None
            entry = index_doc_for(doc, text=extracted.text)
        try:
            rt.index.upsert([entry])
        except SearchError as exc:
            raise IngestError(ErrorCode.INDEX_ERROR, MSG_INDEX, f"index upsert failed: {exc}") from exc
        # One commit for text and status. Should it fail, the document stays "processing"
        # and reconcile sends it again; the index entry is replaced then.
        with session_scope(rt.sessions) as s:
            doc = s.get(Document, document_id, options=(selectinload(Document.text),))
            if doc is None:
                log.warning("document %d was deleted while processing", document_id)
                return None
            if doc.text is None:
                doc.text = DocumentText(text="", extractor="", char_count=0)
            doc.text.text = extracted.text
            doc.text.extractor = extracted.extractor[:40]
            doc.text.char_count = len(extracted.text)
            doc.page_count = extracted.page_count
            doc.status = DocStatus.INDEXED.value
            doc.indexed_at = datetime.now(UTC)
        log.info(
            "document %d indexed: %s, %s pages, %d characters",
            document_id,
            extracted.extractor,
            extracted.page_count,
            len(extracted.text),
        )
        return DocStatus.INDEXED
    except IngestError as exc:
        log.warning("document %d failed (%s): %s", document_id, exc.code.value, exc.detail_en)
        _fail(rt, document_id, exc.code.value, exc.message_zh, was_indexed=was_indexed)
        return DocStatus.FAILED
    except Exception:
        log.exception("document %d: unexpected error while processing", document_id)
        _fail(rt, document_id, ErrorCode.INTERNAL.value, MSG_INTERNAL, was_indexed=was_indexed)
        return DocStatus.FAILED
    finally:
        tmp.unlink(missing_ok=True)
