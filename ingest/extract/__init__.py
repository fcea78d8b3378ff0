"""Text extractors, one small module per format, each with two functions that raise
``IngestError`` on bad input:

``stream(path: Path, settings: Settings) -> RawText``
    opens the file (raising what opening can show: corrupt, encrypted, zip bomb, unknown
    encoding) and gives its text as read, in pieces (a PDF page, a DOCX block, a block of a
    text file), never joined;
``extract(path: Path, settings: Settings) -> Extracted``
    the same text whole (``stream`` joined): tests and the benchmarks' bare extraction.

``stream_document`` picks the format for a sniffed kind and normalises the pieces as they
come (``search.analysis.normalize_pieces``: exactly ``normalize_text`` of the whole text),
so the worker never holds a document's text whole; ``extract_document`` joins that.
Normalisation keeps the characters as extracted (full-width punctuation included): width
folding happens only where search matches text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from ingest.errors import MSG_NO_TEXT, ErrorCode, IngestError
from ingest.extract.base import Extracted, Extraction, RawText
from juanzong.settings import Settings
from search.analysis import normalize_pieces

Extractor = Callable[[Path, Settings], Extracted]
Streamer = Callable[[Path, Settings], RawText]


def _module(kind: str) -> ModuleType:
    if kind == "pdf":
        from ingest.extract import pdf

        return pdf
    if kind == "docx":
        from ingest.extract import docx

        return docx
    if kind == "text":
        from ingest.extract import text

        return text
    raise IngestError(ErrorCode.UNSUPPORTED, "暂不支持此文件类型", f"no extractor for kind {kind!r}")


def extractor_for(kind: str) -> Extractor:
    """The bare extractor for a sniffed kind (``pdf``, ``docx``, ``text``): whole text, not
    normalised."""
    extract: Extractor = _module(kind).extract
    return extract


def streamer_for(kind: str) -> Streamer:
    """The format's ``stream`` for a sniffed kind: its text in pieces, not normalised."""
    stream: Streamer = _module(kind).stream
    return stream


def stream_document(kind: str, path: Path, settings: Settings) -> Extraction:
    """The document's normalised text in pieces (see ``Extraction``): the same text as
    ``extract_document`` gives, never held whole. Errors that opening the file shows are
    raised here, before any piece; the pieces raise those found on the way (a PDF none of
    whose pages can be read, or without a text layer) and ``no_text`` when there is no text
    at all, after the last piece."""
    raw = streamer_for(kind)(path, settings)
    return Extraction(_normalised(raw.pieces, kind), raw.extractor, raw.page_count)


def _normalised(pieces: Iterator[str], kind: str) -> Iterator[str]:
    empty = True
    for piece in normalize_pieces(pieces):
        empty = False
        yield piece
    if empty:
        raise IngestError(ErrorCode.NO_TEXT, MSG_NO_TEXT, f"{kind} file has no text")


def extract_document(kind: str, path: Path, settings: Settings) -> Extracted:
    """The normalised text whole (``stream_document`` joined); a document without any text
    is an error (``no_text``)."""
    extraction = stream_document(kind, path, settings)
    text = "".join(extraction.pieces())
    return Extracted(text=text, page_count=extraction.page_count, extractor=extraction.extractor)


__all__ = [
    "Extracted",
    "Extraction",
    "Extractor",
    "RawText",
    "Streamer",
    "extract_document",
    "extractor_for",
    "stream_document",
    "streamer_for",
]
