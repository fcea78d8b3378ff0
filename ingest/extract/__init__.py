"""Text extractors, one small module per format, all with the signature
``extract(path: Path, settings: Settings) -> Extracted`` raising ``IngestError`` on bad input.

``extract_document`` picks the extractor for a sniffed kind and normalises the text with
``search.analysis.normalize_text``, which keeps the characters as extracted (full-width
punctuation included): width folding happens only where search matches text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ingest.errors import MSG_NO_TEXT, ErrorCode, IngestError
from ingest.extract.base import Extracted, Extraction
from juanzong.settings import Settings
from search.analysis import normalize_text

Extractor = Callable[[Path, Settings], Extracted]


def extractor_for(kind: str) -> Extractor:
    """The bare extractor for a sniffed kind (``pdf``, ``docx``, ``text``)."""
    if kind == "pdf":
        from ingest.extract import pdf

        return pdf.extract
    if kind == "docx":
        from ingest.extract import docx

        return docx.extract
    if kind == "text":
        from ingest.extract import text

        return text.extract
    raise IngestError(ErrorCode.UNSUPPORTED, "暂不支持此文件类型", f"no extractor for kind {kind!r}")


def extract_document(kind: str, path: Path, settings: Settings) -> Extracted:
    """Extract and normalise; a document without any text is an error (``no_text``)."""
    extracted = extractor_for(kind)(path, settings)
    text = normalize_text(extracted.text).strip()
    if not text:
        raise IngestError(ErrorCode.NO_TEXT, MSG_NO_TEXT, f"{kind} file has no text")
    return replace(extracted, text=text)


def stream_document(kind: str, path: Path, settings: Settings) -> Extraction:
    """The document's normalised text in pieces (see ``Extraction``); the same text as
    ``extract_document`` gives, never held whole. (Transitional: still extracts whole.)"""
    extracted = extract_document(kind, path, settings)
    return Extraction(iter((extracted.text,)), extracted.extractor, extracted.page_count)


__all__ = ["Extracted", "Extraction", "Extractor", "extract_document", "extractor_for", "stream_document"]
