"""The database copy of ``juanzong migrate-to-scaled``, between two real SQLite databases (the
whole migration, onto PostgreSQL, MinIO and Elasticsearch, is tested in
tests/services/test_migrate_scaled.py): every table, text chunks included, streamed in batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.migrate import upgrade
from archive.texts import iter_text, save_text
from juanzong import migrate_scaled
from juanzong.runtime import Runtime
from juanzong.settings import load_settings
from tests.factories import bare_document


def test_tables_are_copied_with_every_text_chunk(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(runtime.sessions) as s:
        case = create_case(
            s, CaseInput(name="借款合同纠纷", internal_no="JK-1", court_numbers="（2020）川0107民初21739号")
        )
        docs = [bare_document(case.id, n, "indexed") for n in range(3)]
        s.add_all(docs)
        s.flush()
        ids = [d.id for d in docs]
    long_text = "\n".join(f"第{n}段：借款人应于到期日归还本金及利息。" for n in range(6_000))  # 3 chunks
    texts = {ids[0]: long_text, ids[1]: "借条一份"}  # the third has no text
    for document_id, body in texts.items():
        save_text(runtime.sessions, document_id, [body], extractor="test")

    target_settings = load_settings({"JUANZONG_DATA_DIR": str(tmp_path / "target"), "SECRET_KEY": "t"})
    target_settings.ensure_dirs()
    upgrade(target_settings.database_url)
    target = Runtime(target_settings)
    monkeypatch.setattr(migrate_scaled, "TEXT_ROW_BATCH", 2)  # the 4 chunk rows go in 2 batches
    try:
        migrate_scaled._copy_tables(runtime, target)
        counts = {t.table: (t.source, t.target) for t in migrate_scaled._table_counts(runtime, target)}
        copied = {d: "".join(iter_text(target.sessions, d)) for d in ids}
        chunks = [len(list(iter_text(target.sessions, d))) for d in ids]
    finally:
        target.close()
    assert counts == {
        "users": (0, 0),
        "audit_events": (1, 1),
        "cases": (1, 1),
        "court_case_numbers": (1, 1),
        "documents": (3, 3),
        "document_text_chunks": (4, 4),
        "document_texts": (2, 2),
    }
    assert copied == {ids[0]: long_text, ids[1]: "借条一份", ids[2]: ""}
    assert chunks == [3, 1, 0]
