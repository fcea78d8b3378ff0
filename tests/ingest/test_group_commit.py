"""Group commit of the search index: the worker's extraction leaves documents ready, one flush
writes them in one index commit. Counted on the real tantivy index (a subclass that only
counts its upserts), on the real SQLite database and filesystem broker."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tantivy
from sqlalchemy import select, update

from archive.db import session_scope
from archive.models import Document
from ingest import indexing, tasks
from ingest.celery_app import EXTRACT_TASK, FLUSH_TASK
from ingest.indexing import FlushReport, count_ready, flush_ready
from ingest.pipeline import process_document
from ingest.service import IngestResult, Outcome, reconcile, retry_document
from ingest.worker import wait_for_documents, worker_alive
from juanzong.runtime import Runtime
from search.api import IndexDoc, SearchRequest
from search.engines.tantivy_engine import TantivyIndex
from search.engines.tantivy_schema import build_schema

from .conftest import load_document
from .samples import sample_docx, sample_pdf

ROOT = Path(__file__).resolve().parents[2]


class CountingIndex(TantivyIndex):
    """The real tantivy index; it records the doc_ids of each upsert (one commit each) and
    may run ``before_upsert`` once, to let another caller overlap."""

    def __init__(self, path: Path, **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self.upserts: list[list[int]] = []
        self.before_upsert: Callable[[], None] | None = None

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        docs = list(docs)
        hook, self.before_upsert = self.before_upsert, None
        if hook is not None:
            hook()
        super().upsert(docs)
        self.upserts.append([d.doc_id for d in docs])


def index_path(rt: Runtime) -> Path:
    return Path(rt.settings.search_url.removeprefix("tantivy://"))


@pytest.fixture
def counting(runtime: Runtime) -> Iterator[CountingIndex]:
    index = CountingIndex(index_path(runtime), lock_timeout=0.3)
    runtime.index = index  # the runtime closes it
    yield index


def upload_texts(upload: Callable[..., IngestResult], n: int) -> list[int]:
    ids = []
    for i in range(n):
        result = upload(f"第{i}号证据说明\n本证据证明被告收到货物{i}批。".encode(), f"证据{i}.txt")
        assert result.document_id is not None
        ids.append(result.document_id)
    return ids


def statuses(rt: Runtime, ids: list[int]) -> list[str]:
    with rt.sessions() as s:
        return list(s.scalars(select(Document.status).where(Document.id.in_(ids)).order_by(Document.id)))


def queued_tasks(rt: Runtime) -> list[str]:
    """Task names waiting in the filesystem broker, oldest first."""
    folder = rt.settings.broker_folder / "queue"
    return [json.loads(p.read_bytes())["headers"]["task"] for p in sorted(folder.glob("*.msg"))]


def hits(rt: Runtime, query: str) -> list[int]:
    return [h.doc_id for h in rt.index.search(SearchRequest(query=query)).hits]


def test_extraction_tasks_leave_documents_ready_and_one_flush_indexes_them_in_one_commit(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    ids = upload_texts(upload, 5)
    for document_id in ids:
        tasks.extract_document(document_id)  # the task's body, run here
    assert counting.upserts == []
    assert statuses(runtime, ids) == ["processing"] * 5
    assert count_ready(runtime) == 5
    doc = load_document(runtime, ids[0])
    assert (doc.indexed_at, doc.text is not None) == (None, True)
    # each upload sent its extraction, each extraction (below the batch size) a flush
    assert queued_tasks(runtime) == [EXTRACT_TASK] * 5 + [FLUSH_TASK] * 5

    tasks.flush_index()
    assert counting.upserts == [ids]
    assert statuses(runtime, ids) == ["indexed"] * 5
    assert count_ready(runtime) == 0
    assert load_document(runtime, ids[0]).indexed_at is not None
    assert hits(runtime, "收到货物3批") == [ids[3]]

    tasks.flush_index()  # the other flush tasks find nothing left
    assert counting.upserts == [ids]


def test_a_flush_splits_batches_by_text_size(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    counting: CountingIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = upload_texts(upload, 5)  # each stored text is 22 characters long
    for document_id in ids:
        tasks.extract_document(document_id)
    assert {load_document(runtime, i).text.char_count for i in ids} == {22}
    monkeypatch.setattr(indexing, "FLUSH_MAX_CHARS", 60)  # two documents fit, a third does not
    report = flush_ready(runtime)
    assert counting.upserts == [ids[0:2], ids[2:4], ids[4:5]]
    assert (sorted(report.indexed), report.commits) == (ids, 3)
    monkeypatch.setattr(indexing, "FLUSH_MAX_CHARS", 10)  # a document larger than the cap still goes in
    more = upload_texts(upload, 7)[5:]
    for document_id in more:
        tasks.extract_document(document_id)
    flush_ready(runtime)
    assert counting.upserts[3:] == [[more[0]], [more[1]]]


def test_batch_size_makes_the_extraction_task_flush_at_once(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    runtime.settings = replace(
        runtime.settings, extra={**runtime.settings.extra, "JUANZONG_INDEX_BATCH": "3"}
    )
    ids = upload_texts(upload, 4)
    assert process_document(runtime, ids[0], flush=False) == "processing"
    assert process_document(runtime, ids[1], flush=False) == "processing"
    assert counting.upserts == []
    assert process_document(runtime, ids[2], flush=False) == "indexed"  # the third makes a batch
    assert counting.upserts == [ids[:3]]
    assert process_document(runtime, ids[3], flush=False) == "processing"
    assert counting.upserts == [ids[:3]]
    assert statuses(runtime, ids) == ["indexed", "indexed", "indexed", "processing"]
    assert queued_tasks(runtime) == [EXTRACT_TASK] * 4 + [FLUSH_TASK] * 3


def test_process_document_indexes_only_its_document_at_once(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    ids = upload_texts(upload, 2)
    assert process_document(runtime, ids[0], flush=False) == "processing"
    assert process_document(runtime, ids[1]) == "indexed"
    assert counting.upserts == [[ids[1]]]
    assert statuses(runtime, ids) == ["processing", "indexed"]


def test_two_overlapping_flushes_leave_one_entry_each(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    ids = upload_texts(upload, 3)
    for document_id in ids:
        process_document(runtime, document_id, flush=False)
    other = Runtime(runtime.settings)  # as a second worker process: own engine and index
    inner: list[FlushReport] = []
    counting.before_upsert = lambda: inner.append(flush_ready(other))
    try:
        outer = flush_ready(runtime)  # reads the ready documents, then the other flush runs first
    finally:
        other.close()
    assert (inner[0].indexed, inner[0].commits) == (ids, 1)
    assert (outer.indexed, outer.commits) == ([], 1)  # it upserted them again, found them marked
    assert counting.upserts == [ids]
    assert statuses(runtime, ids) == ["indexed"] * 3
    assert runtime.index.count() == 3
    assert runtime.index.doc_ids() == set(ids)
    for n, document_id in enumerate(ids):
        assert hits(runtime, f"收到货物{n}批") == [document_id]


def test_a_document_processed_again_during_a_flush_is_not_marked_by_it(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    ids = upload_texts(upload, 2)
    for document_id in ids:
        process_document(runtime, document_id, flush=False)
    counting.before_upsert = lambda: process_document(runtime, ids[1], flush=False)
    report = flush_ready(runtime)
    assert report.indexed == [ids[0]]
    assert statuses(runtime, ids) == ["indexed", "processing"]  # ready again, with its new text
    assert flush_ready(runtime).indexed == [ids[1]]
    assert counting.upserts == [ids, [ids[1]]]


def test_failed_index_leaves_documents_ready_and_a_later_flush_indexes_them(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    counting: CountingIndex,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = upload_texts(upload, 3)
    for document_id in ids:
        process_document(runtime, document_id, flush=False)
    live = index_path(runtime) / (index_path(runtime) / "CURRENT").read_text().strip()
    holder = tantivy.Index(build_schema(), path=str(live), reuse=True).writer()  # another writer
    try:
        with caplog.at_level(logging.WARNING, logger="ingest.indexing"):
            report = flush_ready(runtime)
    finally:
        holder.rollback()
        holder.wait_merging_threads()  # releases the lock
    assert (report.indexed, report.failed, report.index_error, report.commits) == ([], [], True, 0)
    assert "search index unavailable; 3 documents stay ready" in caplog.text
    assert statuses(runtime, ids) == ["processing"] * 3
    assert load_document(runtime, ids[0]).error_message is None
    assert count_ready(runtime) == 3

    later = flush_ready(runtime)
    assert (later.indexed, later.index_error, later.commits) == (ids, False, 1)
    assert statuses(runtime, ids) == ["indexed"] * 3
    assert runtime.index.doc_ids() == set(ids)


def test_a_document_whose_index_entry_cannot_be_built_fails_alone(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    counting: CountingIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = upload_texts(upload, 3)
    for document_id in ids:
        process_document(runtime, document_id, flush=False)
    real = indexing.index_doc_for

    def entry(document: Document, **kwargs: object) -> IndexDoc:
        if document.id == ids[1]:
            raise ValueError("simulated bad record")
        return real(document, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexing, "index_doc_for", entry)
    report = flush_ready(runtime)
    assert (report.indexed, report.failed) == ([ids[0], ids[2]], [ids[1]])
    assert counting.upserts == [[ids[0], ids[2]]]
    doc = load_document(runtime, ids[1])
    assert (doc.status, doc.error_code, doc.error_message) == (
        "failed",
        "index_error",
        "无法为该文档生成搜索索引条目",
    )
    # retrying it drops its text, so it is not ready before it is extracted again
    assert retry_document(runtime, ids[1], user=None).document_id == ids[1]
    doc = load_document(runtime, ids[1])
    assert (doc.status, doc.text) == ("queued", None)


def test_when_no_entry_of_a_batch_can_be_built_they_all_stay_ready(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    counting: CountingIndex,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = upload_texts(upload, 2)
    for document_id in ids:
        process_document(runtime, document_id, flush=False)

    def broken(document: Document, **_kwargs: object) -> IndexDoc:
        raise ValueError("simulated bug")

    monkeypatch.setattr(indexing, "index_doc_for", broken)
    with caplog.at_level(logging.ERROR, logger="ingest.indexing"):
        report = flush_ready(runtime)
    assert (report.indexed, report.failed, report.index_error) == ([], [], True)
    assert "no document of the batch could be indexed; 2 stay ready" in caplog.text
    assert statuses(runtime, ids) == ["processing", "processing"]
    monkeypatch.undo()
    assert flush_ready(runtime).indexed == ids
    assert counting.upserts == [ids]


def test_processing_again_drops_the_old_text_first(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    (document_id,) = upload_texts(upload, 1)
    assert process_document(runtime, document_id) == "indexed"
    texts: list[object] = []
    # while the original is downloaded again, the document has no text: no flush can take it
    store_download = runtime.store.download_to

    def download_to(key: str, path: Path) -> None:
        texts.append((load_document(runtime, document_id).text, count_ready(runtime)))
        store_download(key, path)

    runtime.store.download_to = download_to  # type: ignore[method-assign]
    assert process_document(runtime, document_id, flush=False) == "processing"
    assert texts == [(None, 0)]
    assert count_ready(runtime) == 1


def test_reconcile_flushes_documents_ready_for_more_than_a_minute(
    runtime: Runtime, upload: Callable[..., IngestResult], counting: CountingIndex
) -> None:
    old, recent, queued = upload_texts(upload, 3)
    process_document(runtime, old, flush=False)
    process_document(runtime, recent, flush=False)
    with session_scope(runtime.sessions) as s:  # ready for 30 minutes: flushed, not re-queued
        s.execute(
            update(Document)
            .where(Document.id == old)
            .values(updated_at=datetime.now(UTC) - timedelta(minutes=30))
        )
        s.execute(
            update(Document)
            .where(Document.id == queued)
            .values(updated_at=datetime.now(UTC) - timedelta(minutes=30))
        )
    report = reconcile(runtime, stuck_minutes=10)
    assert (report.requeued, report.reindexed, report.removed) == (1, 1, 0)
    assert counting.upserts == [[old]]
    assert statuses(runtime, [old, recent, queued]) == ["indexed", "processing", "queued"]
    assert load_document(runtime, queued).attempts == 2


def run_worker_until(runtime: Runtime, ids: list[int], log: Path) -> None:
    """Run a real ``juanzong worker`` process on the runtime's data directory until every
    document of ``ids`` is indexed, then stop it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JUANZONG_")
        and k not in ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL")
    }
    env.update(JUANZONG_DATA_DIR=str(runtime.settings.data_dir), SECRET_KEY="test-secret")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "juanzong.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while wait_for_documents(runtime, ids, timeout=0.5, poll_s=0.1).get("indexed", 0) < len(ids):
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, log.read_text(errors="replace")
    assert worker_alive(runtime) is False


