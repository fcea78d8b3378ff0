"""PDF writers for demo documents: reportlab with a non-embedded CID font or an embedded TrueType font.

``font="cid"`` uses reportlab's built-in STSong-Light (UnicodeCIDFont, not embedded: the reader supplies
the glyphs); ``font="ttf"`` embeds the home-made TrueType font of :mod:`demodata.cjkfont` as subsets
with a ToUnicode map. Both are written with ``invariant`` set, so the same input gives the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from demodata import cjkfont

log = logging.getLogger(__name__)

PdfFont = Literal["cid", "ttf"]
CID_FONT = "STSong-Light"
MARGIN = 20 * mm
BODY_SIZE = 11
BODY_LEADING = 18
TITLE_SIZE = 16


@cache
def _cid_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


@cache
def _ttf_font_for(path: str) -> str:
    name = f"{cjkfont.FONT_FAMILY}-{Path(path).stem.rsplit('-', 1)[-1]}"
    pdfmetrics.registerFont(TTFont(name, path))
    return name


def font_name(font: PdfFont, text_chars: Iterable[str] = ()) -> str:
    """Register (once per process) and return the reportlab font name for ``font``."""
    if font == "cid":
        return _cid_font()
    if font == "ttf":
        return _ttf_font_for(str(cjkfont.font_path(text_chars)))
    raise ValueError(f"unknown PDF font kind {font!r}; expected 'cid' or 'ttf'")


def _chars(title: str, paragraphs: Sequence[str]) -> set[str]:
    chars = set(title)
    for p in paragraphs:
        chars.update(p)
    return chars


def write_pdf(
    path: str | Path,
    title: str,
    paragraphs: Sequence[str],
    *,
    font: PdfFont = "cid",
    pages_hint: int | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> int:
    """Write a PDF with a centred title and CJK-wrapped body paragraphs; return its page count.

    ``pages_hint=N`` spreads the paragraphs evenly over N pages with page breaks between the groups
    (more pages result if a group does not fit on one page). Text extraction of the result gives back
    ``title`` and ``paragraphs`` exactly, apart from whitespace and line breaks.

    ``user_password`` encrypts the file (RC4 128-bit, reportlab's standard security handler):
    ``user_password=""`` makes a PDF that opens without a password but is encrypted (the owner password
    defaults to "owner"); a non-empty one makes a PDF that cannot be read without it.
    """
    path = Path(path)
    fname = font_name(font, _chars(title, paragraphs))
    title_style = ParagraphStyle(
        "jz-title",
        fontName=fname,
        fontSize=TITLE_SIZE,
        leading=TITLE_SIZE * 1.6,
        alignment=TA_CENTER,
        wordWrap="CJK",
        spaceAfter=12,
    )
    body_style = ParagraphStyle(
        "jz-body",
        fontName=fname,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        wordWrap="CJK",
        firstLineIndent=2 * BODY_SIZE,
        spaceAfter=4,
    )
    story: list = [Paragraph(escape(title), title_style), Spacer(1, 6)]
    groups = _split_evenly(list(paragraphs), pages_hint) if pages_hint else [list(paragraphs)]
    for i, group in enumerate(groups):
        if i:
            story.append(PageBreak())
        story.extend(Paragraph(escape(p), body_style) for p in group)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="Juanzong demo",
        invariant=1,
        encrypt=_encryption(user_password, owner_password),
    )
    doc.build(story)
    return doc.page


def _encryption(user_password: str | None, owner_password: str | None) -> StandardEncryption | None:
    if user_password is None:
        return None
    return StandardEncryption(user_password, owner_password or "owner", strength=128)


def _split_evenly(items: list[str], n: int) -> list[list[str]]:
    n = max(1, min(n, len(items))) if items else 1
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def wrap_line(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy character wrap of ``text`` to ``width`` points (CJK text breaks between any characters)."""
    widths = _char_widths(font, size)
    lines: list[str] = []
    start, used = 0, 0.0
    for i, ch in enumerate(text):
        w = widths(ch)
        if used + w > width and i > start:
            lines.append(text[start:i])
            start, used = i, 0.0
        used += w
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def _char_widths(font: str, size: float) -> Callable[[str], float]:
    @cache
    def width(ch: str) -> float:
        return pdfmetrics.stringWidth(ch, font, size)

    return width


def write_long_pdf(
    path: str | Path,
    pages: int,
    *,
    font: PdfFont = "cid",
    seed: int = 0,
    title: str = "案件卷宗材料汇编",
    page_text: Callable[[int], str] | None = None,
) -> int:
    """Write a PDF of exactly ``pages`` full pages of Chinese text and return the page count.

    Drawn page by page on a canvas (no layout engine), so a 300-page file is quick to make and each page
    is flushed into the compressed output as it is finished. ``page_text(i)`` gives the text of page
    ``i`` (0-based); by default a deterministic legal body from :mod:`demodata.text` for ``seed``.
    Each page ends with a line ``第N页`` (N from 1).
    """
    if pages < 1:
        raise ValueError("pages must be at least 1")
    if page_text is None:
        from demodata.text import TextGenerator

        gen = TextGenerator(seed)
        page_text = gen.page_text
    fname = font_name(font)
    width, height = A4
    usable = width - 2 * MARGIN
    lines_per_page = int((height - 2 * MARGIN) // BODY_LEADING) - 1
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Juanzong demo")
    for n in range(pages):
        lines = wrap_line(page_text(n), usable, fname, BODY_SIZE)[:lines_per_page]
        text = c.beginText(MARGIN, height - MARGIN - BODY_SIZE)
        text.setFont(fname, BODY_SIZE, BODY_LEADING)
        for line in lines:
            text.textLine(line)
        text.textLine(f"第{n + 1}页")
        c.drawText(text)
        c.showPage()
    c.save()
    log.debug("wrote long PDF %s with %d pages", path, pages)
    return pages
