"""PostgreSQL: the same Alembic history and models as SQLite, on the real server."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from archive.cases import CaseInput, create_case
from archive.db import Base, make_engine, make_session_factory, session_scope
from archive.migrate import alembic_config, current_revision, head_revision, is_up_to_date, upgrade
from archive.models import AuditEvent, Case, Document, Role
from archive.storage import content_key
from archive.texts import iter_text, save_text
from archive.users import create_user
from search.casenumber import parse_case_number
from tests.archive.test_migrations import assert_texts_move_into_chunks_and_back

pytestmark = pytest.mark.service("postgres")

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
PARTIES = "原告：北京华信科技有限公司\n被告：上海东方贸易有限公司"
TEXT = "北京市朝阳区人民法院民事判决书（2023）京0105民初12345号：原告诉称，被告拖欠货款人民币1,234,567.89元。"


def test_migrations_apply_down_and_up_again(postgres_database: str):
    url = postgres_database
    assert current_revision(url) is None
    upgrade(url)
    assert is_up_to_date(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            tables = set(inspect(conn).get_table_names())
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        assert diff == []

        command.downgrade(alembic_config(url), "base")
        assert current_revision(url) is None
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}

        upgrade(url)
        assert current_revision(url) == head_revision()
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_texts_of_revision_0001_move_into_chunks_and_back(postgres_database: str):
    assert_texts_move_into_chunks_and_back(postgres_database)


def test_models_round_trip_chinese_text(postgres_database: str):
    url = postgres_database
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    raw_number = "（2023）京0105民初12345号"
    try:
        with session_scope(sessions) as s:
            lawyer = create_user(
                s,
                username="zhangsan",
                password="password-123",
                display_name="张三",
                role=Role.LAWYER,
                department="法务部",
            )
            case = create_case(
                s,
                CaseInput(
                    name="北京华信科技有限公司诉上海东方贸易有限公司买卖合同纠纷案",
                    internal_no="FW-2023-017",
                    cause="买卖合同纠纷",
                    department="法务部",
                    owner="张三",
                    parties=PARTIES,
                    court_numbers=raw_number,
                ),
                user=lawyer,
            )
            s.flush()
            doc = Document(
                case_id=case.id,
                doc_type="法律文书",
                title="一审民事判决书",
                original_filename="（2023）京0105民初12345号 民事判决书【终稿】.pdf",
                sha256=SHA,
                size=5 * 1024**3,  # beyond 32 bits: the column is BIGINT
                storage_key=content_key(SHA),
                mime_type="application/pdf",
                sniffed_kind="pdf",
                page_count=12,
                uploaded_by_id=lawyer.id,
            )
            s.add(doc)
            s.flush()
            case_id, doc_id = case.id, doc.id
        save_text(sessions, doc_id, [TEXT[:40], TEXT[40:]], extractor="pypdf", limit=50)

        with session_scope(sessions) as s:
            case = s.get(Case, case_id)
            assert case is not None
            assert case.name == "北京华信科技有限公司诉上海东方贸易有限公司买卖合同纠纷案"
            assert case.cause == "买卖合同纠纷"
            assert case.parties == PARTIES
            assert [n.canonical for n in case.court_numbers] == [parse_case_number(raw_number).canonical]
            assert [n.raw for n in case.court_numbers] == [raw_number]
            assert isinstance(case.created_at, datetime) and case.created_at.tzinfo is not None
            doc = s.get(Document, doc_id)
            assert doc is not None
            assert doc.original_filename == "（2023）京0105民初12345号 民事判决书【终稿】.pdf"
            assert doc.size == 5 * 1024**3
            assert doc.storage_key == f"sha256/9f/86/{SHA}"
            assert doc.status == "queued"
            assert doc.text is not None and (doc.text.char_count, doc.text.chunk_count) == (len(TEXT), 2)
            assert "".join(iter_text(sessions, doc_id)) == TEXT
            event = s.scalars(select(AuditEvent).where(AuditEvent.action == "case.create")).one()
            assert event.detail == {"internal_no": "FW-2023-017"}
            # The server stores the text as UTF-8 characters, not bytes or escapes.
            assert s.scalar(text("SELECT length(parties) FROM cases WHERE id = :id"), {"id": case_id}) == len(
                PARTIES
            )
            assert s.scalar(text("SHOW server_encoding")) == "UTF8"

        # The same file twice in one case is refused by the database itself.
        with pytest.raises(IntegrityError):
            with session_scope(sessions) as s:
                s.add(
                    Document(
                        case_id=case_id,
                        doc_type="法律文书",
                        title="重复上传",
                        original_filename="副本.pdf",
                        sha256=SHA,
                        size=1,
                        storage_key=content_key(SHA),
                    )
                )
    finally:
        engine.dispose()
