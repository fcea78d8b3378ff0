"""Keeping the derived data in step with the database: ``reindex`` rebuilds the search index
from the stored texts; ``reextract`` has the worker extract the originals' text anew (after an
upgrade that reads files better); ``reconcile`` repairs what a crash or an outage left behind (documents
stuck before extraction, the text chunks of extractions that will not finish, extracted
documents that never reached the index, index entries missing or left over).

Texts are never loaded with the documents: each index entry reads its document's text chunk
by chunk when the engine indexes it (``ingest.indexing.index_doc_for``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from archive import texts
from archive.db import session_scope
from archive.models import Case, DocStatus, Document
from ingest.celery_app import enqueue_extraction
from ingest.indexing import flush_ready, index_doc_for
from ingest.spool import temp_dir
from juanzong.runtime import Runtime
from juanzong.settings import Settings
from search.api import IndexDoc

log = logging.getLogger(__name__)

BATCH = 200


@dataclass(frozen=True)
class ReconcileReport:
    requeued: int  # documents stuck in queued (or processing without text), sent again
    # Documents given their index entry: extracted ones left waiting for the index (a lost
    # flush, the index down), and indexed ones missing from the index.
    reindexed: int
    removed: int  # index entries whose document no longer exists
    temp_removed: int = 0  # temporary files left by a crashed upload or worker

    def items(self) -> list[tuple[str, int]]:
        """Chinese labels and counts, for printing."""
        return [
            ("重新排队的文档", self.requeued),
            ("补建索引的文档", self.reindexed),
            ("清除的多余索引", self.removed),
            ("清理的临时文件", self.temp_removed),
        ]


def _indexed_docs(rt: Runtime, ids: list[int] | None = None) -> Iterator[IndexDoc]:
    """Index entries of indexed documents with a stored text, read in batches (all of them,
    or ``ids``); each reads its text from the database only when the engine asks for it."""
    query = (
        select(Document)
        .where(Document.status == DocStatus.INDEXED.value, Document.text.has())
        .options(selectinload(Document.case).selectinload(Case.court_numbers))
        .order_by(Document.id)
    )
    chunks = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)] if ids is not None else [None]
    for chunk in chunks:
        q = query if chunk is None else query.where(Document.id.in_(chunk))
        with rt.sessions() as s:
            for doc in s.scalars(q.execution_options(yield_per=BATCH)):
                yield index_doc_for(doc, sessions=rt.sessions)


def reindex(rt: Runtime) -> int:
    """Rebuild the whole search index from the database; returns how many were indexed."""
    n = rt.index.rebuild(_indexed_docs(rt))
    log.info("reindex: %d documents indexed", n)
    return n


def reextract(rt: Runtime, *, case_id: int | None = None) -> int:
    """Send every document (of one case) to the worker to extract its text again from the
    original, by today's rules: after an upgrade that reads files better, the documents already
    stored catch up. An indexed document stays findable meanwhile (its entry is replaced when
    the new text is indexed). Returns how many were sent."""
    sent = last = 0
    while True:
        with rt.sessions() as s:
            batch = select(Document.id).where(Document.id > last).order_by(Document.id).limit(BATCH)
            if case_id is not None:
                batch = batch.where(Document.case_id == case_id)
            ids = list(s.scalars(batch))
        if not ids:
            log.info("reextract: %d documents sent to the worker", sent)
            return sent
        for document_id in ids:
            enqueue_extraction(rt, document_id)
        sent += len(ids)
        last = ids[-1]


def clean_temp(settings: Settings, *, older_than_hours: float = 24) -> int:
    """Delete temporary files older than ``older_than_hours`` (left by a crash)."""
    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for path in temp_dir(settings).iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            log.warning("could not remove temporary file %s", path)
    return removed


def reconcile(rt: Runtime, *, stuck_minutes: int = 10, ready_minutes: float = 1) -> ReconcileReport:
    """Re-queue documents stuck in queued, or in processing without text, for more than
    ``stuck_minutes``; delete the text chunks of extractions that will not finish (of queued
    and failed documents without a complete text); index extracted documents that have
    waited more than ``ready_minutes`` for the index, index indexed documents missing from
    the index, drop index entries without a document, and delete day-old temporary files."""
    now = datetime.now(UTC)
    cutoff = now - timedelta(minutes=stuck_minutes)
    with session_scope(rt.sessions) as s:
        stuck = s.scalars(
            select(Document).where(
                or_(
                    Document.status == DocStatus.QUEUED.value,
                    and_(Document.status == DocStatus.PROCESSING.value, ~Document.text.has()),
                ),
                Document.updated_at < cutoff,
            )
        ).all()
        for doc in stuck:
            doc.status = DocStatus.QUEUED.value
            doc.attempts += 1
        stuck_ids = [doc.id for doc in stuck]
        s.flush()
        unfinished = texts.delete_unfinished(s)
    if unfinished:
        log.info("reconcile: deleted %d text chunks of unfinished extractions", unfinished)
    for document_id in stuck_ids:
        enqueue_extraction(rt, document_id)

    flushed = flush_ready(rt, older_than=now - timedelta(minutes=ready_minutes))
    # Read in this order, so that a document indexed meanwhile is neither "missing" (its
    # entry is written before it is marked indexed) nor an orphan (it exists before its entry).
    with rt.sessions() as s:
        indexed = set(s.scalars(select(Document.id).where(Document.status == DocStatus.INDEXED.value)))
    in_index = rt.index.doc_ids()
    with rt.sessions() as s:
        existing = set(s.scalars(select(Document.id)))
    missing = sorted(indexed - in_index)
    reindexed = len(flushed.indexed)
    batch: list[IndexDoc] = []
    for entry in _indexed_docs(rt, missing):
        batch.append(entry)
        if len(batch) >= BATCH:
            rt.index.upsert(batch)
            reindexed += len(batch)
            batch = []
    if batch:
        rt.index.upsert(batch)
        reindexed += len(batch)
    orphans = sorted(in_index - existing)
    if orphans:
        rt.index.delete(orphans)
    report = ReconcileReport(
        requeued=len(stuck_ids),
        reindexed=reindexed,
        removed=len(orphans),
        temp_removed=clean_temp(rt.settings),
    )
    log.info("reconcile: %s", report)
    return report
