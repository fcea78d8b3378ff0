"""Rows for tests that need documents in the database but no file behind them."""

from __future__ import annotations

from archive.models import Document


def bare_document(case_id: int, n: int, status: str = "queued") -> Document:
    """Document number ``n`` of a case: a placeholder hash, size and storage key."""
    return Document(
        case_id=case_id,
        doc_type="other",
        title=f"文档{n}",
        original_filename=f"{n}.txt",
        sha256=f"{n:064d}",
        size=1,
        storage_key=f"k{n}",
        status=status,
    )
