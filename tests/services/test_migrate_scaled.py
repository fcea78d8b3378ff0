"""``juanzong migrate-to-scaled`` end to end: an embedded installation (SQLite, a local
directory, tantivy) with real ingested files moves to the real PostgreSQL, MinIO and
Elasticsearch; counts, hashes and search results must match, and nothing of the source changes."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.cases import create_case
from archive.db import Base, make_engine, session_scope
from archive.doctypes import DocType
from archive.models import AuditEvent, Document, DocumentText, Role
from archive.storage import ObjectStore
from archive.storage_s3 import S3Store
from archive.texts import iter_text
from archive.users import create_user
from demodata.corpus import build_corpus, write_document
from ingest.pipeline import process_document
from ingest.service import Outcome, ingest_path
from juanzong.cli import main
from juanzong.migrate_scaled import (
    AUDIT_ACTION,
    MigrationError,
    MigrationRefused,
    migrate_to_scaled,
    target_runtime,
)
from juanzong.runtime import Runtime
from search.api import SearchRequest
from tests.ingest.samples import png_bytes
from tests.services.elastic_support import TEST_PREFIX, elastic_url
from tests.services.service_urls import with_bucket

pytestmark = [
    pytest.mark.service("postgres"),
    pytest.mark.service("minio"),
    pytest.mark.service("elasticsearch"),
]

QUERIES = ["买卖合同", "（2020）川0107民初21739号", "(2020)川0107民初21739", "原告 判决", "借款"]


def _sha256(store: ObjectStore, key: str) -> str:
    digest = hashlib.sha256()
    with store.open(key) as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _counts(rt: Runtime) -> dict[str, int]:
    with rt.engine.connect() as conn:
        return {
            t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


def _hits(rt: Runtime, query: str) -> tuple[int, list[int]]:
    result = rt.index.search(SearchRequest(query=query, per_page=100))
    return result.total, sorted(h.doc_id for h in result.hits)


def _texts(rt: Runtime) -> dict[int, str]:
    """Each stored text (joined from its chunks), by document id."""
    with rt.sessions() as s:
        ids = list(s.scalars(select(DocumentText.document_id).order_by(DocumentText.document_id)))
    return {document_id: "".join(iter_text(rt.sessions, document_id)) for document_id in ids}


def _document_rows(session: Session) -> list[tuple]:
    """Each document's identity and upload time (SQLite returns naive UTC datetimes)."""
    query = select(
        Document.id, Document.case_id, Document.original_filename, Document.sha256, Document.created_at
    )
    return [
        (*row[:4], row[4] if row[4].tzinfo else row[4].replace(tzinfo=UTC))
        for row in session.execute(query.order_by(Document.id))
    ]


@pytest.fixture
def embedded(runtime: Runtime, tmp_path: Path) -> Runtime:
    """The embedded installation of the ``runtime`` fixture, filled: 2 users, 2 cases with court
    numbers, 10 demo files (PDF with CID and TrueType fonts, DOCX, UTF-8 and GB18030 text), a PNG
    named .pdf (kept, failed) and one file uploaded into both cases (one object, two documents)."""
    files = tmp_path / "files"
    files.mkdir()
    with session_scope(runtime.sessions) as s:
        admin = create_user(
            s,
            username="admin",
            password="password-123",
            display_name="管理员",
            role=Role.ADMIN,
            department="",
        )
        create_user(
            s,
            username="lisi",
            password="password-123",
            display_name="李四",
            role=Role.LAWYER,
            department="法务部",
        )
        specs = build_corpus(2024, 2)
        cases = [create_case(s, spec.case_input(), user=admin).id for spec in specs]
    queued: list[int] = []
    for case_id, spec in zip(cases, specs, strict=True):
        for doc in spec.docs[:5]:
            path = write_document(doc, files / doc.filename)
            result = ingest_path(
                runtime, case_id=case_id, path=path, doc_type=DocType(doc.doc_type), user=admin
            )
            assert result.outcome is Outcome.QUEUED, result
            queued.append(result.document_id)
    shared = files / specs[0].docs[2].filename  # the GB18030 complaint of case 1, again into case 2
    again = ingest_path(runtime, case_id=cases[1], path=shared, doc_type=DocType.LEGAL_DOC, user=None)
    assert again.outcome is Outcome.QUEUED
    queued.append(again.document_id)
    png = files / "扫描件.pdf"
    png.write_bytes(png_bytes())
    assert ingest_path(runtime, case_id=cases[0], path=png, doc_type=DocType.OTHER, user=None).outcome is (
        Outcome.FAILED
    )
    for document_id in queued:
        assert process_document(runtime, document_id) == "indexed"
    return runtime


@pytest.fixture
def target_urls(postgres_database: str, minio_url: str, elasticsearch_url: str) -> Iterator[dict[str, str]]:
    """A fresh database, bucket and index prefix; the bucket and the indices are removed after."""
    bucket = f"jz-migrate-{uuid.uuid4().hex[:12]}"
    urls = {
        "database_url": postgres_database,
        "storage_url": with_bucket(minio_url, bucket),
        "search_url": elastic_url(f"{TEST_PREFIX}{uuid.uuid4().hex[:16]}"),
    }
    yield urls
    S3Store.from_url(urls["storage_url"]).remove_bucket()
    from search.engines.elastic import ElasticIndex

    index = ElasticIndex.from_url(urls["search_url"])
    index.drop()
    index.close()


