"""DOCX with python-docx: body paragraphs and tables in document order (nested tables too),
then the headers and footers of every section, each distinct one once. A table row is one
line, its cells separated by `` | ``.

``stream`` gives the text block by block (a paragraph, a table row): python-docx holds the
document's XML anyway (the file's own size, bounded by the zip checks), but the text is never
joined. ``extract`` joins it (tests, benchmarks).

The zip is checked before python-docx opens it: not a zip → corrupt; more uncompressed data
than ``settings.max_docx_uncompressed_bytes`` or an entry that inflates more than
``settings.max_docx_ratio`` times → zip bomb. ``zipfile`` never inflates an entry past its
declared size, so the declared sizes are a real bound.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ingest.errors import MSG_DOCX_CORRUPT, MSG_ZIP_BOMB, ErrorCode, IngestError
from ingest.extract.base import Extracted, RawText
from juanzong.settings import Settings

log = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": W, "mc": MC}
_P, _TBL, _SDT, _TR, _TC = (f"{{{W}}}{n}" for n in ("p", "tbl", "sdt", "tr", "tc"))
_SDT_CONTENT, _T, _TAB, _BR, _CR = (f"{{{W}}}{n}" for n in ("sdtContent", "t", "tab", "br", "cr"))
_RUN_PIECES = etree.XPath(
    ".//w:t[not(ancestor::mc:Fallback)] | .//w:tab[not(ancestor::w:pPr)] | .//w:br | .//w:cr",
    namespaces=_NS,
)
# Between the cells of a table row in the stored text: reads as a table row on the document
# page (证据名称 | 证明目的) and is no search unit, so a phrase still runs across it. Empty
# cells (merged ones, blank columns) are left out.
CELL_SEPARATOR = " | "
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</")
# Entries smaller than this are not judged by their ratio: tiny XML parts compress very well.
_RATIO_MIN_ENTRY = 1024 * 1024
_BROKEN_DOCX_ERRORS: tuple[type[BaseException], ...] = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,  # includes UnicodeDecodeError and "not a Word file"
    etree.LxmlError,
)


def _corrupt(detail: str) -> IngestError:
    return IngestError(ErrorCode.CORRUPT, MSG_DOCX_CORRUPT, detail)


def check_zip(path: Path, settings: Settings) -> int | None:
    """Refuse what is not a sane DOCX zip; return the page count from docProps/app.xml."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > settings.max_docx_uncompressed_bytes:
                raise IngestError(ErrorCode.ZIP_BOMB, MSG_ZIP_BOMB, f"{total} bytes uncompressed")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size >= _RATIO_MIN_ENTRY and ratio > settings.max_docx_ratio:
                    raise IngestError(
                        ErrorCode.ZIP_BOMB, MSG_ZIP_BOMB, f"{info.filename} inflates {ratio:.0f} times"
                    )
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise _corrupt("zip has no word/document.xml")
            return _page_count(zf, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _corrupt(f"not a readable zip: {exc!r}") from exc


def _page_count(zf: zipfile.ZipFile, names: set[str]) -> int | None:
    if "docProps/app.xml" not in names or zf.getinfo("docProps/app.xml").file_size > 1024 * 1024:
        return None
    try:
        match = _PAGES.search(zf.read("docProps/app.xml"))
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None
    pages = int(match.group(1)) if match else 0
    return pages if pages > 0 else None


def paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    for el in _RUN_PIECES(p):
        if el.tag == _T:
            out.append(el.text or "")
        elif el.tag == _TAB:
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def iter_blocks(container: etree._Element) -> Iterator[str]:
    """Text of each paragraph and table row under ``container`` (body, cell, header), in
    document order; a nested table's rows come inside its cell."""
    for child in container:
        if child.tag == _P:
            yield paragraph_text(child)
        elif child.tag == _TBL:
            yield from table_rows(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from iter_blocks(content)


def table_rows(tbl: etree._Element) -> Iterator[str]:
    """One line per row, its non-empty cells separated by ``CELL_SEPARATOR`` (a cell of
    several paragraphs keeps their line breaks)."""
    for tr in _children(tbl, _TR):
        cells = ["\n".join(t for t in iter_blocks(tc) if t.strip()) for tc in _children(tr, _TC)]
        yield CELL_SEPARATOR.join(c.strip() for c in cells if c.strip())


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with ``tag``, looking through content controls (w:sdt)."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)


def _header_footer_texts(document: DocxDocument) -> tuple[list[str], list[str]]:
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for part, out in (
            (section.header, headers),
            (section.first_page_header, headers),
            (section.even_page_header, headers),
            (section.footer, footers),
            (section.first_page_footer, footers),
            (section.even_page_footer, footers),
        ):
            if part.is_linked_to_previous:  # no definition of its own (reading it would add one)
                continue
            text = "\n".join(t for t in iter_blocks(part._element) if t.strip())
            if text.strip() and text not in out:
                out.append(text)
    return headers, footers


def stream(path: Path, settings: Settings) -> RawText:
    """The headers, the body's paragraphs and table rows (those with text), the footers,
    one block a piece, joined with line breaks. The zip checks, parsing the XML and the
    headers and footers (held: short, and they come first) are done here."""
    page_count = check_zip(path, settings)
    try:
        document = docx.Document(str(path))
        body = document.element.body
        headers, footers = _header_footer_texts(document)
    except _BROKEN_DOCX_ERRORS as exc:
        raise _corrupt(f"python-docx cannot read {path.name}: {exc!r}") from exc
    # Only the body's XML is kept from here on (not the package: images and other parts).
    del document
    return RawText(
        pieces=_joined(headers, body, footers, path.name), extractor="python-docx", page_count=page_count
    )


def _joined(headers: list[str], body: etree._Element, footers: list[str], name: str) -> Iterator[str]:
    blocks = chain(headers, (t for t in iter_blocks(body) if t.strip()), footers)
    separator = ""
    while True:
        try:
            text = next(blocks, None)
        except _BROKEN_DOCX_ERRORS as exc:
            raise _corrupt(f"python-docx cannot read {name}: {exc!r}") from exc
        if text is None:
            return
        yield separator + text
        separator = "\n"


def extract(path: Path, settings: Settings) -> Extracted:
    """The whole text (``stream`` joined)."""
    return stream(path, settings).extracted()
