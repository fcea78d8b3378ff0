"""PDF with pypdf (the customer's choice), page by page.

Memory hardly grows with the page count: ``stream`` gives the text a page at a time, pypdf
reads the file through a file handle (given a path it would first read the whole file into
memory), and after a page is read its content streams are dropped from pypdf's object cache
(fonts and other shared resources stay cached). What still grows is pypdf's page tree, which
it builds whole when the pages are counted (some 4 KB a page). ``extract`` joins the pages
(tests, benchmarks).

A PDF's lines are visual: the layout wraps a sentence wherever the line is full (about 30
times a page, often inside a word). ``join_wrapped_lines`` removes those wraps on each page,
so the stored text reads in paragraphs; the line breaks that are real stay (see there). It
also removes the blank space that text extraction leaves between two Han characters (glyphs
placed one by one: 民 事 判 决 书), and maps CJK radicals that a font gives for ideographs back
to the ideographs (⽣ U+2F63 → 生). Pages are joined with a line break.
"""

from __future__ import annotations

import logging
import re
import struct
import warnings
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadWarning, PyPdfError
from pypdf.generic import ArrayObject, IndirectObject

from ingest.errors import MSG_ENCRYPTED, MSG_NO_TEXT_LAYER, MSG_PDF_CORRUPT, ErrorCode, IngestError
from ingest.extract.base import Extracted, RawText
from juanzong.settings import Settings
from search.analysis import CJK_RADICAL_FOLD, HAN_RANGES

log = logging.getLogger(__name__)

# Han characters and the punctuation and symbols of Chinese text (CJK symbols and
# punctuation, full-width forms, quotation marks, dashes, ellipsis, middle dot).
_WIDE_CHARS = f"{HAN_RANGES}\u3000-\u303f\uff00-\uffef\u2014-\u2026\u00b7"
_WIDE_RE = re.compile(f"[{_WIDE_CHARS}]")
# A line that ends with one of these ends a sentence (or introduces a list: ：；).
SENTENCE_END = frozenset("。！？；：!?;:．")
# Closing quotes and brackets that may follow the sentence end: 。” or ！）
_CLOSERS = frozenset("”’」』）》】〕〗〉)]\"'")
# One line break inside a page: the last visible character of the line (group 1, trailing
# blanks skipped) and the first of the next line (group 2), which must start the line: a
# blank line, or a line that starts with blank space (an indented first line) is a new
# paragraph and never matches.
_LINE_BREAK_RE = re.compile(r"(?<=(\S))[^\S\n]*\n(?=(\S))")
# Horizontal blank space (anything \s but a line break) between two Han characters.
_HAN_GAP_RE = re.compile(f"(?<=[{HAN_RANGES}])[^\\S\\n]+(?=[{HAN_RANGES}])")
# Runs of CJK radicals (Kangxi radicals and the radicals supplement).
_RADICALS_RE = re.compile("[\u2e80-\u2fdf]+")


def join_wrapped_lines(page_text: str) -> str:
    """Remove the visual line wraps from the text of one PDF page.

    A line break is removed where a Han character or Chinese punctuation meets it on
    either side (一案，本院于2023年3⏎月1日 → 3月), unless the line ends a sentence
    (。！？；：, also before a closing quote or bracket). It stays where the next line is
    blank or indented, and between two Latin letters or digits (a word or number that
    simply ends the line). Blank space between two Han characters on a line is removed
    too (民 事 判 决 书 → 民事判决书). Only blank space and line breaks are removed: the
    characters, and so the search units, are the same either way. CJK radicals become the
    ideographs they stand for, as the index folds them (⽣ → 生).
    """
    text = _RADICALS_RE.sub(_ideographs, page_text)
    text = _LINE_BREAK_RE.sub(_join_or_keep, text)
    return _HAN_GAP_RE.sub("", text)


def _ideographs(match: re.Match[str]) -> str:
    return match.group().translate(CJK_RADICAL_FOLD)


