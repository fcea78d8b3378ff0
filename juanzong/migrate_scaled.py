"""Moving an embedded installation to the scaled mode (``juanzong migrate-to-scaled``).

The source is the installation named by the current settings (SQLite, a local directory, the
tantivy index); the target is given by three URLs (PostgreSQL, MinIO/S3, Elasticsearch).
In this order, and refusing before anything is copied when the target database has rows:

1. every object of the source store is streamed to the target store through a temporary file,
   then read back from the target; its SHA-256 must equal the source's (and, for a content
   key, the key's own hash);
2. every table of ``archive.models`` is copied row by row, ids kept, in dependency order and in
   one transaction (a failure leaves the target database empty), into a target migrated with
   Alembic; PostgreSQL sequences are then moved past the copied ids. Rows are streamed in
   batches, those of ``document_text_chunks`` (up to ``archive.texts.TEXT_CHUNK_CHARS``
   characters each) in small ones, so no long text is ever held whole. ``worker_heartbeats``
   is run-time state of the old workers and is not copied;
3. the target index is rebuilt from the copied database with ``ingest.maintenance.reindex``;
4. counts of source and target are compared, an audit event is written in the target (after
   the counts, so ``audit_events`` holds one row more than the source), and the report says
   whether everything matched.

Nothing in the source is changed or deleted. Run it with the web server and worker stopped.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, func, select, text
from sqlalchemy.engine import Connection, make_url

from archive import audit
from archive.db import Base, session_scope
from archive.migrate import is_up_to_date, upgrade
from archive.models import DocStatus, Document, DocumentText, DocumentTextChunk
from archive.storage import ObjectStore, content_key
from juanzong.migrate_report import (
    MigrationError,
    MigrationRefused,
    MigrationReport,
    ObjectCounts,
    TableCount,
)
from juanzong.runtime import Runtime
from juanzong.settings import Settings, load_settings
from search.api import SearchError

log = logging.getLogger(__name__)

TRANSIENT_TABLES = frozenset({"worker_heartbeats"})
AUDIT_ACTION = "system.migrate_to_scaled"
ROW_BATCH = 1000
TEXT_ROW_BATCH = 10  # rows of document_text_chunks per batch: at most 500,000 characters
CHUNK = 1024 * 1024
_CONTENT_KEY = re.compile(r"sha256/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})")

Step = Callable[[str], object]

__all__ = [
    "AUDIT_ACTION",
    "MigrationError",
    "MigrationRefused",
    "MigrationReport",
    "ObjectCounts",
    "TableCount",
    "migrate_to_scaled",
    "target_runtime",
]


def target_runtime(source: Settings, *, database_url: str, storage_url: str, search_url: str) -> Runtime:
    """A runtime on the target backends (the source's other settings kept). Raises
    ``SettingsError`` for a malformed URL and ``MigrationRefused`` when a target is the source."""
    checked = load_settings(
        {
            "JUANZONG_DATA_DIR": str(source.data_dir),
            "SECRET_KEY": source.secret_key,
            "DATABASE_URL": database_url,
            "STORAGE_URL": storage_url,
            "SEARCH_URL": search_url,
        }
    )
    for label, old, new in (
        ("数据库", source.database_url, checked.database_url),
        ("对象存储", source.storage_url, checked.storage_url),
        ("搜索索引", source.search_url, checked.search_url),
    ):
        if old == new:
            raise MigrationRefused(f"目标{label}与当前安装的{label}相同，无法迁移到自身")
    return Runtime(
        replace(
            source,
            database_url=checked.database_url,
            storage_url=checked.storage_url,
            search_url=checked.search_url,
        )
    )


def migrate_to_scaled(source: Runtime, target: Runtime, *, step: Step = lambda _msg: None) -> MigrationReport:
    """Copy ``source`` into ``target`` (see the module doc); raises ``MigrationError``."""
    _check_source(source)
    with _stage("check the target", "目标服务不可用"):
        step("检查目标数据库、对象存储和搜索服务……")
        upgrade(target.settings.database_url)
        _refuse_unless_empty(target)
        target.store.exists(content_key("0" * 64))  # reachable, bucket in place
        target.index.count()  # reachable, alias in place
    with _stage("copy objects", "复制原件失败；源数据未改动，排除问题后可重新运行"):
        objects = _copy_objects(source, target, step)
    with _stage("copy the database", "复制数据库失败，目标数据库的写入已回滚；源数据未改动，可重新运行"):
        step("复制数据库……")
        _copy_tables(source, target)
    with _stage(
        "rebuild the index", "重建索引失败；数据库和原件已复制，排除问题后在目标配置下运行 juanzong reindex"
    ):
        step("在目标上重建全文索引……")
        from ingest.maintenance import reindex

        reindex(target)
        report = MigrationReport(
            tables=tuple(_table_counts(source, target)),
            objects=objects,
            to_index=_documents_to_index(target),
            index_count=target.index.count(),
            source_index_count=_source_index_count(source),
        )
    _record(source, target, report)
    log.info("migration to scaled mode finished: ok=%s", report.ok)
    return report


# ---------------------------------------------------------------- checks


@contextmanager
def _stage(name_en: str, message_zh: str) -> Iterator[None]:
    try:
        yield
    except MigrationError:
        raise
    except Exception as exc:  # any failure of a server or a URL: logged in full, told in Chinese
        log.exception("migration stage %r failed", name_en)
        raise MigrationError(f"{message_zh}（{type(exc).__name__}: {str(exc)[:300]}）") from exc


def _check_source(source: Runtime) -> None:
    from ingest.worker import worker_alive

    if not is_up_to_date(source.settings.database_url):
        raise MigrationRefused("当前安装的数据库尚未初始化或版本过旧，请先运行 juanzong init")
    if worker_alive(source):
        raise MigrationRefused("当前安装仍有处理进程（worker）在运行，请先停止 Web 服务和处理进程再迁移")


def _data_tables() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name not in TRANSIENT_TABLES]


def _count(conn: Connection, table: Any) -> int:
    return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def _refuse_unless_empty(target: Runtime) -> None:
    with target.engine.connect() as conn:
        filled = [(t.name, n) for t in _data_tables() if (n := _count(conn, t))]
    if filled:
        rows = "、".join(f"{name} {n} 行" for name, n in filled)
        raise MigrationRefused(
            f"目标数据库中已有数据（{rows}），只能迁移到空的数据库；未复制任何内容。"
            "如需重新迁移，请先清空目标数据库。"
        )


# ---------------------------------------------------------------- objects


def _sha256(stream: Any, out: Any = None) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest()


def _target_sha256(store: ObjectStore, key: str) -> str:
    with store.open(key) as stream:
        return _sha256(stream)


def _copy_objects(source: Runtime, target: Runtime, step: Step) -> ObjectCounts:
    from ingest.spool import temp_path

    with source.sessions() as s:
        mime: dict[str, str] = {k: m for k, m in s.execute(select(Document.storage_key, Document.mime_type))}
    step("复制原件并逐个校验 SHA-256……")
    n = copied = present = verified = 0
    mismatched: list[str] = []
    corrupt: list[str] = []
    seen: set[str] = set()
    tmp = temp_path(source.settings, "migrate-")
    try:
        for key in source.store.iter_keys():
            n += 1
            seen.add(key)
            with source.store.open(key) as src, open(tmp, "wb") as out:
                digest = _sha256(src, out)
            match = _CONTENT_KEY.fullmatch(key)
            if match and match.group(1) != digest:
                log.warning("source object %s does not hash to its key (sha256 %s)", key, digest)
                corrupt.append(key)
            if target.store.exists(key) and _target_sha256(target.store, key) == digest:
                present += 1
                verified += 1
            else:
                target.store.put_file(key, tmp, content_type=mime.get(key, "application/octet-stream"))
                copied += 1
                if _target_sha256(target.store, key) == digest:
                    verified += 1
                else:
                    log.error("object %s read back from the target differs from the source", key)
                    mismatched.append(key)
            if n % 500 == 0:
                step(f"  已处理原件 {n} 个")
    finally:
        tmp.unlink(missing_ok=True)
    missing = sorted(set(mime) - seen)
    for key in missing:
        log.warning("document original %s is missing from the source store", key)
    log.info("objects: %d in source, %d copied, %d present, %d verified", n, copied, present, verified)
    return ObjectCounts(n, copied, present, verified, tuple(mismatched), tuple(corrupt), tuple(missing))


# ---------------------------------------------------------------- database


def _aware_row(row: dict[str, Any], aware_columns: list[str]) -> dict[str, Any]:
    """SQLite hands back naive datetimes; they are UTC."""
    for name in aware_columns:
        value = row.get(name)
        if isinstance(value, datetime) and value.tzinfo is None:
            row[name] = value.replace(tzinfo=UTC)
    return row


def _row_batch(table: Any) -> int:
    return TEXT_ROW_BATCH if table.name == DocumentTextChunk.__tablename__ else ROW_BATCH


def _copy_tables(source: Runtime, target: Runtime) -> None:
    with source.engine.connect() as src, target.engine.begin() as dst:
        for table in _data_tables():
            aware = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]
            query = select(table).order_by(*table.primary_key.columns)
            batch = _row_batch(table)
            result = src.execution_options(yield_per=batch).execute(query)
            copied = 0
            for rows in result.mappings().partitions(batch):
                dst.execute(table.insert(), [_aware_row(dict(r), aware) for r in rows])
                copied += len(rows)
            log.info("copied table %s: %d rows", table.name, copied)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst)


def _reset_sequences(conn: Connection) -> None:
    """Move each serial sequence past the highest copied id, so new rows get fresh ids."""
    quote = conn.dialect.identifier_preparer.quote
    for table in _data_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].foreign_keys:
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name})
        if seq is None:
            continue
        tbl, col = quote(table.name), quote(pk[0].name)
        conn.execute(
            text(
                f"SELECT setval(CAST(:seq AS regclass), COALESCE((SELECT MAX({col}) FROM {tbl}), 1), "  # noqa: S608
                f"(SELECT MAX({col}) FROM {tbl}) IS NOT NULL)"
            ),
            {"seq": seq},
        )
        log.debug("sequence %s reset", seq)


def _table_counts(source: Runtime, target: Runtime) -> Iterator[TableCount]:
    with source.engine.connect() as src, target.engine.connect() as dst:
        for table in _data_tables():
            yield TableCount(table.name, _count(src, table), _count(dst, table))


def _documents_to_index(target: Runtime) -> int:
    with target.sessions() as s:
        query = (
            select(func.count())
            .select_from(Document)
            .join(DocumentText, DocumentText.document_id == Document.id)
            .where(Document.status == DocStatus.INDEXED.value)
        )
        return int(s.scalar(query) or 0)


def _source_index_count(source: Runtime) -> int | None:
    try:
        return source.index.count()
    except SearchError:
        log.warning("could not count the source index", exc_info=True)
        return None


def _record(source: Runtime, target: Runtime, report: MigrationReport) -> None:
    with session_scope(target.sessions) as s:
        audit.record(
            s,
            user_id=None,
            action=AUDIT_ACTION,
            object_type="installation",
            object_id="scaled",
            source=str(source.settings.data_dir),
            database=make_url(target.settings.database_url).render_as_string(hide_password=True),
            storage=target.store.describe(),
            search=target.index.describe(),
            tables={t.table: t.target for t in report.tables},
            objects=report.objects.verified,
            indexed=report.index_count,
            ok=report.ok,
        )
