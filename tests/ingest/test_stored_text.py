"""The text stored for a document (DocumentText, shown on the document page and in
snippets) keeps its paragraphs, its table cells apart and its characters as extracted
(full-width punctuation, digits and letters), while PDF line wraps are joined; search finds
phrases across either, and matches full-width characters like ASCII ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.models import Document
from ingest.service import IngestResult
from juanzong.runtime import Runtime
from search.analysis import normalize_text
from search.api import SearchRequest

from .conftest import stored_text
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
    assert stored_text(runtime, doc.id).split("\n")[:4] == [
        "北京华辰科技有限公司法务部",
        "案件分析报告",
        "一、案件基本情况：原告主张被告拖欠货款。",
        "二、争议焦点：违约金计算标准是否过高。",
    ]
    # A phrase across the heading's line break is still found, and marked.
    [(doc_id, snippet)] = _search(runtime, "分析报告一")
    assert doc_id == doc.id
    assert snippet.startswith("北京华辰科技有限公司法务部 案件<mark>分析报告 一</mark>、案件基本情况：")


def test_docx_table_cells_stay_apart_and_a_phrase_runs_across_them(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document], tmp_path: Path
) -> None:
    result = upload(sample_docx(tmp_path / "分析报告.docx"))
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    assert stored_text(runtime, doc.id).split("\n")[4:8] == [
        "证据名称 | 证明目的",
        "设备采购合同 | 双方存在买卖合同关系",
        "明细编号 | 证明内容",
        "1-1 | 增值税专用发票十二张",
    ]
    [(doc_id, snippet)] = _search(runtime, "名称证明目的")
    assert doc_id == doc.id
    assert "证据<mark>名称 | 证明目的</mark> 设备采购合同" in snippet


def test_full_width_characters_are_stored_and_shown_as_written(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload("案源编号：AY-2020-0103，合同（三）关于违约金\n".encode(), "案源.txt")
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    assert stored_text(runtime, doc.id) == "案源编号：AY-2020-0103，合同（三）关于违约金"
    assert _search(runtime, "AY 2020") == [
        (doc.id, "案源编号：<mark>AY</mark>-<mark>2020</mark>-0103，合同（三）关于违约金")
    ]
    assert _search(runtime, "合同") == [(doc.id, "案源编号：AY-2020-0103，<mark>合同</mark>（三）关于违约金")]


def test_full_width_digits_are_found_by_ascii_digits(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    written = "合同编号１２３４５，总价款人民币７，２８２，５６３．０４元。"
    result = upload(written.encode("gb18030"), "合同.txt")
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    assert stored_text(runtime, doc.id) == "合同编号１２３４５，总价款人民币７，２８２，５６３．０４元。"
    assert _search(runtime, "12345") == [
        (doc.id, "合同编号<mark>１２３４５</mark>，总价款人民币７，２８２，５６３．０４元。")
    ]
    assert _search(runtime, "7,282,563.04元") == [
        (doc.id, "合同编号１２３４５，总价款人民币<mark>７，２８２，５６３．０４元</mark>。")
    ]
    assert _search(runtime, "1234") == []


def test_case_numbers_are_found_in_either_width(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    half = upload("本院于(2022)沪01民终77号立案。".encode(), "半角.txt")
    full = upload("本院于（２０２１）粤０３民初８８号立案。".encode(), "全角.txt")
    assert half.document_id is not None and full.document_id is not None
    half_doc, full_doc = process(half.document_id), process(full.document_id)
    assert half_doc.text is not None and full_doc.text is not None
    assert stored_text(runtime, half_doc.id) == "本院于(2022)沪01民终77号立案。"
    assert stored_text(runtime, full_doc.id) == "本院于（２０２１）粤０３民初８８号立案。"
    assert _search(runtime, "（2022）沪01民终77号") == [
        (half_doc.id, "本院于<mark>(2022)沪01民终77号</mark>立案。")
    ]
    assert _search(runtime, "(2021)粤03民初88号") == [
        (full_doc.id, "本院于<mark>（２０２１）粤０３民初８８号</mark>立案。")
    ]
    assert _search(runtime, "（2022）沪01民终7号") == []


def test_lines_of_a_text_file_stay(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], Document]
) -> None:
    result = upload(
        "代理词\n本案争议焦点在于违约金\n计算标准。\n\n被告主张违约金过高。\n".encode("gb18030"), "代理词.txt"
    )
    assert result.document_id is not None
    doc = process(result.document_id)
    assert doc.text is not None
    assert stored_text(runtime, doc.id) == "代理词\n本案争议焦点在于违约金\n计算标准。\n被告主张违约金过高。"
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
    assert stored_text(runtime, doc.id) == "\n".join([TITLE, *(normalize_text(p) for p in PARAGRAPHS)])
    assert "本院于2023年3月1日立案后" in stored_text(runtime, doc.id)
    assert [d for d, _ in _search(runtime, "逾期付款违约金")] == [doc.id]
