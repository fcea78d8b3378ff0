"""INTERFACE STUB — implemented by the search work.

normalize_text(text) -> str: NFKC width folding, join whitespace between Han characters
(PDF line wraps), collapse runs of blank space; applied to extracted text before storing and
indexing, and to queries.
"""

from __future__ import annotations

import unicodedata


def normalize_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
