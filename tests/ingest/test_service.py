"""Upload outcomes: exact results, what is stored, what is recorded, what is sent."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.models import AuditEvent, Document
from archive.storage import LocalStore, StorageError, content_key
from ingest.service import IngestResult, Outcome, ingest_stream, retry_document, too_large_message
from juanzong.runtime import Runtime

from .conftest import load_document
from .samples import png_bytes

TEXT = "庭审笔录\n审判长：现在开庭。原告北京华辰科技有限公司到庭。\n".encode("gb18030")


def queued_messages(rt: Runtime) -> list[Path]:
    return sorted((rt.settings.broker_folder / "queue").glob("*.msg"))


def document_count(rt: Runtime) -> int:
    with rt.sessions() as s:
        return s.scalar(select(func.count()).select_from(Document)) or 0


def temp_files(rt: Runtime) -> list[Path]:
    tmp = rt.settings.data_dir / "tmp"
    return list(tmp.iterdir()) if tmp.exists() else []


def test_upload_is_stored_recorded_and_sent(runtime: Runtime, upload: Callable[..., IngestResult]) -> None:
    result = upload(TEXT, "第一次庭审笔录.txt")
    assert result.outcome is Outcome.QUEUED
    assert (result.filename, result.message) == ("第一次庭审笔录.txt", "已上传，等待处理")
    assert result.document_id is not None
    sha = hashlib.sha256(TEXT).hexdigest()
    doc = load_document(runtime, result.document_id)
    assert (doc.title, doc.original_filename, doc.doc_type) == (
        "第一次庭审笔录",
        "第一次庭审笔录.txt",
        "legal_doc",
    )
    assert (doc.sha256, doc.size, doc.storage_key) == (sha, len(TEXT), content_key(sha))
    assert (doc.mime_type, doc.sniffed_kind, doc.notes) == ("text/plain", "text", "")
    assert (doc.status, doc.attempts, doc.error_code, doc.error_message) == ("queued", 1, None, None)
    with runtime.store.open(doc.storage_key) as f:
        assert f.read() == TEXT
    assert len(queued_messages(runtime)) == 1
    assert temp_files(runtime) == []
    with runtime.sessions() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "document.upload"))
        assert event is not None
        assert (event.object_type, event.object_id) == ("document", str(doc.id))
        assert event.detail["sha256"] == sha


def test_given_title_is_kept(runtime: Runtime, case_id: int) -> None:
    result = ingest_stream(
        runtime,
        case_id=case_id,
        stream=io.BytesIO(TEXT),
        filename="a.txt",
        doc_type=DocType.HEARING,
        user=None,
        title="  第一次开庭笔录  ",
    )
    assert result.document_id is not None
    doc = load_document(runtime, result.document_id)
    assert (doc.title, doc.doc_type) == ("第一次开庭笔录", "hearing")


def test_same_file_twice_in_a_case_is_a_duplicate(
    runtime: Runtime, upload: Callable[..., IngestResult]
) -> None:
    first = upload(TEXT, "笔录.txt")
    second = upload(TEXT, "笔录（副本）.txt")
    assert second.outcome is Outcome.DUPLICATE
    assert second.document_id == first.document_id
    assert second.message == f"该案件中已有内容相同的文件：“笔录”（文档编号 {first.document_id}），未重复保存"
    assert document_count(runtime) == 1
    assert list(runtime.store.iter_keys()) == [content_key(hashlib.sha256(TEXT).hexdigest())]
    assert len(queued_messages(runtime)) == 1


def test_same_file_in_another_case_shares_the_stored_original(
    runtime: Runtime, upload: Callable[..., IngestResult]
) -> None:
    upload(TEXT, "笔录.txt")
    with session_scope(runtime.sessions) as s:
        other = create_case(s, CaseInput(name="另一案件", internal_no="JZ-2023-018")).id
    result = ingest_stream(
        runtime,
        case_id=other,
        stream=io.BytesIO(TEXT),
        filename="笔录.txt",
        doc_type=DocType.OTHER,
        user=None,
    )
    assert result.outcome is Outcome.QUEUED
    assert document_count(runtime) == 2
    assert len(list(runtime.store.iter_keys())) == 1


def test_empty_file_is_rejected(runtime: Runtime, upload: Callable[..., IngestResult]) -> None:
    result = upload(b"", "空白.txt")
    assert result == IngestResult(Outcome.REJECTED, "空白.txt", "文件为空", None)
    assert document_count(runtime) == 0
    assert list(runtime.store.iter_keys()) == []
    assert temp_files(runtime) == []


def test_file_over_the_size_limit_is_rejected(runtime: Runtime, case_id: int) -> None:
    small = Runtime(dataclasses.replace(runtime.settings, max_upload_bytes=1024))
    try:
        result = ingest_stream(
            small,
            case_id=case_id,
            stream=io.BytesIO(b"x" * 1025),
            filename="大文件.txt",
            doc_type=DocType.OTHER,
            user=None,
        )
        assert result == IngestResult(Outcome.REJECTED, "大文件.txt", "文件超过大小上限 1 KB", None)
        exact = ingest_stream(
            small,
            case_id=case_id,
            stream=io.BytesIO(b"x" * 1024),
            filename="刚好.txt",
            doc_type=DocType.OTHER,
            user=None,
        )
        assert exact.outcome is Outcome.QUEUED
    finally:
        small.close()
    assert document_count(runtime) == 1
    assert len(list(runtime.store.iter_keys())) == 1
    assert temp_files(runtime) == []


def test_size_limit_message_names_the_real_limit() -> None:
    assert too_large_message(200 * 1024 * 1024) == "文件超过大小上限 200 MB"
    assert too_large_message(1536 * 1024) == "文件超过大小上限 1.5 MB"
    assert too_large_message(100) == "文件超过大小上限 100 字节"


def test_unsupported_type_is_kept_and_failed(runtime: Runtime, upload: Callable[..., IngestResult]) -> None:
    data = png_bytes()
    result = upload(data, "现场照片.png")
    assert (result.outcome, result.message) == (Outcome.FAILED, "扫描图片暂不支持")
    assert result.document_id is not None
    doc = load_document(runtime, result.document_id)
    assert (doc.status, doc.error_code, doc.error_message) == ("failed", "unsupported", "扫描图片暂不支持")
    assert (doc.sniffed_kind, doc.mime_type, doc.attempts) == ("image", "image/png", 0)
    with runtime.store.open(doc.storage_key) as f:
        assert f.read() == data
    assert queued_messages(runtime) == []


def test_unknown_case_is_rejected(runtime: Runtime) -> None:
    result = ingest_stream(
        runtime, case_id=999, stream=io.BytesIO(TEXT), filename="a.txt", doc_type=DocType.OTHER, user=None
    )
    assert result == IngestResult(Outcome.REJECTED, "a.txt", "案件不存在", None)


class BrokenStore(LocalStore):
    """A store whose server is down: every write fails."""

    def put_file(self, key: str, path: Path, *, content_type: str = "application/octet-stream") -> None:
        raise StorageError("connection refused")


def test_storage_failure_keeps_nothing(runtime: Runtime, upload: Callable[..., IngestResult]) -> None:
    runtime.store = BrokenStore(runtime.settings.data_dir / "objects")
    result = upload(TEXT, "笔录.txt")
    assert result == IngestResult(Outcome.REJECTED, "笔录.txt", "存储服务不可用，请稍后重试", None)
    assert document_count(runtime) == 0
    assert queued_messages(runtime) == []
    assert temp_files(runtime) == []
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "document.upload")) == 0


def test_broker_failure_leaves_the_document_queued(runtime: Runtime, case_id: int) -> None:
    blocker = runtime.settings.data_dir / "not-a-dir"
    blocker.write_text("x")
    broken = Runtime(dataclasses.replace(runtime.settings, broker_url=f"filesystem://{blocker}/broker"))
    try:
        result = ingest_stream(
            broken,
            case_id=case_id,
            stream=io.BytesIO(TEXT),
            filename="a.txt",
            doc_type=DocType.OTHER,
            user=None,
        )
    finally:
        broken.close()
    assert (result.outcome, result.message) == (
        Outcome.QUEUED,
        "已上传；暂时无法通知处理进程，稍后将自动重新排队",
    )
    assert result.document_id is not None
    assert load_document(runtime, result.document_id).status == "queued"


def test_hostile_and_long_names_are_display_only(
    runtime: Runtime, upload: Callable[..., IngestResult], tmp_path: Path
) -> None:
    names = {
        "../../../../etc/cron.d/evil.txt": "evil.txt",
        "..\\..\\windows\\win.ini": "win.ini",
        "起诉状（2023）京0105民初12345号.txt": "起诉状（2023）京0105民初12345号.txt",
        "证" * 300 + ".txt": "证" * 251 + ".txt",
        "/absolute/path/x.txt": "x.txt",
    }
    before = {p for p in tmp_path.rglob("*")}
    for n, (raw, shown) in enumerate(names.items()):
        content = f"第{n}份材料：原告提交的证据目录。".encode()
        result = upload(content, raw)
        assert (result.outcome, result.filename) == (Outcome.QUEUED, shown)
        assert result.document_id is not None
        doc = load_document(runtime, result.document_id)
        assert doc.original_filename == shown
        assert doc.storage_key == content_key(hashlib.sha256(content).hexdigest())
    created = {p for p in tmp_path.rglob("*")} - before
    data = runtime.settings.data_dir
    outside = [p for p in created if data not in p.parents]
    assert outside == []
    assert not any(p.name in ("evil.txt", "win.ini", "x.txt") or "证证" in p.name for p in created)
    assert sorted(runtime.store.iter_keys()) == sorted(
        content_key(hashlib.sha256(f"第{n}份材料：原告提交的证据目录。".encode()).hexdigest())
        for n in range(5)
    )


def test_retry_requeues_a_failed_document(runtime: Runtime, upload: Callable[..., IngestResult]) -> None:
    result = upload(png_bytes(), "照片.png")
    assert result.document_id is not None
    again = retry_document(runtime, result.document_id, user=None)
    assert again == IngestResult(Outcome.QUEUED, "照片.png", "已上传，等待处理", result.document_id)
    doc = load_document(runtime, result.document_id)
    assert (doc.status, doc.attempts, doc.error_code, doc.error_message) == ("queued", 1, None, None)
    assert len(queued_messages(runtime)) == 1
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "document.retry")) == 1
    refused = retry_document(runtime, result.document_id, user=None)
    assert (refused.outcome, refused.message) == (Outcome.REJECTED, "只有处理失败的文档可以重试")
    assert retry_document(runtime, 999, user=None).message == "文档不存在"
