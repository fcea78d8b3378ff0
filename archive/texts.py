"""A document's extracted text, stored in bounded chunks (``document_text_chunks``), so that
neither the worker that stores it nor any reader (search index, document page, migration)
ever holds a long text whole: peak memory is the same for a 300-page PDF as for a 30-page one.

Writing: ``write_chunks`` takes the text in pieces of any size and inserts each chunk as soon
as it is full, each in a short transaction of its own (SQLite has one writer at a time: the
web process must never wait for a whole extraction). It never keeps ORM objects: Core inserts.
The ``DocumentText`` row (extractor, counts) is written *last*, by ``record_text``: only that
row makes the text count (``ingest.indexing`` calls such a document *ready*). Chunks without
it are an unfinished or failed extraction: the next extraction (``delete_text``) or
``ingest.maintenance.reconcile`` (``delete_unfinished``) removes them.

Reading: ``iter_text`` gives the chunks in order, one short query (and session) per chunk,
so nothing is held open between chunks; ``text_stream`` wraps it for
``search.api.IndexDoc.text_chunks``; ``read_chunk`` reads one chunk (a page of the document
page).

Chunks are cut just after a line break in their last tenth when there is one, else at
``TEXT_CHUNK_CHARS`` characters; the cut depends only on the text, never on the sizes of the
pieces it came in.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.db import session_scope
from archive.models import DocStatus, Document, DocumentText, DocumentTextChunk

log = logging.getLogger(__name__)

TEXT_CHUNK_CHARS = 50_000  # characters per chunk at most (about 100–200 KB in memory)
LINE_CUT_SHARE = 10  # a chunk ends after a line break found in its last 1/10, if any

__all__ = [
    "TEXT_CHUNK_CHARS",
    "IncompleteText",
    "StoredText",
    "cut_point",
    "delete_text",
    "delete_unfinished",
    "iter_text",
    "read_chunk",
    "record_text",
    "save_text",
    "split_chunks",
    "text_stream",
    "write_chunks",
]


class IncompleteText(RuntimeError):
    """The chunks in the database are not the ones this writer wrote (another run of the same
    document deleted or replaced them meanwhile)."""


@dataclass(frozen=True)
class StoredText:
    """What ``write_chunks`` stored."""

    char_count: int
    chunk_count: int


# ---------------------------------------------------------------- cutting


def cut_point(window: str, limit: int = TEXT_CHUNK_CHARS) -> int:
    """Where a chunk taken from the start of ``window`` ends, when more text follows: just
    after the last line break in the last tenth of its first ``limit`` characters, else at
    ``limit`` (never beyond)."""
    end = min(len(window), limit)
    line_break = window.rfind("\n", end - max(limit // LINE_CUT_SHARE, 1), end)
    return line_break + 1 if line_break >= 0 else end


def _head(pending: deque[str], offset: int, n: int) -> str:
    """The first ``n`` pending characters (the first piece starts at ``offset``)."""
    parts: list[str] = []
    start = offset
    for piece in pending:
        part = piece[start : start + n] if start or len(piece) > n else piece
        parts.append(part)
        n -= len(part)
        start = 0
        if n <= 0:
            break
    return parts[0] if len(parts) == 1 else "".join(parts)


def _drop(pending: deque[str], offset: int, n: int) -> int:
    """Consume ``n`` pending characters; the new offset into the first piece."""
    while n:
        left = len(pending[0]) - offset
        if n >= left:
            pending.popleft()
            n -= left
            offset = 0
        else:
            offset += n
            n = 0
    return offset


def split_chunks(pieces: Iterable[str], limit: int = TEXT_CHUNK_CHARS) -> Iterator[str]:
    """The chunks of the text that ``pieces`` make up, each of at most ``limit`` characters;
    the same chunks whatever the sizes of the pieces. A piece is never copied whole: at most
    one chunk is built at a time."""
    if limit < 1:
        raise ValueError(f"chunk limit must be positive, got {limit}")
    pending: deque[str] = deque()
    offset = 0  # characters of pending[0] already given out
    size = 0  # characters pending
    for piece in pieces:
        if not piece:
            continue
        pending.append(piece)
        size += len(piece)
        while size > limit:  # more follows this chunk: cut it
            window = _head(pending, offset, limit)
            chunk = window[: cut_point(window, limit)]
            yield chunk
            offset = _drop(pending, offset, len(chunk))
            size -= len(chunk)
    if size:
        yield _head(pending, offset, size)


# ---------------------------------------------------------------- writing


def delete_text(session: Session, document_id: int) -> None:
    """Delete a document's text, its ``DocumentText`` row first, in the caller's transaction."""
    session.execute(delete(DocumentText).where(DocumentText.document_id == document_id))
    session.execute(delete(DocumentTextChunk).where(DocumentTextChunk.document_id == document_id))


def write_chunks(
    sessions: sessionmaker[Session],
    document_id: int,
    pieces: Iterable[str],
    *,
    limit: int = TEXT_CHUNK_CHARS,
) -> StoredText:
    """Store the text of ``pieces`` as the document's chunks, one short transaction per chunk;
    any text the document had is deleted first (so it is no longer ready). Each transaction
    also sets the document's ``updated_at``: a long extraction shows it is alive (reconcile
    takes a document unchanged for minutes as stuck). The caller then writes the
    ``DocumentText`` row (``record_text``). If anything fails, iterating ``pieces`` included
    (e.g. ``IngestError`` of a bad file), the chunks written are deleted and the error is
    raised again."""
    touch = update(Document).where(Document.id == document_id).execution_options(synchronize_session=False)
    with session_scope(sessions) as s:
        delete_text(s, document_id)
    chars = seq = 0
    try:
        for chunk in split_chunks(pieces, limit):
            with session_scope(sessions) as s:
                s.execute(insert(DocumentTextChunk), {"document_id": document_id, "seq": seq, "text": chunk})
                s.execute(touch.values(updated_at=datetime.now(UTC)))
            seq += 1
            chars += len(chunk)
    except BaseException:
        _discard(sessions, document_id, seq)
        raise
    return StoredText(char_count=chars, chunk_count=seq)


def _discard(sessions: sessionmaker[Session], document_id: int, written: int) -> None:
    if not written:
        return
    try:
        with session_scope(sessions) as s:
            s.execute(delete(DocumentTextChunk).where(DocumentTextChunk.document_id == document_id))
    except Exception:  # the original error matters more; reconcile or the next run cleans up
        log.exception("could not delete the %d text chunks of document %d", written, document_id)


def record_text(session: Session, document_id: int, *, extractor: str, stored: StoredText) -> None:
    """Write the ``DocumentText`` row after the chunks (in the caller's transaction): from
    then on the text counts as complete. Raises ``IncompleteText`` when the chunks stored are
    not the ``stored.chunk_count`` written (another run of the document interfered)."""
    of_document = DocumentTextChunk.document_id == document_id
    found = session.scalar(select(func.count()).select_from(DocumentTextChunk).where(of_document))
    if found != stored.chunk_count:
        raise IncompleteText(
            f"document {document_id}: {found} text chunks stored, {stored.chunk_count} written"
        )
    session.execute(delete(DocumentText).where(DocumentText.document_id == document_id))
    session.execute(
        insert(DocumentText),
        {
            "document_id": document_id,
            "extractor": extractor[:40],
            "char_count": stored.char_count,
            "chunk_count": stored.chunk_count,
        },
    )


def save_text(
    sessions: sessionmaker[Session],
    document_id: int,
    pieces: Iterable[str],
    *,
    extractor: str,
    limit: int = TEXT_CHUNK_CHARS,
) -> StoredText:
    """``write_chunks`` then ``record_text``: a whole text stored, for callers that have no
    document status to change alongside (tests, tools)."""
    stored = write_chunks(sessions, document_id, pieces, limit=limit)
    with session_scope(sessions) as s:
        record_text(s, document_id, extractor=extractor, stored=stored)
    return stored


def delete_unfinished(session: Session) -> int:
    """Delete the chunks left without a ``DocumentText`` row by an extraction that will not
    finish (its document is queued again or failed; a ``processing`` one may still be
    writing); how many were deleted."""
    unfinished = select(Document.id).where(
        Document.status.in_((DocStatus.QUEUED.value, DocStatus.FAILED.value)), ~Document.text.has()
    )
    result = session.execute(
        delete(DocumentTextChunk)
        .where(DocumentTextChunk.document_id.in_(unfinished))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- reading


def read_chunk(session: Session, document_id: int, seq: int) -> str | None:
    """One chunk (0-based ``seq``), or None when the text has no such chunk."""
    return session.scalar(
        select(DocumentTextChunk.text).where(
            DocumentTextChunk.document_id == document_id, DocumentTextChunk.seq == seq
        )
    )


def iter_text(sessions: sessionmaker[Session], document_id: int) -> Iterator[str]:
    """The document's chunks in order, each read by its own query in a short session of its
    own, so only one chunk is in memory and nothing stays open between chunks."""
    seq = 0
    while True:
        with sessions() as s:
            chunk = read_chunk(s, document_id, seq)
        if chunk is None:
            return
        yield chunk
        seq += 1


def text_stream(sessions: sessionmaker[Session], document_id: int) -> Callable[[], Iterator[str]]:
    """A function that reads the document's text afresh each time it is called (the form
    ``search.api.IndexDoc.text_chunks`` takes)."""
    return partial(iter_text, sessions, document_id)
