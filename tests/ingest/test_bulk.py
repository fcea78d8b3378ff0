from __future__ import annotations

from pathlib import Path

from archive.doctypes import DocType
from demodata.files import write_text
from ingest.bulk import collect_files, ingest_tree
from ingest.pipeline import process_document
from ingest.service import Outcome
from juanzong.runtime import Runtime

from .conftest import load_document
from .samples import png_bytes, sample_docx, sample_pdf


def _tree(root: Path) -> Path:
    (root / "证据" / "第二组").mkdir(parents=True)
    (root / ".git").mkdir()
    write_text(root / "01 代理词.txt", "代理词：被告应支付货款。", "gb18030")
    sample_pdf(root / "02 判决书.pdf")
    sample_docx(root / "证据" / "分析报告.docx")
    (root / "证据" / "第二组" / "空白.txt").write_bytes(b"")
    (root / "证据" / "第二组" / "照片.png").write_bytes(png_bytes())
    (root / "证据" / ".隐藏.txt").write_text("hidden", encoding="utf-8")
    (root / ".git" / "config").write_text("[core]", encoding="utf-8")
    return root


def test_collect_files_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    root = _tree(tmp_path / "卷宗")
    assert [p.relative_to(root).as_posix() for p in collect_files([root])] == [
        "01 代理词.txt",
        "02 判决书.pdf",
        "证据/分析报告.docx",
        "证据/第二组/照片.png",
        "证据/第二组/空白.txt",
    ]


def test_one_bad_file_never_stops_the_others(runtime: Runtime, case_id: int, tmp_path: Path) -> None:
    root = _tree(tmp_path / "卷宗")
    missing = tmp_path / "不存在.pdf"
    steps: list[int] = []
    report = ingest_tree(
        runtime, case_id, [root, missing], DocType.INVESTIGATION, None, progress=steps.append
    )
    assert steps == [1] * 6
    assert [(i.path.name, i.result.outcome, i.result.message) for i in report.items] == [
        ("01 代理词.txt", Outcome.QUEUED, "已上传，等待处理"),
        ("02 判决书.pdf", Outcome.QUEUED, "已上传，等待处理"),
        ("分析报告.docx", Outcome.QUEUED, "已上传，等待处理"),
        ("照片.png", Outcome.FAILED, "扫描图片暂不支持"),
        ("空白.txt", Outcome.REJECTED, "文件为空"),
        ("不存在.pdf", Outcome.REJECTED, "文件不存在或不是普通文件"),
    ]
    assert report.counts() == {Outcome.QUEUED: 3, Outcome.FAILED: 1, Outcome.REJECTED: 2}
    assert not report.ok
    assert len(report.document_ids) == 4
    statuses = []
    for document_id in report.document_ids:
        process_document(runtime, document_id)
        statuses.append(load_document(runtime, document_id).status)
    assert statuses == ["indexed", "indexed", "indexed", "failed"]
    assert runtime.index.count() == 3

    again = ingest_tree(runtime, case_id, [root], DocType.INVESTIGATION, None)
    assert [i.result.outcome for i in again.items] == [
        Outcome.DUPLICATE,
        Outcome.DUPLICATE,
        Outcome.DUPLICATE,
        Outcome.DUPLICATE,
        Outcome.REJECTED,
    ]
    assert again.document_ids == []
