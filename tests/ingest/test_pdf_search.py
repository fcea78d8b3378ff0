"""PDFs whose text layer is odd in ways real PDFs are, extracted and searched end to end:
every run of two or more Han characters (and every number and word) the page shows is found."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from ingest.extract import extract_document
from juanzong.settings import Settings
from search.api import IndexDoc, SearchRequest
from search.engines.tantivy_engine import TantivyIndex

FONT = "STSong-Light"


def _canvas(path: Path) -> Canvas:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return Canvas(str(path), pagesize=A4, invariant=1)


def _pdf(path: Path, pages: list[list[tuple[float, float, str]]]) -> Path:
    """Each page: (x, y, text) lines drawn with a CID font (its ToUnicode gives the very
    code points drawn)."""
    canvas = _canvas(path)
    for lines in pages:
        canvas.setFont(FONT, 11)
        for x, y, text in lines:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return path


def _found(tmp_path: Path, text: str, queries: list[str]) -> dict[str, bool]:
    index = TantivyIndex(tmp_path / "index")
    index.upsert([IndexDoc(1, 1, "案件", "FW-1", "法律文书", "文书", "a.pdf", text, 2023)])
    return {query: index.search(SearchRequest(query)).total == 1 for query in queries}


# --- CJK radicals that a font's ToUnicode map gives for ideographs -----------------------


def test_radicals_of_the_supplement_are_stored_and_found_as_ideographs(
    tmp_path: Path, settings: Settings
) -> None:
    # ⻓ U+2ED3 for 长, ⻔ U+2ED4 for 门, ⻅ U+2EC5 for 见, ⻢ U+2EE2 for 马
    lines = [
        "双方于2023年签订\u2ed3期供货合同，被告\u2ed4店位于朝阳区。",
        "详\u2ec5附件三。法定代表人：\u2ee2某某。",
    ]
    path = _pdf(tmp_path / "radicals.pdf", [[(50, 780 - 20 * i, line) for i, line in enumerate(lines)]])
    text = extract_document("pdf", path, settings).text
    assert text == "双方于2023年签订长期供货合同，被告门店位于朝阳区。\n详见附件三。法定代表人：马某某。"
    queries = ["供货合同", "长期", "门店", "详见附件", "马某某", "\u2ed3期"]
    assert _found(tmp_path, text, queries) == dict.fromkeys(queries, True)


def test_radicals_left_in_a_stored_text_are_found(tmp_path: Path) -> None:
    # A text stored before the fold (or a DOCX that holds them): the index folds them too.
    queries = ["长期", "门店", "详见附件", "马某某", "审判长", "意见"]
    text = "\u2ed3期 \u2ed4店 详\u2ec5附件 \u2ee2某某 审判\u2ed3 意\u2ec5"
    assert _found(tmp_path, text, queries) == dict.fromkeys(queries, True)


# --- numbers and words whose glyphs are placed one by one ---------------------------------

LINE = "判决被告支付货款人民币123456元及利息，合同编号ABC2023。"


def _per_text_object(path: Path) -> Path:
    """Each glyph its own BT..ET (pypdf gives a digit or letter a line of its own)."""
    canvas = _canvas(path)
    x = 50.0
    for char in LINE:
        canvas.setFont(FONT, 11)
        canvas.drawString(x, 780, char)
        x += 12
    canvas.showPage()
    canvas.save()
    return path


def _per_text_matrix(path: Path, cell: float) -> Path:
    """One text object, each glyph placed with its own Tm: in cells of ``cell`` points (a
    document grid), or at its natural advance (0)."""
    canvas = _canvas(path)
    text = canvas.beginText()
    text.setFont(FONT, 11)
    x = 50.0
    for char in LINE:
        text.setTextOrigin(x, 780)
        text.textOut(char)
        x += cell or pdfmetrics.stringWidth(char, FONT, 11)
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("cell", [None, 0, 7, 8, 9, 11, 12])
def test_numbers_and_words_placed_glyph_by_glyph_are_found(
    tmp_path: Path, settings: Settings, cell: float | None
) -> None:
    path = tmp_path / "glyphs.pdf"
    path = _per_text_object(path) if cell is None else _per_text_matrix(path, cell)
    text = extract_document("pdf", path, settings).text
    # pypdf leaves a space before a Han character or 。 after some of the runs: the index
    # ignores blank space, so only the runs matter.
    assert text.replace(" ", "") == LINE
    assert "123456" in text and "ABC2023" in text
    queries = ["支付货款", "123456元", "人民币123456元", "ABC2023", "编号ABC2023"]
    assert _found(tmp_path, text, queries) == dict.fromkeys(queries, True)
