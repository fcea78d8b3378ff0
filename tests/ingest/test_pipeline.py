"""The extraction step (what the worker runs), reindex and reconcile, on the real SQLite
database, LocalStore and tantivy index."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from archive.db import session_scope
from archive.models import Document, DocumentTextChunk
from archive.texts import iter_text, write_chunks
from ingest import pipeline
from ingest.errors import MSG_PDF_CORRUPT, ErrorCode, IngestError
from ingest.extract.base import Extraction
from ingest.indexing import count_ready, flush_ready
from ingest.pipeline import index_doc_for, process_document
from ingest.service import IngestResult, Outcome, reconcile, reindex
from juanzong.runtime import Runtime
from search.api import IndexDoc, SearchRequest
from search.casenumber import parse_case_number

from .conftest import CASE_NUMBER, load_document, stored_text
from .samples import sample_docx, sample_pdf

TEXT = "代理词\n本案争议焦点在于违约金\n计算标准。被告主张违约金过高。\n"


def hits(rt: Runtime, query: str) -> list[int]:
    return [h.doc_id for h in rt.index.search(SearchRequest(query=query)).hits]


def test_text_document_is_extracted_stored_and_indexed(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(TEXT.encode("gb18030"), "代理词.txt")
    assert result.document_id is not None
    doc = process(result.document_id)
    assert (doc.status, doc.error_code, doc.error_message, doc.page_count) == ("indexed", None, None, None)
    assert doc.indexed_at is not None
    assert doc.text is not None
    assert doc.text.extractor == "text:gb18030"
    text = stored_text(runtime, doc.id)
    assert text == "代理词\n本案争议焦点在于违约金\n计算标准。被告主张违约金过高。"  # lines stay
    assert (doc.text.char_count, doc.text.chunk_count) == (len(text), 1)
    assert runtime.index.count() == 1
    assert hits(runtime, "违约金计算标准") == [doc.id]


def test_processing_twice_leaves_one_index_entry(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    process(result.document_id)
    doc = process(result.document_id)
    assert doc.status == "indexed"
    assert runtime.index.count() == 1
    assert hits(runtime, "争议焦点") == [doc.id]


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_pdf_records_page_count(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], Document],
    tmp_path: Path,
    font: str,
) -> None:
    result = upload(sample_pdf(tmp_path / "判决书.pdf", font=font))
    assert (result.outcome, result.filename) == (Outcome.QUEUED, "判决书.pdf")
    assert result.document_id is not None
    doc = process(result.document_id)
    assert (doc.status, doc.page_count, doc.sniffed_kind, doc.mime_type) == (
        "indexed",
        1,
        "pdf",
        "application/pdf",
    )
    assert hits(runtime, "逾期付款违约金") == [doc.id]


def test_docx_is_indexed_with_table_and_header(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document], tmp_path: Path
) -> None:
    result = upload(sample_docx(tmp_path / "分析报告.docx"))
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.status == "indexed"
    assert doc.text is not None and doc.text.extractor == "python-docx"
    for phrase in ("增值税专用发票", "双方存在买卖合同关系", "北京华辰科技有限公司法务部", "注意保密"):
        assert hits(runtime, phrase) == [doc.id], phrase


def test_index_doc_for_carries_the_case(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    process(result.document_id)
    with runtime.sessions() as s:
        doc = s.get(Document, result.document_id)
        assert doc is not None
        entry = index_doc_for(doc, sessions=runtime.sessions)
        created = doc.created_at
    assert entry == IndexDoc(
        doc_id=result.document_id,
        case_id=doc.case_id,
        case_name="北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷",
        case_internal_no="JZ-2023-017",
        doc_type="legal_doc",
        title="代理词",
        filename="代理词.txt",
        text="",  # read from the database when the engine asks (text_chunks)
        year=created.year,
        court_case_numbers=(parse_case_number(CASE_NUMBER).canonical,),
        created_at=created.replace(tzinfo=UTC),
    )
    assert list(entry.iter_text()) == ["代理词\n本案争议焦点在于违约金\n计算标准。被告主张违约金过高。"]
    assert entry.whole_text() == "代理词\n本案争议焦点在于违约金\n计算标准。被告主张违约金过高。"  # again
    with pytest.raises(TypeError):
        index_doc_for(doc)


def test_missing_document_is_ignored(runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ingest.pipeline"):
        assert process_document(runtime, 12345) is None
    assert "document 12345 does not exist" in caplog.text


def test_missing_original_fails_with_a_reason(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    runtime.store.delete(load_document(runtime, result.document_id).storage_key)
    doc = process(result.document_id)
    assert (doc.status, doc.error_code, doc.error_message) == (
        "failed",
        "storage_error",
        "原始文件在存储中找不到",
    )


def test_unexpected_error_fails_with_an_internal_error(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], Document],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None

    def broken_extractor(*_args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(pipeline, "stream_document", broken_extractor)
    with caplog.at_level(logging.ERROR, logger="ingest.pipeline"):
        doc = process(result.document_id)
    assert (doc.status, doc.error_code, doc.error_message) == ("failed", "internal", "处理时发生内部错误")
    assert "RuntimeError: simulated bug" in caplog.text  # the traceback is logged


def _chunk_rows(rt: Runtime, document_id: int) -> int:
    with rt.sessions() as s:
        return int(s.scalar(select(func.count()).where(DocumentTextChunk.document_id == document_id)) or 0)


def test_a_long_text_is_stored_in_chunks_and_found_in_its_last_one(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    paragraph = "原告请求判令被告支付货款。" * 40  # 520 characters a line
    body = "\n".join([paragraph] * 240 + ["末页记载：双方当事人于庭后达成调解协议。"])
    result = upload(body.encode(), "长篇笔录.txt")
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.status == "indexed" and doc.text is not None
    assert (doc.text.char_count, doc.text.chunk_count) == (len(body), 3)
    chunks = list(iter_text(runtime.sessions, doc.id))
    assert [len(c) for c in chunks] == [95 * 521, 95 * 521, len(body) - 190 * 521]  # 95 whole lines each
    assert all(c.endswith("\n") for c in chunks[:2]) and "".join(chunks) == body
    assert hits(runtime, "庭后达成调解协议") == [doc.id]


def test_a_bad_file_found_mid_way_drops_the_chunks_already_written(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    document_id = result.document_id
    process(document_id)
    assert runtime.index.doc_ids() == {document_id}
    written: list[int] = []

    def pieces() -> Iterator[str]:
        yield "第一页的文字。" * 10_000  # 70,000 characters: one chunk is full
        written.append(_chunk_rows(runtime, document_id))
        raise IngestError(ErrorCode.CORRUPT, MSG_PDF_CORRUPT, "page 2 cannot be read")

    monkeypatch.setattr(pipeline, "stream_document", lambda *_args: Extraction(pieces(), "pypdf", 5))
    doc = process(document_id)
    assert written == [1]  # committed while the extraction went on
    assert (doc.status, doc.error_code, doc.error_message, doc.text) == (
        "failed",
        "corrupt",
        "PDF 文件已损坏或不完整",
        None,
    )
    assert _chunk_rows(runtime, document_id) == 0
    assert runtime.index.count() == 0  # its old entry no longer stands for it


def test_a_second_run_of_the_same_document_leaves_it_to_the_other_run(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    document_id = result.document_id

    def pieces() -> Iterator[str]:
        yield "第一页的文字。" * 10_000  # one chunk full: seq 0 written
        # Meanwhile another run of the same document stores its chunk 1.
        write_other = [DocumentTextChunk(document_id=document_id, seq=1, text="另一次运行的文字")]
        with session_scope(runtime.sessions) as s:
            s.add_all(write_other)
        yield "第二页的文字。" * 10_000

    monkeypatch.setattr(pipeline, "stream_document", lambda *_args: Extraction(pieces(), "pypdf", 2))
    doc = process(document_id)
    # Not failed: the other run owns the document now; nothing of this run is left ready.
    assert (doc.status, doc.error_code, doc.text) == ("processing", None, None)
    assert count_ready(runtime) == 0


def test_an_extraction_without_any_piece_is_a_file_without_text(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], Document],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    monkeypatch.setattr(pipeline, "stream_document", lambda *_args: Extraction(iter(()), "pypdf", 1))
    doc = process(result.document_id)
    assert (doc.status, doc.error_code, doc.error_message) == ("failed", "no_text", "文件中没有可提取的文字")


def test_chunks_left_by_an_interrupted_extraction_are_never_ready_and_are_cleaned(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    queued = upload("排队中的文档".encode(), "a.txt").document_id
    again = upload("再次处理的文档".encode(), "b.txt").document_id
    assert queued and again
    for document_id in (queued, again):  # as a worker killed mid-way leaves them: no text row
        write_chunks(runtime.sessions, document_id, ["残留的半截文本"])
    with session_scope(runtime.sessions) as s:
        s.execute(update(Document).where(Document.id == again).values(status="processing"))
    assert count_ready(runtime) == 0
    assert flush_ready(runtime).indexed == []
    assert reindex(runtime) == 0
    assert reconcile(runtime).requeued == 0
    assert _chunk_rows(runtime, queued) == 0
    assert _chunk_rows(runtime, again) == 1  # processing: it may still be writing, left alone
    doc = process(again)  # processing it again starts afresh
    assert (doc.status, stored_text(runtime, again)) == ("indexed", "再次处理的文档")


def test_reprocessing_into_failure_removes_the_old_index_entry(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(TEXT.encode(), "代理词.txt")
    assert result.document_id is not None
    process(result.document_id)
    assert runtime.index.count() == 1
    runtime.store.delete(load_document(runtime, result.document_id).storage_key)
    assert process(result.document_id).status == "failed"
    assert runtime.index.count() == 0


def test_reindex_rebuilds_from_the_database(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    ids = []
    for n in range(3):
        result = upload(f"第{n}号证据说明：付款凭证".encode(), f"证据{n}.txt")
        assert result.document_id is not None
        ids.append(result.document_id)
    for document_id in ids[:2]:
        process(document_id)  # the third stays queued: not in the index
    runtime.index.clear()
    assert runtime.index.count() == 0
    assert reindex(runtime) == 2
    assert runtime.index.doc_ids() == set(ids[:2])


def test_reconcile_repairs_queue_and_index(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    stuck = upload("卡在处理中的文档".encode(), "a.txt").document_id
    fresh = upload("刚上传的文档".encode(), "b.txt").document_id
    lost = upload("索引中丢失的文档".encode(), "c.txt").document_id
    assert stuck and fresh and lost
    process(lost)
    runtime.index.delete([lost])
    runtime.index.upsert(
        [
            IndexDoc(
                doc_id=999,
                case_id=1,
                case_name="",
                case_internal_no="",
                doc_type="other",
                title="孤儿",
                filename="x.txt",
                text="已删除文档的残留索引",
            )
        ]
    )
    with session_scope(runtime.sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == stuck)
            .values(status="processing", updated_at=datetime.now(UTC) - timedelta(minutes=30))
        )
    tmp = runtime.settings.data_dir / "tmp"
    (tmp / "upload-old").write_bytes(b"left by a crash")
    (tmp / "upload-new").write_bytes(b"an upload in progress")
    day_old = time.time() - 25 * 3600
    os.utime(tmp / "upload-old", (day_old, day_old))
    report = reconcile(runtime, stuck_minutes=10)
    assert (report.requeued, report.reindexed, report.removed, report.temp_removed) == (1, 1, 1, 1)
    assert report.items() == [
        ("重新排队的文档", 1),
        ("补建索引的文档", 1),
        ("清除的多余索引", 1),
        ("清理的临时文件", 1),
    ]
    assert sorted(p.name for p in tmp.iterdir()) == ["upload-new"]
    assert runtime.index.doc_ids() == {lost}
    doc = load_document(runtime, stuck)
    assert (doc.status, doc.attempts) == ("queued", 2)
    assert load_document(runtime, fresh).attempts == 1
    again = reconcile(runtime, stuck_minutes=10)
    assert (again.requeued, again.reindexed, again.removed, again.temp_removed) == (0, 0, 0, 0)
