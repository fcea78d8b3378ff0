"""Group commit of the search index: extracted documents wait as *ready* and are written to the
index together, one upsert (one engine commit) per batch.

A document is **ready** when its text is stored and its status is still ``processing`` (the
UI shows 处理中). ``flush_ready`` upserts ready documents in batches of up to ``FLUSH_BATCH``
and marks them ``indexed``, each only if it is still the version that was read: the
conditional UPDATE checks status and ``updated_at``, which every extraction step bumps, so a
document re-processed meanwhile stays ready for the next flush. Flushing is idempotent and
safe in several processes at once: an upsert replaces a document's one entry.

If the index fails, the documents stay ready (not failed) for the next flush or
``juanzong reconcile``. A document whose index entry cannot be built, or that the index
refuses, fails with a reason, but only when other documents of its batch went in: when none
did, the fault is not theirs and they all stay ready.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from archive import texts
from archive.db import session_scope
from archive.models import Case, DocStatus, Document, DocumentText
from ingest.errors import ErrorCode
from juanzong.runtime import Runtime
from juanzong.settings import Settings, SettingsError
from search.api import IndexDoc, SearchError

log = logging.getLogger(__name__)

INDEX_BATCH_SETTING = "JUANZONG_INDEX_BATCH"
DEFAULT_INDEX_BATCH = 32  # ready documents that make an extraction task flush at once
FLUSH_BATCH = 500  # documents per index commit in a flush
# …and at most this much text (one document always goes in). The texts are not loaded with
# the batch (the engine reads each one chunk by chunk, see ``index_doc_for``), but this bounds
# what one index commit takes on.
FLUSH_MAX_CHARS = 4_000_000
MSG_INDEX_ENTRY = "无法为该文档生成搜索索引条目"

_READY = (Document.status == DocStatus.PROCESSING.value, Document.text.has())
_LOAD = (selectinload(Document.case).selectinload(Case.court_numbers),)


def index_batch_size(settings: Settings) -> int:
    """``JUANZONG_INDEX_BATCH``: how many ready documents make an extraction flush at once."""
    raw = settings.extra.get(INDEX_BATCH_SETTING, "").strip()
    if not raw:
        return DEFAULT_INDEX_BATCH
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{INDEX_BATCH_SETTING} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{INDEX_BATCH_SETTING} must be at least 1, got {value}")
    return value


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def document_year(document: Document) -> int | None:
    """The year a document is filed and faceted under: its own date (成文日期) when known,
    otherwise the year it was uploaded."""
    if document.doc_date is not None:
        return document.doc_date.year
    created = _aware(document.created_at)
    return created.year if created else None


def index_doc_for(
    document: Document, *, sessions: sessionmaker[Session] | None = None, text: str | None = None
) -> IndexDoc:
    """The search-index entry of a document (its case loaded): ``text`` when given, otherwise
    its stored text, which the entry reads from the database through ``sessions`` chunk by
    chunk each time the engine asks for it (``IndexDoc.text_chunks``), never whole."""
    if text is None and sessions is None:
        raise TypeError("index_doc_for needs the text or the sessions to read it from")
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
        text=text if text is not None else "",
        text_chunks=texts.text_stream(sessions, document.id) if text is None and sessions else None,
        year=document_year(document),
        court_case_numbers=tuple(n.canonical for n in case.court_numbers),
        created_at=created,
    )


def drop_text(session: Session, document_id: int) -> None:
    """Delete a document's stored text, chunks included (before it is processed again), so no
    flush can index the old text as if it were the new one."""
    texts.delete_text(session, document_id)


def count_ready(rt: Runtime) -> int:
    """How many documents wait for the index."""
    with rt.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Document).where(*_READY)) or 0)


@dataclass
class FlushReport:
    indexed: list[int] = field(default_factory=list)  # marked indexed by this flush
    failed: list[int] = field(default_factory=list)  # no index entry could be built (or the index refused it)
    commits: int = 0  # index upserts (engine commits) made
    index_error: bool = False  # the index refused: what was left stays ready

    def status_of(self, document_id: int) -> DocStatus:
        """What this flush made of one document (``processing``: still ready, or changed)."""
        if document_id in self.indexed:
            return DocStatus.INDEXED
        if document_id in self.failed:
            return DocStatus.FAILED
        return DocStatus.PROCESSING


@dataclass
class _Batch:
    entries: list[IndexDoc] = field(default_factory=list)
    versions: dict[int, datetime] = field(default_factory=dict)  # doc_id → updated_at read
    refused: list[int] = field(default_factory=list)  # no entry could be built, or the index refused it
    last_id: int = 0


def _read_batch(
    rt: Runtime, after_id: int, ids: Sequence[int] | None, older_than: datetime | None
) -> _Batch | None:
    conditions = [*_READY, Document.id > after_id]
    if ids is not None:
        conditions.append(Document.id.in_(ids))
    if older_than is not None:
        conditions.append(Document.updated_at < older_than)
    batch = _Batch()
    with rt.sessions() as s:
        # Choose the batch by size first, so one index commit takes at most FLUSH_MAX_CHARS of text.
        sizes = s.execute(
            select(Document.id, DocumentText.char_count)
            .join(DocumentText, DocumentText.document_id == Document.id)
            .where(*conditions)
            .order_by(Document.id)
            .limit(FLUSH_BATCH)
        ).all()
        if not sizes:
            return None
        chosen: list[int] = []
        total = 0
        for doc_id, chars in sizes:
            if chosen and total + chars > FLUSH_MAX_CHARS:
                break
            chosen.append(doc_id)
            total += chars
        docs = s.scalars(
            select(Document).where(*conditions, Document.id.in_(chosen)).options(*_LOAD).order_by(Document.id)
        ).all()
        if not docs:
            return None
        for doc in docs:
            batch.versions[doc.id] = doc.updated_at
            batch.last_id = doc.id
            try:
                batch.entries.append(index_doc_for(doc, sessions=rt.sessions))
            except Exception:
                log.exception("cannot build the index entry of document %d", doc.id)
                batch.refused.append(doc.id)
    return batch


def _upsert(rt: Runtime, batch: _Batch, report: FlushReport) -> list[int]:
    """Upsert the batch in one commit; the doc_ids now in the index. If the index is
    unavailable (``SearchError``), none: they stay ready. Should something else break the
    batch, the entries go one by one, and those refused join ``batch.refused``."""
    if not batch.entries:
        return []
    try:
        rt.index.upsert(batch.entries)
        report.commits += 1
        return [e.doc_id for e in batch.entries]
    except SearchError as exc:
        log.warning("search index unavailable; %d documents stay ready: %s", len(batch.entries), exc)
        report.index_error = True
        return []
    except Exception:
        log.exception("index upsert of %d documents failed; retrying one by one", len(batch.entries))
    done: list[int] = []
    for entry in batch.entries:
        try:
            rt.index.upsert([entry])
            report.commits += 1
            done.append(entry.doc_id)
        except SearchError as exc:
            log.warning("search index unavailable; documents stay ready: %s", exc)
            report.index_error = True
            break
        except Exception:
            log.exception("the index refused document %d", entry.doc_id)
            batch.refused.append(entry.doc_id)
    return done


def _mark(
    rt: Runtime, batch: _Batch, upserted: Iterable[int], refused: Iterable[int], report: FlushReport
) -> None:
    """Mark indexed (or failed) each document that is still the version read; one that was
    processed again meanwhile stays as it is (ready again soon, flushed again then)."""
    now = datetime.now(UTC)
    indexed = {"status": DocStatus.INDEXED.value, "indexed_at": now}
    failed = {
        "status": DocStatus.FAILED.value,
        "error_code": ErrorCode.INDEX_ERROR.value,
        "error_message": MSG_INDEX_ENTRY,
    }
    changes = [(i, indexed, report.indexed) for i in upserted]
    changes += [(i, failed, report.failed) for i in refused]
    newly_failed: list[int] = []
    with session_scope(rt.sessions) as s:
        for document_id, values, outcome in changes:
            result = s.execute(
                update(Document)
                .where(
                    Document.id == document_id,
                    Document.status == DocStatus.PROCESSING.value,
                    Document.updated_at == batch.versions[document_id],
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                outcome.append(document_id)
                if values is failed:
                    newly_failed.append(document_id)
            else:
                log.debug("document %d changed during the flush; left for the next one", document_id)
    if newly_failed:  # an older version of it may still be in the index
        try:
            rt.index.delete(newly_failed)
        except Exception:
            log.exception("could not remove failed documents %s from the index", newly_failed)


def flush_ready(
    rt: Runtime, document_ids: Iterable[int] | None = None, *, older_than: datetime | None = None
) -> FlushReport:
    """Index every ready document (or those of ``document_ids``; or those ready since before
    ``older_than``): one upsert per batch of up to ``FLUSH_BATCH``, then mark them indexed."""
    ids = sorted(set(document_ids)) if document_ids is not None else None
    report = FlushReport()
    after_id = 0
    while ids is None or ids:
        batch = _read_batch(rt, after_id, ids, older_than)
        if batch is None:
            break
        after_id = batch.last_id
        upserted = _upsert(rt, batch, report)
        refused = batch.refused
        if refused and not upserted:
            # Nothing of the batch went in: the index or our code is broken, not (as far as
            # we can tell) these documents. They stay ready; a later flush tells them apart.
            log.error("no document of the batch could be indexed; %d stay ready", len(batch.versions))
            report.index_error = True
            refused = []
        _mark(rt, batch, upserted, refused, report)
        if report.index_error:
            break
    if report.indexed or report.failed or report.index_error:
        log.info(
            "index flush: %d documents indexed, %d failed, %d index commits%s",
            len(report.indexed),
            len(report.failed),
            report.commits,
            " (index unavailable: the rest stay ready)" if report.index_error else "",
        )
    return report
