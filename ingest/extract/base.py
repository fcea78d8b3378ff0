"""What the extractors return."""

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
