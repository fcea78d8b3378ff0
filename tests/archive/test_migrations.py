"""The Alembic history builds exactly the schema the models describe, and runs both ways."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from archive.db import Base, make_engine, make_session_factory
from archive.migrate import alembic_config, current_revision, head_revision, is_up_to_date, upgrade
from archive.models import DocumentText, DocumentTextChunk
from archive.texts import iter_text, split_chunks


def test_upgrade_creates_every_table_and_matches_the_models(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert current_revision(url) is None
    upgrade(url)
    assert is_up_to_date(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) == head_revision()


# Texts as revision 0001 stored them (one column), and what 0002 makes of them.
LINE = ("被告未按约定支付货款𠮷" * 100)[:999] + "\n"  # 1,000 characters (𠮷: beyond the BMP)
SHORT = "北京市朝阳区人民法院\n民事判决书\n（2023）京0105民初12345号"
LINES = LINE * 120  # 120,000 characters; chunks of 50 whole lines
UNBROKEN = "违约金" * 40_001  # 120,003 characters without a line break: cut at the limit


def _insert_0001_rows(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (id, name, internal_no, cause, department, owner, parties, stage,"
                " created_at) VALUES (1, '买卖合同纠纷', 'FW-1', '', '', '', '', 'accepted',"
                " '2026-12-01 08:00:00')"
            )
        )
        for doc_id, body in ((1, SHORT), (2, LINES), (3, UNBROKEN), (4, None)):
            conn.execute(
                text(
                    "INSERT INTO documents (id, case_id, doc_type, title, original_filename, sha256, size,"
                    " storage_key, mime_type, sniffed_kind, status, notes, attempts, created_at, updated_at)"
                    " VALUES (:id, 1, 'other', 't', 't.txt', :sha, 1, 'k', 'text/plain', 'text', 'indexed',"
                    " '', 0, '2026-12-01 08:00:00', '2026-12-01 08:00:00')"
                ),
                {"id": doc_id, "sha": f"{doc_id:064d}"},
            )
            if body is not None:
                conn.execute(
                    text(
                        "INSERT INTO document_texts (document_id, text, extractor, char_count)"
                        " VALUES (:id, :text, 'text:utf-8', :n)"
                    ),
                    {"id": doc_id, "text": body, "n": len(body)},
                )
    engine.dispose()


def test_texts_of_revision_0001_move_into_chunks_and_back(tmp_path: Path):
    assert_texts_move_into_chunks_and_back(f"sqlite:///{tmp_path / 'm.db'}")


def assert_texts_move_into_chunks_and_back(url: str) -> None:
    """Revision 0002 on an empty database ``url`` holding texts of revision 0001 (also run on
    PostgreSQL by tests/services/test_postgres.py)."""
    from alembic import command

    command.upgrade(alembic_config(url), "0001")
    _insert_0001_rows(url)

    command.upgrade(alembic_config(url), "0002")
    assert current_revision(url) == "0002"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s:
        rows = s.execute(
            select(DocumentText.document_id, DocumentText.char_count, DocumentText.chunk_count).order_by(
                DocumentText.document_id
            )
        ).all()
        sizes = s.execute(
            select(
                DocumentTextChunk.document_id, DocumentTextChunk.seq, func.length(DocumentTextChunk.text)
            ).order_by(DocumentTextChunk.document_id, DocumentTextChunk.seq)
        ).all()
        assert "text" not in {c["name"] for c in inspect(s.connection()).get_columns("document_texts")}
    assert [tuple(r) for r in rows] == [(1, 36, 1), (2, 120_000, 3), (3, 120_003, 3)]
    assert [tuple(r) for r in sizes] == [
        (1, 0, 36),
        (2, 0, 50_000),
        (2, 1, 50_000),
        (2, 2, 20_000),
        (3, 0, 50_000),
        (3, 1, 50_000),
        (3, 2, 20_003),
    ]
    assert list(iter_text(sessions, 2))[0] == LINE * 50  # cut just after a line break
    for doc_id, body in ((1, SHORT), (2, LINES), (3, UNBROKEN)):
        assert "".join(iter_text(sessions, doc_id)) == body
        assert list(iter_text(sessions, doc_id)) == list(split_chunks([body]))  # as the writer cuts
    assert list(iter_text(sessions, 4)) == []
    engine.dispose()

    command.downgrade(alembic_config(url), "0001")
    assert current_revision(url) == "0001"
    engine = make_engine(url)
    with engine.connect() as conn:
        assert "document_text_chunks" not in inspect(conn).get_table_names()
        stored = conn.execute(
            text("SELECT document_id, text, char_count FROM document_texts ORDER BY document_id")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [(1, SHORT, 36), (2, LINES, 120_000), (3, UNBROKEN, 120_003)]


def test_legacy_case_numbers_stored_without_di_get_it(tmp_path: Path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'm.db'}"
    command.upgrade(alembic_config(url), "0002")
    engine = make_engine(url)
    with engine.begin() as conn:
        for case_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO cases (id, name, internal_no, cause, department, owner, parties, stage,"
                    " created_at) VALUES (:id, '买卖合同纠纷', :no, '', '', '', '', 'accepted',"
                    " '2026-12-01 08:00:00')"
                ),
                {"id": case_id, "no": f"FW-{case_id}"},
            )
        rows = [
            (1, 1, "（2015）朝民初字12345号", "（2015）朝民初字12345号"),
            (2, 1, "（2023）京0105民初12345号", "(2023)京0105民初12345号"),
            (3, 2, "（2015）朝民初字第12345号", "（2015）朝民初字第12345号"),
            (4, 2, "（2015）朝民初字12345号", "（2015）朝民初字12345"),
            (5, 2, "（2014）京民一终字000123号之一", "〔2014〕京民一终字000123号之一"),
        ]
        for row in rows:
            conn.execute(
                text("INSERT INTO court_case_numbers (id, case_id, canonical, raw) VALUES (:i, :c, :n, :r)"),
                dict(zip("icnr", row, strict=True)),
            )
    upgrade(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT id, case_id, canonical FROM court_case_numbers ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [
        (1, 1, "（2015）朝民初字第12345号"),
        (2, 1, "（2023）京0105民初12345号"),
        (3, 2, "（2015）朝民初字第12345号"),
        (5, 2, "（2014）京民一终字第000123号之一"),
    ]
    # As the parser now writes them.
    from search.casenumber import parse_case_number

    assert {
        parse_case_number(r).canonical for r in ("（2015）朝民初字12345", "〔2014〕京民一终字000123号之一")
    } == {
        "（2015）朝民初字第12345号",
        "（2014）京民一终字第000123号之一",
    }
