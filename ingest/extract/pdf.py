"""PDF with pypdf (the customer's choice), page by page.

Memory stays flat with the page count: after a page is read, its content streams are dropped
from pypdf's object cache (fonts and other shared resources stay cached). Only the extracted
text accumulates.
"""

from __future__ import annotations

import logging
import struct
import warnings
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadWarning, PyPdfError
from pypdf.generic import ArrayObject, IndirectObject

from ingest.errors import MSG_ENCRYPTED, MSG_NO_TEXT_LAYER, MSG_PDF_CORRUPT, ErrorCode, IngestError
from ingest.extract.base import Extracted
from juanzong.settings import Settings

log = logging.getLogger(__name__)

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


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path, strict=False)
    except BROKEN_PDF_ERRORS as exc:
        raise _corrupt(f"pypdf cannot open {path.name}: {exc!r}") from exc
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


def extract(path: Path, settings: Settings) -> Extracted:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PdfReadWarning)
        reader = _open(path)
        try:
            page_count = len(reader.pages)
        except FileNotDecryptedError as exc:
            raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, repr(exc)) from exc
        except BROKEN_PDF_ERRORS as exc:
            raise _corrupt(f"page tree unreadable: {exc!r}") from exc
        if page_count == 0:
            raise _corrupt("PDF has no pages")
        parts: list[str] = []
        failed = 0
        for number in range(page_count):
            try:
                page = reader.pages[number]
                parts.append(page.extract_text())
            except BROKEN_PDF_ERRORS as exc:
                failed += 1
                log.warning("PDF %s page %d unreadable: %r", path.name, number + 1, exc)
                continue
            _forget_contents(reader, page)
    if failed == page_count:
        raise _corrupt(f"none of the {page_count} pages could be read")
    text = "\n".join(parts)
    if not text.strip():
        raise IngestError(ErrorCode.NO_TEXT, MSG_NO_TEXT_LAYER, f"{page_count} pages without a text layer")
    return Extracted(text=text, page_count=page_count, extractor="pypdf")
