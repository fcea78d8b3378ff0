"""Each bad input of the issue, end to end (upload, then the extraction step): the exact
outcome, code and Chinese reason, and that the original is never lost once accepted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.models import Document
from ingest.service import IngestResult, Outcome
from juanzong.runtime import Runtime
from search.api import SearchRequest

from .conftest import load_document
from .samples import encrypted_pdf, png_bytes, sample_docx, sample_pdf, zip_bomb_docx

Upload = Callable[..., IngestResult]
Process = Callable[[int], Document]


def _failed_after_processing(upload: Upload, process: Process, content: bytes | Path, name: str) -> Document:
    result = upload(content, name)
    assert result.outcome is Outcome.QUEUED, result
    assert result.document_id is not None
    return process(result.document_id)


def _original_kept(rt: Runtime, doc: Document, content: bytes) -> bool:
    with rt.store.open(doc.storage_key) as f:
        return f.read() == content


def test_empty_file(runtime: Runtime, upload: Upload) -> None:
    assert upload(b"", "空文件.pdf") == IngestResult(Outcome.REJECTED, "空文件.pdf", "文件为空", None)


def test_truncated_pdf(runtime: Runtime, upload: Upload, process: Process, tmp_path: Path) -> None:
    data = sample_pdf(tmp_path / "a.pdf").read_bytes()[:1500]
    doc = _failed_after_processing(upload, process, data, "判决书.pdf")
    assert (doc.status, doc.error_code, doc.error_message) == ("failed", "corrupt", "PDF 文件已损坏或不完整")
    assert _original_kept(runtime, doc, data)


def test_corrupt_pdf(runtime: Runtime, upload: Upload, process: Process) -> None:
    data = b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"
    doc = _failed_after_processing(upload, process, data, "判决书.pdf")
    assert (doc.status, doc.error_code, doc.error_message) == ("failed", "corrupt", "PDF 文件已损坏或不完整")


def test_pdf_with_a_user_password(runtime: Runtime, upload: Upload, process: Process, tmp_path: Path) -> None:
    path = encrypted_pdf(sample_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", user_password="s3cret")
    doc = _failed_after_processing(upload, process, path.read_bytes(), "加密判决书.pdf")
    assert (doc.status, doc.error_code, doc.error_message) == (
        "failed",
        "encrypted",
        "文件已加密，需要密码才能打开",
    )
    assert _original_kept(runtime, doc, path.read_bytes())
    assert runtime.index.count() == 0


def test_pdf_with_an_empty_user_password(
    runtime: Runtime, upload: Upload, process: Process, tmp_path: Path
) -> None:
    path = encrypted_pdf(sample_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", user_password="")
    doc = _failed_after_processing(upload, process, path.read_bytes(), "判决书.pdf")
    assert (doc.status, doc.page_count) == ("indexed", 1)
    assert [h.doc_id for h in runtime.index.search(SearchRequest(query="设备采购合同")).hits] == [doc.id]


def test_pdf_without_text_layer(runtime: Runtime, upload: Upload, process: Process, tmp_path: Path) -> None:
    from .samples import image_only_pdf

    doc = _failed_after_processing(upload, process, image_only_pdf(tmp_path / "scan.pdf"), None)
    assert (doc.status, doc.error_code, doc.error_message) == (
        "failed",
        "no_text",
        "未检测到文字层（可能是扫描件），暂不支持 OCR",
    )


def test_docx_that_is_not_a_zip(runtime: Runtime, upload: Upload) -> None:
    data = bytes(range(256)) * 8
    result = upload(data, "起诉状.docx")
    assert (result.outcome, result.message) == (
        Outcome.FAILED,
        "文件扩展名为 .docx，但内容不是有效的 DOCX 文件（可能已损坏）",
    )
    assert result.document_id is not None
    doc = load_document(runtime, result.document_id)
    assert (doc.status, doc.error_code, doc.sniffed_kind) == ("failed", "corrupt", "binary")
    assert _original_kept(runtime, doc, data)


def test_truncated_docx(runtime: Runtime, upload: Upload, tmp_path: Path) -> None:
    data = sample_docx(tmp_path / "a.docx").read_bytes()
    result = upload(data[: len(data) // 2], "分析报告.docx")
    assert (result.outcome, result.message) == (
        Outcome.FAILED,
        "文件扩展名为 .docx，但内容不是有效的 DOCX 文件（可能已损坏）",
    )


def test_zip_bomb(runtime: Runtime, upload: Upload, process: Process, tmp_path: Path) -> None:
    path = zip_bomb_docx(tmp_path / "bomb.docx")
    doc = _failed_after_processing(upload, process, path, None)
    assert (doc.status, doc.error_code, doc.error_message) == (
        "failed",
        "zip_bomb",
        "文件疑似压缩炸弹，已拒绝处理",
    )
    assert doc.sniffed_kind == "docx"


def test_pdf_named_docx_is_indexed_as_pdf(
    runtime: Runtime, upload: Upload, process: Process, tmp_path: Path
) -> None:
    doc = _failed_after_processing(
        upload, process, sample_pdf(tmp_path / "a.pdf").read_bytes(), "判决书.docx"
    )
    assert (doc.status, doc.sniffed_kind, doc.mime_type) == ("indexed", "pdf", "application/pdf")
    assert doc.notes == "扩展名为 .docx，实际内容为 PDF"
    assert doc.original_filename == "判决书.docx"


def test_text_named_docx_is_indexed_as_text(runtime: Runtime, upload: Upload, process: Process) -> None:
    doc = _failed_after_processing(upload, process, "这不是一个真正的 DOCX 文件".encode(), "说明.docx")
    assert (doc.status, doc.sniffed_kind, doc.notes) == ("indexed", "text", "扩展名为 .docx，实际内容为文本")


def test_png_named_pdf_is_unsupported(runtime: Runtime, upload: Upload) -> None:
    result = upload(png_bytes(), "扫描件.pdf")
    assert (result.outcome, result.message) == (Outcome.FAILED, "扫描图片暂不支持")
    assert result.document_id is not None
    doc = load_document(runtime, result.document_id)
    assert (doc.status, doc.error_code, doc.notes) == (
        "failed",
        "unsupported",
        "扩展名为 .pdf，实际内容为图片",
    )


def test_unsupported_legacy_word_file(runtime: Runtime, upload: Upload) -> None:
    result = upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "旧版起诉状.doc")
    assert (result.outcome, result.message) == (
        Outcome.FAILED,
        "暂不支持旧版 Office 文件（.doc/.xls），请另存为 DOCX 或 PDF 后再上传",
    )
