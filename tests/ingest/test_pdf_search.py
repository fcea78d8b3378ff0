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
from ingest.extract.pdf import stream
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


# --- a sentence across a page break, under page numbers and running headers --------------

HEADER = "北京市朝阳区人民法院 民事判决书"
PAGE_1 = "本院认为，原告与被告之间成立买卖合同关系，双方签订的买卖合"
PAGE_2 = "同合法有效。被告未按约定支付货款，应承担违约责任。"


@pytest.mark.parametrize(
    ("header", "numbers", "stored_numbers"),
    [
        (True, ["第 1 页 共 2 页", "第 2 页 共 2 页"], ["第 1 页共 2 页", "第 2 页共 2 页"]),
        (False, ["- 1 -", "- 2 -"], ["- 1 -", "- 2 -"]),
        (False, ["第1页/共2页", "第2页/共2页"], ["第1页/共2页", "第2页/共2页"]),
        (True, ["1 / 2", "2 / 2"], ["1 / 2", "2 / 2"]),
        (True, ["1", "2"], ["1", "2"]),
        (False, ["Page 1 of 2", "Page 2 of 2"], ["Page 1 of 2", "Page 2 of 2"]),
    ],
)
def test_a_sentence_across_a_page_break_is_found(
    tmp_path: Path, settings: Settings, header: bool, numbers: list[str], stored_numbers: list[str]
) -> None:
    pages = [
        [*([(50.0, 800.0, HEADER)] if header else []), (50.0, 760.0, body), (280.0, 40.0, number)]
        for body, number in zip([PAGE_1, PAGE_2], numbers, strict=True)
    ]
    path = _pdf(tmp_path / "pagebreak.pdf", pages)
    extracted = extract_document("pdf", path, settings)
    assert extracted.page_count == 2
    # The page furniture stays in the stored text, after the line the page break ran through.
    stored_header = "北京市朝阳区人民法院民事判决书"
    assert extracted.text.split("\n") == [
        *([stored_header] if header else []),
        PAGE_1 + PAGE_2,
        stored_numbers[0],
        *([stored_header] if header else []),
        stored_numbers[1],
    ]
    queries = ["买卖合同关系", "双方签订的买卖合同合法有效", "买卖合同合法有效", "违约责任"]
    assert _found(tmp_path, extracted.text, queries) == dict.fromkeys(queries, True)


def test_a_page_break_after_a_sentence_end_stays(tmp_path: Path, settings: Settings) -> None:
    pages = [
        [
            (50.0, 800.0, HEADER),
            (50.0, 760.0, "双方签订的买卖合同合法有效。"),
            (280.0, 40.0, "第 1 页 共 2 页"),
        ],
        [(50.0, 800.0, HEADER), (50.0, 760.0, "被告未按约定支付货款。"), (280.0, 40.0, "第 2 页 共 2 页")],
    ]
    text = extract_document("pdf", _pdf(tmp_path / "a.pdf", pages), settings).text
    assert text.split("\n") == [
        "北京市朝阳区人民法院民事判决书",
        "双方签订的买卖合同合法有效。",
        "第 1 页共 2 页",
        "北京市朝阳区人民法院民事判决书",
        "被告未按约定支付货款。",
        "第 2 页共 2 页",
    ]


def test_page_breaks_are_joined_a_page_a_piece(tmp_path: Path, settings: Settings) -> None:
    # Five pages, each sentence running on to the next page: still one piece a page.
    firsts = ["甲方应当支付货款。", *(f"违约金{n}的数额。" for n in range(4))]
    lasts = [*(f"被告应当承担{n}" for n in range(4)), "以上。"]
    pages = [
        [(50.0, 800.0, HEADER), (50.0, 760.0, first), (50.0, 740.0, last), (280.0, 40.0, f"- {n + 1} -")]
        for n, (first, last) in enumerate(zip(firsts, lasts, strict=True))
    ]
    raw = stream(_pdf(tmp_path / "a.pdf", pages), settings)
    pieces = list(raw.pieces)
    assert len(pieces) == raw.page_count == 5
    # (blank lines at the ends of pages stay: normalisation drops them)
    assert [line for line in "".join(pieces).split("\n") if line] == [
        "北京市朝阳区人民法院民事判决书",
        "甲方应当支付货款。",
        *(
            line
            for n in range(4)
            for line in (
                f"被告应当承担{n}违约金{n}的数额。",
                f"- {n + 1} -",
                "北京市朝阳区人民法院民事判决书",
            )
        ),
        "以上。",
        "- 5 -",
    ]
