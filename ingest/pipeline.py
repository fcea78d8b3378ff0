"""The extraction step, run by the worker: original → text → database → search index.

Idempotent: running it again for the same document replaces its text and its one index
entry. ``_start`` marks the document ``processing`` and drops any old text; extraction then
stores the new text chunk by chunk as the extractor gives it (``archive.texts``: never the
whole text in memory), and its ``DocumentText`` row last, which makes the document *ready*;
a bad file found mid-way drops the chunks already written. The search index takes ready
documents in groups (``ingest.indexing``: one index commit for many documents), either at
once (``flush=True``, for the CLI, tests and benchmarks) or, in the worker, when enough are
ready or in the flush task sent after each extraction. The index can always be rebuilt from
the database (``reindex``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from archive import texts
from archive.db import session_scope
from archive.models import DocStatus, Document
from archive.storage import ObjectNotFound, StorageError
from ingest.celery_app import enqueue_flush
from ingest.errors import (
    MSG_INTERNAL,
    MSG_NO_TEXT,
    MSG_ORIGINAL_MISSING,
    MSG_STORAGE,
    ErrorCode,
    IngestError,
)
from ingest.extract import stream_document
from ingest.extract.base import Extraction
from ingest.indexing import count_ready, drop_text, flush_ready, index_batch_size, index_doc_for
from ingest.legibility import NOTE_UNREADABLE, Legibility, with_note
from ingest.sniff import sniff
from ingest.spool import temp_path
from juanzong.runtime import Runtime
from search.api import SearchError

__all__ = ["index_doc_for", "process_document"]

log = logging.getLogger(__name__)


def _fail(rt: Runtime, document_id: int, code: str, message: str, *, was_indexed: bool) -> None:
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return
        drop_text(s, document_id)  # whatever part of the new text was stored
        doc.status = DocStatus.FAILED.value
        doc.error_code = code
        doc.error_message = message
    if was_indexed:  # its old text no longer stands for it
        try:
            rt.index.delete([document_id])
        except SearchError:
            log.exception("could not remove failed document %d from the index", document_id)


def _start(rt: Runtime, document_id: int) -> tuple[str, str, bool] | None:
    """Mark the document processing and drop its old text; its storage key, display name
    and whether it was indexed."""
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return None
        was_indexed = doc.status == DocStatus.INDEXED.value
        drop_text(s, document_id)
        doc.status = DocStatus.PROCESSING.value
        doc.error_code = None
        doc.error_message = None
        doc.updated_at = datetime.now(UTC)  # a flush that read the old version will not mark it
        return doc.storage_key, doc.original_filename, was_indexed


def _store_text(rt: Runtime, document_id: int, extraction: Extraction) -> texts.StoredText | None:
    """Store the text chunk by chunk as it is extracted, then record it with the page count:
    the document is then ready for the index. None when the document was deleted meanwhile.
    Raises ``IngestError`` for a bad file (the chunks written are deleted first)."""
    legibility = Legibility()
    stored = texts.write_chunks(rt.sessions, document_id, legibility.watch(extraction.pieces()))
    if stored.char_count == 0:  # the extractor found no text after all
        raise IngestError(ErrorCode.NO_TEXT, MSG_NO_TEXT, "the extraction gave no text")
    if legibility.mostly_unreadable:
        log.warning(
            "document %d: %d of %d visible characters unreadable (fonts without a Unicode mapping?)",
            document_id,
            legibility.unreadable,
            legibility.visible,
        )
    with session_scope(rt.sessions) as s:
        doc = s.get(Document, document_id)
        if doc is None:
            log.warning("document %d was deleted while processing", document_id)
            return None
        texts.record_text(s, document_id, extractor=extraction.extractor, stored=stored)
        doc.page_count = extraction.page_count
        doc.notes = with_note(doc.notes or "", NOTE_UNREADABLE, legibility.mostly_unreadable)
        doc.status = DocStatus.PROCESSING.value
        doc.error_code = None
        doc.error_message = None
        doc.updated_at = datetime.now(UTC)
    return stored


def _exists(rt: Runtime, document_id: int) -> bool:
    """Whether the document is still there (True when the database cannot tell)."""
    try:
        with rt.sessions() as s:
            return s.get(Document, document_id) is not None
    except SQLAlchemyError:
        return True


def _extract(rt: Runtime, document_id: int) -> DocStatus | None:
    """Download, sniff, extract and store the text; PROCESSING (ready for the index), FAILED
    with a reason, or None (no such document). Never raises for a bad file."""
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
        extraction = stream_document(sniffed.kind, tmp, rt.settings)
        stored = _store_text(rt, document_id, extraction)
        if stored is None:
            return None
        log.info(
            "document %d extracted: %s, %s pages, %d characters in %d chunks",
            document_id,
            extraction.extractor,
            extraction.page_count,
            stored.char_count,
            stored.chunk_count,
        )
        return DocStatus.PROCESSING
    except IngestError as exc:
        log.warning("document %d failed (%s): %s", document_id, exc.code.value, exc.detail_en)
        _fail(rt, document_id, exc.code.value, exc.message_zh, was_indexed=was_indexed)
        return DocStatus.FAILED
    except (texts.IncompleteText, IntegrityError) as exc:
        # Another run of the same document wrote or removed chunks meanwhile (a task
        # delivered twice, e.g. after the broker's visibility timeout): leave the document
        # to that run; should none finish, reconcile queues it again.
        log.warning(
            "document %d is being processed by another run; leaving it to that run: %s", document_id, exc
        )
        return DocStatus.PROCESSING
    except Exception:
        if not _exists(rt, document_id):  # e.g. its chunks lost their document mid-way
            log.warning("document %d was deleted while processing", document_id)
            return None
        log.exception("document %d: unexpected error while processing", document_id)
        _fail(rt, document_id, ErrorCode.INTERNAL.value, MSG_INTERNAL, was_indexed=was_indexed)
        return DocStatus.FAILED
    finally:
        tmp.unlink(missing_ok=True)


def _group_commit(rt: Runtime, document_id: int) -> DocStatus:
    """After an extraction in the worker: flush every ready document now when a batch is
    ready, otherwise send the flush task (it runs next when the queue is otherwise empty)."""
    try:
        if count_ready(rt) >= index_batch_size(rt.settings):
            return flush_ready(rt).status_of(document_id)
        enqueue_flush(rt)
    except Exception:  # the text is safe; the next flush or reconcile indexes it
        log.exception("document %d: could not flush or schedule the index flush", document_id)
    return DocStatus.PROCESSING


def process_document(rt: Runtime, document_id: int, *, flush: bool = True) -> DocStatus | None:
    """Extract and record one document, then index it; returns its status (None: no such
    document). Never raises for a bad file: the document ends ``failed`` with a reason.

    ``flush=True``: index this document now (INDEXED; PROCESSING if the index is unavailable,
    it stays ready for the next flush or reconcile). ``flush=False`` (the worker's task):
    group commit, see ``_group_commit``; returns PROCESSING unless this call flushed."""
    status = _extract(rt, document_id)
    if status is not DocStatus.PROCESSING:
        return status
    if flush:
        return flush_ready(rt, [document_id]).status_of(document_id)
    return _group_commit(rt, document_id)
