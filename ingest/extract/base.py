"""What the extractors return: ``RawText`` (a format's own text, in pieces, as read),
``Extraction`` (that text normalised, in pieces: what the pipeline stores) and ``Extracted``
(a whole text, for tests, benchmarks and small callers)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    """A document's whole text (tests, benchmarks and small callers)."""

    text: str
    page_count: int | None
    extractor: str  # e.g. "pypdf", "python-docx", "text:gb18030"


class Extraction:
    """A document's text as it is extracted, in pieces, so a long document is never held
    whole: iterate ``pieces()`` once. ``page_count`` and ``extractor`` are final once the
    pieces are exhausted (a format may know them earlier). Iterating may raise
    ``IngestError`` for a bad file, also after some pieces were given: the caller must then
    drop what it received."""

    def __init__(self, pieces: Iterator[str], extractor: str, page_count: int | None = None) -> None:
        self._pieces = pieces
        self.extractor = extractor
        self.page_count = page_count

    def pieces(self) -> Iterator[str]:
        """The normalised text (``search.analysis.normalize_text`` of the whole, exactly), in
        non-empty pieces of bounded size, in order."""
        return self._pieces


@dataclass(frozen=True)
class RawText:
    """A document's text as its format's extractor reads it, not yet normalised: ``pieces``
    joined is exactly the text of the format's ``extract``; the pieces may be empty. The
    file is opened, and the errors that opening can show raised, before the ``RawText`` is
    returned; iterating may still raise ``IngestError`` (a page that cannot be read, no text
    layer). ``extractor`` and ``page_count`` are known from the start."""

    pieces: Iterator[str]
    extractor: str
    page_count: int | None

    def extracted(self) -> Extracted:
        """The whole text (consumes ``pieces``)."""
        return Extracted(text="".join(self.pieces), page_count=self.page_count, extractor=self.extractor)