def _join_or_keep(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if before in _CLOSERS:  # look through up to two closing marks: 。”） ends a sentence
        text, last = match.string, match.start(1)
        for back in (1, 2):
            if last < back:
                break
            before = text[last - back]
            if before not in _CLOSERS:
                break
    if before in SENTENCE_END:
        return match.group()
    if _WIDE_RE.match(before) or _WIDE_RE.match(after):
        return ""
    return match.group()


# What pypdf raises on a broken file besides its own errors (its docs say so).
BROKEN_PDF_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    zlib.error,
    struct.error,
    RecursionError,
    OverflowError,
)


def _corrupt(detail: str) -> IngestError:
    return IngestError(ErrorCode.CORRUPT, MSG_PDF_CORRUPT, detail)


def _open(source: BinaryIO, name: str) -> PdfReader:
    try:
        reader = PdfReader(source, strict=False)
    except BROKEN_PDF_ERRORS as exc:
        raise _corrupt(f"pypdf cannot open {name}: {exc!r}") from exc
    if reader.is_encrypted:
        try:
            result = reader.decrypt("")
        except DependencyError:
            raise  # a missing crypto library is our fault, not the file's
        except BROKEN_PDF_ERRORS as exc:
            raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, f"decrypt failed: {exc!r}") from exc
        if not result:  # PasswordType.NOT_DECRYPTED == 0
            raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, "PDF has a user password")
    return reader


def _forget_contents(reader: PdfReader, page: object) -> None:
    """Drop the page's (decoded) content streams from pypdf's cache."""
    try:
        contents = page.get("/Contents")  # type: ignore[attr-defined]
    except BROKEN_PDF_ERRORS:
        return
    refs = []
    if isinstance(contents, IndirectObject):
        refs.append(contents)
        obj = reader.resolved_objects.get((contents.generation, contents.idnum))
        if isinstance(obj, ArrayObject):
            refs.extend(r for r in obj if isinstance(r, IndirectObject))
    elif isinstance(contents, ArrayObject):
        refs.extend(r for r in contents if isinstance(r, IndirectObject))
    for ref in refs:
        reader.resolved_objects.pop((ref.generation, ref.idnum), None)


def _page_count(reader: PdfReader) -> int:
    try:
        page_count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, repr(exc)) from exc
    except BROKEN_PDF_ERRORS as exc:
        raise _corrupt(f"page tree unreadable: {exc!r}") from exc
    if page_count == 0:
        raise _corrupt("PDF has no pages")
    return page_count


def stream(path: Path, settings: Settings) -> RawText:
    """The text page by page (pages joined with a line break). Opening, decryption and the
    page tree are checked here; a page that cannot be read is skipped (and logged), and only
    at the end can it be known that no page could be read, or that there is no text layer:
    the pieces raise that after the last page."""
    handle = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PdfReadWarning)
            reader = _open(handle, path.name)
            page_count = _page_count(reader)
    except BaseException:
        handle.close()
        raise
    pages = _pages(reader, page_count, path.name, handle)
    weakref.finalize(pages, handle.close)  # also when the pages are never read
    return RawText(pieces=pages, extractor="pypdf", page_count=page_count)


def _pages(reader: PdfReader, page_count: int, name: str, handle: BinaryIO) -> Iterator[str]:
    try:
        failed = 0
        has_text = False
        separator = ""
        for number in range(page_count):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PdfReadWarning)
                try:
                    page = reader.pages[number]
                    text = join_wrapped_lines(page.extract_text())
                except BROKEN_PDF_ERRORS as exc:
                    failed += 1
                    log.warning("PDF %s page %d unreadable: %r", name, number + 1, exc)
                    continue
                _forget_contents(reader, page)
            has_text = has_text or (bool(text) and not text.isspace())
            yield separator + text
            separator = "\n"
        if failed == page_count:
            raise _corrupt(f"none of the {page_count} pages could be read")
        if not has_text:
            raise IngestError(
                ErrorCode.NO_TEXT, MSG_NO_TEXT_LAYER, f"{page_count} pages without a text layer"
            )
    finally:
        handle.close()


def extract(path: Path, settings: Settings) -> Extracted:
    """The whole text (``stream`` joined)."""
    return stream(path, settings).extracted()
