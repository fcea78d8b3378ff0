"""Writers that turn generated content into real files: PDF, DOCX and encoded text.

Every writer is pure (path in, file out) and deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document as DocxDocument
from docx.shared import Pt

from demodata.pdf import PdfFont, write_long_pdf, write_pdf

__all__ = [
    "PdfFont",
    "TEXT_ENCODINGS",
    "TextEncoding",
    "write_docx",
    "write_long_pdf",
    "write_pdf",
    "write_text",
]

TextEncoding = Literal["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"]
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")
_FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_text(path: str | Path, text: str, encoding: TextEncoding = "utf-8") -> None:
    """Write ``text`` in ``encoding``; "utf-8-sig" adds a BOM, "utf-16" is little-endian with a BOM.

    Line breaks are written as given (no platform translation). Raises UnicodeEncodeError if a
    character cannot be represented (GBK lacks some characters that GB18030 has).
    """
    if encoding not in TEXT_ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}; expected one of {TEXT_ENCODINGS}")
    data = b"\xff\xfe" + text.encode("utf-16-le") if encoding == "utf-16" else text.encode(encoding)
    Path(path).write_bytes(data)


def write_docx(
    path: str | Path,
    title: str,
    paragraphs: Sequence[str],
    *,
    table_rows: Sequence[Sequence[str]] | None = None,
    header_text: str | None = None,
    footer_text: str | None = None,
    nested_table: bool = False,
    nested_rows: Sequence[Sequence[str]] | None = None,
) -> None:
    """Write a DOCX: a title heading, body paragraphs, an optional table and a page header and footer.

    ``table_rows`` (first row is the header row) becomes a bordered table after the body. With
    ``nested_table`` a small table (``nested_rows``, or a default 证据明细 table) is placed inside the
    last cell of the table's second row (or of a one-cell table when ``table_rows`` is empty).
    ``header_text`` goes into the section header (页眉); ``footer_text`` (default "第 页") into the footer.
    """
    document: DocxDocument = docx.Document()
    core = document.core_properties
    core.title, core.author = title, "Juanzong demo"
    core.created = core.modified = _FIXED_TIME.replace(tzinfo=None)
    core.last_modified_by = "Juanzong demo"
    core.revision = 1
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    section = document.sections[0]
    if header_text:
        section.header.paragraphs[0].text = header_text
    section.footer.paragraphs[0].text = footer_text if footer_text is not None else "第 页"
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    rows = [list(r) for r in table_rows] if table_rows else []
    if rows or nested_table:
        if not rows:
            rows = [[""]]
        n_cols = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=n_cols)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if nested_table:
            host = table.cell(min(1, len(rows) - 1), n_cols - 1)
            inner_rows = [list(r) for r in nested_rows] if nested_rows else _default_nested_rows()
            inner = host.add_table(rows=len(inner_rows), cols=max(len(r) for r in inner_rows))
            inner.style = "Table Grid"
            for r, row in enumerate(inner_rows):
                for c, value in enumerate(row):
                    inner.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    Path(path).write_bytes(_fixed_zip_times(buf.getvalue()))


def _default_nested_rows() -> list[list[str]]:
    return [["明细编号", "证明内容"], ["1-1", "合同原件及签收记录"], ["1-2", "付款凭证及银行回单"]]


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times, so a DOCX is byte-identical across runs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
