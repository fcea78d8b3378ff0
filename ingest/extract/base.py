"""What every extractor returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extracted:
    text: str
    page_count: int | None
    extractor: str  # e.g. "pypdf", "python-docx", "text:gb18030"