def test_migration_copies_everything_and_the_counts_match(target_urls: dict[str, str], embedded: Runtime):
    source = embedded
    before = _counts(source)
    source_keys = sorted(source.store.iter_keys())
    source_hashes = {key: _sha256(source.store, key) for key in source_keys}
    source_hits = {q: _hits(source, q) for q in QUERIES}
    assert (before["users"], before["cases"], before["documents"], before["document_texts"]) == (2, 2, 12, 11)
    assert before["document_text_chunks"] == 11  # each demo text fits in one chunk
    source_texts = _texts(source)
    assert before["court_case_numbers"] == 4
    assert len(source_keys) == 11  # the shared file is stored once

    target = target_runtime(source.settings, **target_urls)
    steps: list[str] = []
    try:
        report = migrate_to_scaled(source, target, step=steps.append)
        assert report.ok, "\n".join(report.lines())
        copied = (
            "users",
            "cases",
            "court_case_numbers",
            "documents",
            "document_text_chunks",
            "document_texts",
            "audit_events",
        )
        assert {t.table: (t.source, t.target) for t in report.tables} == {
            name: (before[name], before[name]) for name in copied
        }
        order = [t.table for t in report.tables]
        assert order[0] == "users" and order.index("cases") < order.index("documents")
        for texts_table in ("document_texts", "document_text_chunks"):
            assert order.index("documents") < order.index(texts_table)
        objects = report.objects
        assert (objects.source, objects.copied, objects.present, objects.verified) == (11, 11, 0, 11)
        assert (objects.mismatched, objects.corrupt_in_source, objects.missing_in_source) == ((), (), ())
        assert (report.to_index, report.index_count, report.source_index_count) == (11, 11, 11)
        assert report.lines()[-1] == "结果：全部一致，迁移完成。"
        assert steps[0] == "检查目标数据库、对象存储和搜索服务……"

        # The database, checked on its own connection: every row, one audit event more.
        after = _counts(target)
        expected = dict(before, audit_events=before["audit_events"] + 1, worker_heartbeats=0)
        assert after == expected
        with target.sessions() as s:
            event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
            assert (event.action, event.detail["ok"], event.detail["objects"]) == (AUDIT_ACTION, True, 11)
            assert "password" not in str(event.detail) and "juanzong-test" not in str(event.detail)
            rows = _document_rows(s)
        with source.sessions() as s:
            assert rows == _document_rows(s)
        assert _texts(target) == source_texts  # every stored text, read back chunk by chunk
        assert len(source_texts) == 11 and all(source_texts.values())

        # Sequences moved past the copied ids.
        with session_scope(target.sessions) as s:
            user = create_user(
                s, username="wangwu", password="password-123", display_name="王五", role=Role.STAFF
            )
            assert user.id == 3

        # Every original in MinIO, read back through a store of its own, hashes as in the source.
        minio = S3Store.from_url(target_urls["storage_url"])
        assert sorted(minio.iter_keys()) == source_keys
        assert {key: _sha256(minio, key) for key in source_keys} == source_hashes
        assert all(key.endswith(digest) for key, digest in source_hashes.items())

        # The same hits from Elasticsearch as from the embedded index.
        for query, hits in source_hits.items():
            assert hits[0] > 0, query
            assert _hits(target, query) == hits, query
    finally:
        target.close()

    # Nothing of the source changed.
    assert _counts(source) == before
    assert sorted(source.store.iter_keys()) == source_keys
    assert source.index.count() == 11


def test_command_migrates_then_refuses_a_second_run(target_urls: dict[str, str], embedded: Runtime):
    args = ["migrate-to-scaled"] + [
        f"--to-{name}={target_urls[key]}"
        for name, key in (("database", "database_url"), ("storage", "storage_url"), ("search", "search_url"))
    ]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert "  documents                  12 → 12       一致" in lines
    assert "  document_text_chunks       11 → 11       一致" in lines
    assert "原件：源存储 11 个，本次复制 11 个，目标已有 0 个，SHA-256 校验一致 11 个，不一致 0 个" in lines
    assert lines[-2:] == [
        "索引：应索引文档 11 份，目标索引 11 份（源索引 11 份）",
        "结果：全部一致，迁移完成。",
    ]

    second = CliRunner().invoke(main, args)
    assert second.exit_code == 1, second.output
    audit_rows = _counts(embedded)["audit_events"] + 1
    assert second.output.splitlines()[-1] == (
        f"Error: 目标数据库中已有数据（users 2 行、audit_events {audit_rows} 行、cases 2 行、"
        "court_case_numbers 4 行、documents 12 行、document_text_chunks 11 行、document_texts 11 行），"
        "只能迁移到空的数据库；未复制任何内容。如需重新迁移，请先清空目标数据库。"
    )
    engine = make_engine(target_urls["database_url"])
    try:
        with engine.connect() as conn:
            migrations = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == AUDIT_ACTION)
            assert conn.scalar(migrations) == 1
    finally:
        engine.dispose()


def test_a_target_that_is_the_source_is_refused(runtime: Runtime):
    s = runtime.settings
    with pytest.raises(MigrationRefused, match="^目标数据库与当前安装的数据库相同，无法迁移到自身$"):
        target_runtime(
            s,
            database_url=s.database_url,
            storage_url="s3://k:s@127.0.0.1:1/b",
            search_url="http://127.0.0.1:1",
        )


def test_an_unreachable_target_stops_the_migration_before_anything_is_copied(
    target_urls: dict[str, str], embedded: Runtime
):
    urls = dict(target_urls, storage_url="s3://k:s@127.0.0.1:1/jz-nowhere?secure=false")
    target = target_runtime(embedded.settings, **urls)
    try:
        with pytest.raises(MigrationError, match=r"^目标服务不可用（StorageError: .*127\.0\.0\.1:1.*）$"):
            migrate_to_scaled(embedded, target)
        copied = _counts(target)
    finally:
        target.close()
    assert set(copied.values()) == {0}