def flush_lines(log: Path) -> list[str]:
    return [
        line.split("index flush: ")[1] for line in log.read_text().splitlines() if "index flush: " in line
    ]


@pytest.mark.slow
def test_real_worker_indexes_ten_uploads_in_one_index_commit(
    runtime: Runtime, upload: Callable[..., IngestResult], tmp_path: Path
) -> None:
    ids = upload_texts(upload, 8)
    for path in (sample_pdf(tmp_path / "判决书.pdf"), sample_docx(tmp_path / "分析报告.docx")):
        result = upload(path)
        assert (result.outcome, result.document_id is not None) == (Outcome.QUEUED, True)
        ids.append(result.document_id)
    # Queued before the worker starts: the ten extractions run first, then the first flush
    # task finds all ten ready.
    log = tmp_path / "worker.log"
    run_worker_until(runtime, ids, log)
    assert statuses(runtime, ids) == ["indexed"] * 10
    assert runtime.index.doc_ids() == set(ids)
    for n in range(8):
        assert hits(runtime, f"收到货物{n}批") == [ids[n]]
    assert hits(runtime, "逾期付款违约金") == [ids[8]]
    assert hits(runtime, "增值税专用发票") == [ids[9]]
    assert flush_lines(log) == ["10 documents indexed, 0 failed, 1 index commits"]


@pytest.mark.slow
def test_a_starting_worker_indexes_documents_left_ready(
    runtime: Runtime, upload: Callable[..., IngestResult], tmp_path: Path
) -> None:
    # As a worker stopped between storing the text and sending the flush leaves them: ready,
    # with no task in the queue.
    ids = upload_texts(upload, 2)
    for document_id in ids:
        assert process_document(runtime, document_id, flush=False) == "processing"
    for message in (runtime.settings.broker_folder / "queue").glob("*.msg"):
        message.unlink()
    log = tmp_path / "worker.log"
    run_worker_until(runtime, ids, log)
    assert hits(runtime, "收到货物1批") == [ids[1]]
    assert flush_lines(log) == ["2 documents indexed, 0 failed, 1 index commits"]
