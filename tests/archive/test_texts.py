"""A document's text in bounded chunks (archive.texts), on the real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.models import DocumentText, DocumentTextChunk
from archive.texts import (
    TEXT_CHUNK_CHARS,
    IncompleteText,
    StoredText,
    cut_point,
    delete_text,
    delete_unfinished,
    iter_text,
    read_chunk,
    record_text,
    save_text,
    split_chunks,
    write_chunks,
)
from ingest.errors import IngestError
from juanzong.runtime import Runtime
from tests.factories import bare_document


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_a_chunk_ends_after_a_line_break_in_its_last_tenth_else_at_the_limit() -> None:
    assert cut_point("a" * 95 + "\n" + "b" * 20, 100) == 96
    assert cut_point("a" * 89 + "\n" + "b" * 20, 100) == 100  # the break is before the last tenth
    assert cut_point("a" * 99 + "\n" + "b", 100) == 100  # just after the break is the limit
    assert cut_point("a" * 150, 100) == 100
    text = "甲" * 91 + "\n" + "乙" * 3 + "\n" + "丙" * 10
    assert list(split_chunks([text], 100)) == ["甲" * 91 + "\n" + "乙" * 3 + "\n", "丙" * 10]


def test_chunks_do_not_depend_on_the_sizes_of_the_pieces() -> None:
    text = "".join(f"第{n}段：原告主张被告支付违约金。\n" if n % 7 else "长" * 130 for n in range(400))
    expected = list(split_chunks([text], 100))
    assert "".join(expected) == text
    assert all(len(c) <= 100 for c in expected)
    assert max(len(c) for c in expected) == 100  # some cut at the limit (no break in reach)
    assert sum(1 for c in expected if c.endswith("\n") and len(c) < 100) > 10  # most after a break
    for size in (1, 7, 99, 100, 101, 333, len(text)):
        assert list(split_chunks(_pieces(text, size), 100)) == expected, size
    assert list(split_chunks(["", "ab", "", "c"], 2)) == ["ab", "c"]
    assert list(split_chunks([], 100)) == []
    assert list(split_chunks(["x" * 100], 100)) == ["x" * 100]  # exactly one chunk's worth
    assert list(split_chunks(["x" * 101], 100)) == ["x" * 100, "x"]


@pytest.fixture
def doc_ids(runtime: Runtime) -> list[int]:
    """Three documents of one case: queued, processing, indexed."""
    with session_scope(runtime.sessions) as s:
        case = create_case(s, CaseInput(name="买卖合同纠纷", internal_no="FW-1"))
        docs = [
            bare_document(case.id, n, status) for n, status in enumerate(("queued", "processing", "indexed"))
        ]
        s.add_all(docs)
        s.flush()
        return [d.id for d in docs]


def _chunk_rows(rt: Runtime, document_id: int) -> int:
    with rt.sessions() as s:
        query = select(func.count()).where(DocumentTextChunk.document_id == document_id)
        return int(s.scalar(query) or 0)


def test_write_and_read_a_text_chunk_by_chunk(runtime: Runtime, doc_ids: list[int]) -> None:
    doc = doc_ids[0]
    text = "一二三四五六七\n八九十" * 5  # 55 characters, line breaks at 7, 18, 29, 40 and 51
    seen: list[int] = []

    def pieces() -> Iterator[str]:
        for piece in _pieces(text, 4):
            seen.append(_chunk_rows(runtime, doc))  # what another session sees meanwhile
            yield piece

    stored = save_text(runtime.sessions, doc, pieces(), extractor="text:utf-8", limit=20)
    assert stored == StoredText(char_count=55, chunk_count=3)
    # each chunk was committed as soon as it was full, while the extraction went on
    assert seen[:6] == [0] * 6 and seen[-1] == 2 and sorted(seen) == seen
    chunks = [text[:19], text[19:39], text[39:]]  # after the break at 18; at the limit; the rest
    assert list(iter_text(runtime.sessions, doc)) == chunks
    with runtime.sessions() as s:
        assert [read_chunk(s, doc, n) for n in range(4)] == [*chunks, None]
        row = s.get(DocumentText, doc)
        assert row is not None
        assert (row.extractor, row.char_count, row.chunk_count) == ("text:utf-8", 55, 3)

    # Writing again replaces the text, and a shorter one leaves no chunk of the longer behind.
    save_text(runtime.sessions, doc, ["短文"], extractor="x", limit=20)
    assert list(iter_text(runtime.sessions, doc)) == ["短文"]
    with session_scope(runtime.sessions) as s:
        delete_text(s, doc)
    assert (list(iter_text(runtime.sessions, doc)), _chunk_rows(runtime, doc)) == ([], 0)


def test_an_error_while_the_pieces_are_read_drops_the_chunks_written(
    runtime: Runtime, doc_ids: list[int]
) -> None:
    doc = doc_ids[1]

    def pieces() -> Iterator[str]:
        yield "合同" * 30  # two chunks of 20 are written before the error
        assert _chunk_rows(runtime, doc) == 2
        raise IngestError("corrupt", "PDF 文件已损坏或不完整", "page 3 unreadable")

    with pytest.raises(IngestError, match="page 3 unreadable"):
        write_chunks(runtime.sessions, doc, pieces(), limit=20)
    assert _chunk_rows(runtime, doc) == 0


def test_the_text_row_is_refused_when_the_chunks_are_not_those_written(
    runtime: Runtime, doc_ids: list[int]
) -> None:
    doc = doc_ids[1]
    stored = write_chunks(runtime.sessions, doc, ["甲" * 50], limit=20)
    with session_scope(runtime.sessions) as s:  # another run of the document deleted them
        s.execute(DocumentTextChunk.__table__.delete().where(DocumentTextChunk.seq == 0))
    with pytest.raises(IncompleteText, match=f"document {doc}: 2 text chunks stored, 3 written"):
        with session_scope(runtime.sessions) as s:
            record_text(s, doc, extractor="x", stored=stored)
    with runtime.sessions() as s:
        assert s.get(DocumentText, doc) is None


def test_unfinished_chunks_of_queued_and_failed_documents_are_deleted(
    runtime: Runtime, doc_ids: list[int]
) -> None:
    queued, processing, indexed = doc_ids
    for doc in doc_ids:
        write_chunks(runtime.sessions, doc, ["文本" * 30], limit=20)
    with session_scope(runtime.sessions) as s:
        record_text(s, indexed, extractor="x", stored=StoredText(60, 3))
    with session_scope(runtime.sessions) as s:
        assert delete_unfinished(s) == 3
    # the processing document may still be writing; the indexed one is complete
    assert [_chunk_rows(runtime, d) for d in doc_ids] == [0, 3, 3]
    assert TEXT_CHUNK_CHARS == 50_000
