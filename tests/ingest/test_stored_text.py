"""The text stored for a document (DocumentText, shown on the document page and in
snippets) keeps its paragraphs, while PDF line wraps are joined; search finds phrases
across either."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.models import Document
from ingest.service import IngestResult
from juanzong.runtime import Runtime
from search.analysis import normalize_text
from search.api import SearchRequest

from .samples import PARAGRAPHS, TITLE, sample_docx, sample_pdf


def _search(rt: Runtime, query: str) -> list[tuple[int, str]]:
    return [(h.doc_id, h.snippet_html) for h in rt.index.search(SearchRequest(query=query)).hits]


def test_docx_heading_and_paragraphs_stay_on_lines_of_their_own(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document], tmp_path: Path
) -> None:
    result = upload(sample_docx(tmp_path / "分析报告.docx"))
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.status == "indexed" and doc.text is not None
    assert doc.text.text.split("\n")[:4] == [
        "北京华辰科技有限公司法务部",
        "案件分析报告",
        "一、案件基本情况:原告主张被告拖欠货款。",
        "二、争议焦点:违约金计算标准是否过高。",
    ]
    # A phrase across the heading's line break is still found, and marked.
    [(doc_id, snippet)] = _search(runtime, "分析报告一")
    assert doc_id == doc.id
    assert snippet.startswith("北京华辰科技有限公司法务部 案件<mark>分析报告 一</mark>、案件基本情况:")


def test_lines_of_a_text_file_stay(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(
        "代理词\n本案争议焦点在于违约金\n计算标准。\n\n被告主张违约金过高。\n".encode("gb18030"), "代理词.txt"
    )
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    assert doc.text.text == "代理词\n本案争议焦点在于违约金\n计算标准。\n被告主张违约金过高。"
    assert _search(runtime, "违约金计算标准") == [
        (doc.id, "代理词 本案争议焦点在于<mark>违约金 计算标准</mark>。 被告主张违约金过高。")
    ]


def test_pdf_wrapped_sentences_are_joined(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document], tmp_path: Path
) -> None:
    result = upload(sample_pdf(tmp_path / "判决书.pdf"))
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    # The layout wrapped 2023年3⏎月1日 and 逾期付款违⏎约金; the stored text has one line per paragraph.
    assert doc.text.text == "\n".join([TITLE, *(normalize_text(p) for p in PARAGRAPHS)])
    assert "本院于2023年3月1日立案后" in doc.text.text
    assert [d for d, _ in _search(runtime, "逾期付款违约金")] == [doc.id]
