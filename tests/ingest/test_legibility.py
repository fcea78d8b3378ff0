"""A text that extracts as glyph codes (private-use characters, Latin-1 letters, black squares)
is indexed but said to be unreadable on the document page; a readable one is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.db import session_scope
from archive.models import Document
from ingest.legibility import NOTE_UNREADABLE, Legibility, with_note

from .conftest import stored_text


def _pdf_drawn_with_a_font_that_lacks_the_glyphs(path: Path) -> Path:
    """What a report writer makes of Chinese drawn in Helvetica: a black square a character."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), invariant=1)
    c.setFont("Helvetica", 12)
    for n, line in enumerate(
        ["上海市浦东新区人民法院民事判决书", "原告上海某某贸易有限公司", "被告北京某某科技有限公司"]
    ):
        c.drawString(60, 780 - 20 * n, line)
    c.showPage()
    c.save()
    return path


def test_a_pdf_of_black_squares_is_indexed_with_a_note(runtime, upload, process, tmp_path: Path) -> None:
    result = upload(_pdf_drawn_with_a_font_that_lacks_the_glyphs(tmp_path / "判决书.pdf"))
    doc = process(result.document_id)
    assert doc.status == "indexed"
    assert doc.notes == NOTE_UNREADABLE
    assert set(stored_text(runtime, doc.id).replace("\n", "")) == {"■"}


def test_glyph_codes_in_a_text_are_noted(upload, process) -> None:
    gibberish = "ÉÏº£ÊÐÆÖ¶«ÐÂÇøÈËÃñ·¨Ôº\ue001\ue002\ue003\n" * 4
    doc = process(upload(gibberish.encode("utf-8"), "判决书.txt").document_id)
    assert (doc.status, doc.notes) == ("indexed", NOTE_UNREADABLE)


def test_a_readable_extraction_clears_an_earlier_note_and_keeps_the_others(runtime, upload, process) -> None:
    doc = process(
        upload(
            "民事判决书：原告上海某某贸易有限公司诉被告北京某某科技有限公司。".encode(), "判决书.pdf"
        ).document_id
    )
    assert doc.notes == "扩展名为 .pdf，实际内容为文本"
    with session_scope(runtime.sessions) as s:  # as an older, worse extraction left it
        s.get(Document, doc.id).notes = f"扩展名为 .pdf，实际内容为文本；{NOTE_UNREADABLE}"
    assert process(doc.id).notes == "扩展名为 .pdf，实际内容为文本"


@pytest.mark.parametrize(
    ("pieces", "unreadable"),
    [
        (["上海市浦东新区人民法院民事判决书，原告上海某某贸易有限公司诉被告北京某某科技有限公司。"], False),
        (["Le café est très bon. Déjà vu à Noël, la société a payé l'arriéré de la créance."], False),
        (["□ 同意  ■ 不同意"], False),  # a form's boxes: too short to judge
        (["ÉÏº£ÊÐÆÖ¶«ÐÂÇøÈËÃñ·¨Ôº", "ÃñÊÂÅÐ¾öÊé ", "Ô­¸æ£ºÉÏº£Ä³Ä³Ã³Ò×ÓÐÏÞ¹«Ë¾"], True),
        (["\ue001\ue002" * 30, "正文" * 20], True),
    ],
)
def test_legibility_counts_as_the_text_streams(pieces: list[str], unreadable: bool) -> None:
    legibility = Legibility()
    assert list(legibility.watch(iter(pieces))) == pieces
    assert legibility.mostly_unreadable is unreadable


def test_with_note_adds_and_removes_one_note_keeping_the_others() -> None:
    assert with_note("", NOTE_UNREADABLE, True) == NOTE_UNREADABLE
    assert with_note("扩展名为 .pdf，实际内容为文本", NOTE_UNREADABLE, True) == (
        f"扩展名为 .pdf，实际内容为文本；{NOTE_UNREADABLE}"
    )
    assert (
        with_note(f"{NOTE_UNREADABLE}；文件名过长", NOTE_UNREADABLE, True) == f"文件名过长；{NOTE_UNREADABLE}"
    )
    assert with_note(f"a；{NOTE_UNREADABLE}；b", NOTE_UNREADABLE, False) == "a；b"
    assert with_note("", NOTE_UNREADABLE, False) == ""
