"""The ingest path on the scaled backends, end to end: PostgreSQL, MinIO, Elasticsearch and a
real ``juanzong worker`` process fed through Redis. Good files end indexed and searchable, bad
ones failed with their reason and their original kept; a worker killed mid-task loses nothing.

The first test (broker options) needs no server."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from minio import Minio
from sqlalchemy.orm import selectinload

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.migrate import upgrade
from archive.models import Case, DocStatus, Document
from archive.storage import content_key
from archive.storage_s3 import S3Location, S3Store
from archive.texts import iter_text
from ingest.celery_app import EXTRACT_TASK, QUEUE, broker_options, make_celery
from ingest.pipeline import index_doc_for
from ingest.service import IngestResult, Outcome, ingest_path, ingest_stream
from ingest.worker import wait_for_documents, worker_alive
from juanzong.runtime import Runtime, set_runtime
from juanzong.settings import SettingsError, load_settings
from search.api import SearchRequest
from tests.ingest.samples import encrypted_pdf, image_only_pdf, png_bytes, sample_docx, sample_pdf
from tests.services.elastic_support import TEST_PREFIX, elastic_url
from tests.services.service_urls import with_bucket, with_path

ROOT = Path(__file__).resolve().parents[2]
BROKER_DB = "14"  # a Redis database of its own: the Celery tests flush 15
BACKEND_VARIABLES = ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL", "SECRET_KEY")


# -- the Redis broker options (no server) -------------------------------------------------------


def test_redis_broker_options_follow_the_visibility_timeout_setting(tmp_path: Path):
    base = {"JUANZONG_DATA_DIR": str(tmp_path), "SECRET_KEY": "x", "BROKER_URL": "redis://127.0.0.1:1/0"}
    assert broker_options(load_settings(base)) == (
        "redis://127.0.0.1:1/0",
        {"visibility_timeout": 3600, "unacked_restore_interval": 60, "unacked_restore_throttle": 1},
    )
    short = load_settings({**base, "JUANZONG_BROKER_VISIBILITY_TIMEOUT": "5"})
    options = {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
    assert broker_options(short) == ("redis://127.0.0.1:1/0", options)
    app = make_celery(short)
    assert (app.conf.broker_transport_options, app.conf.task_acks_late) == (options, True)
    assert broker_options(load_settings({**base, "JUANZONG_BROKER_VISIBILITY_TIMEOUT": "300"}))[1] == {
        "visibility_timeout": 300,
        "unacked_restore_interval": 30,
        "unacked_restore_throttle": 1,
    }
    for raw, message in (
        ("soon", "JUANZONG_BROKER_VISIBILITY_TIMEOUT must be a whole number of seconds, got 'soon'"),
        ("0", "JUANZONG_BROKER_VISIBILITY_TIMEOUT must be at least 1, got 0"),
    ):
        with pytest.raises(SettingsError, match=f"^{re.escape(message)}$"):
            broker_options(load_settings({**base, "JUANZONG_BROKER_VISIBILITY_TIMEOUT": raw}))
    # The embedded broker is untouched by the setting.
    embedded = load_settings({"JUANZONG_DATA_DIR": str(tmp_path), "JUANZONG_BROKER_VISIBILITY_TIMEOUT": "5"})
    url, fs_options = broker_options(embedded)
    assert url == "filesystem://localhost/" and "visibility_timeout" not in fs_options


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def broker_url(redis_url: str) -> Iterator[str]:
    url = with_path(redis_url, BROKER_DB)
    client = redis.Redis.from_url(url, socket_timeout=5)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def scaled_env(
    tmp_path: Path, postgres_database: str, minio_url: str, elasticsearch_url: str, broker_url: str
) -> dict[str, str]:
    """The variables of a scaled installation: a fresh database, bucket, index prefix and broker."""
    return {
        "JUANZONG_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": postgres_database,
        "STORAGE_URL": with_bucket(minio_url, f"jz-ingest-{uuid.uuid4().hex[:12]}"),
        "SEARCH_URL": elastic_url(f"{TEST_PREFIX}{uuid.uuid4().hex[:16]}"),
        "BROKER_URL": broker_url,
    }


@pytest.fixture
def scaled(scaled_env: dict[str, str]) -> Iterator[Runtime]:
    """A migrated runtime on the scaled backends, installed as the process runtime; the bucket
    and the indices are removed afterwards."""
    settings = load_settings(scaled_env)
    settings.ensure_dirs()
    upgrade(settings.database_url)
    rt = Runtime(settings)
    assert type(rt.store).__name__ == "S3Store" and type(rt.index).__name__ == "ElasticIndex"
    set_runtime(rt)
    try:
        yield rt
    finally:
        rt.index.drop()  # type: ignore[attr-defined]
        rt.store.remove_bucket()  # type: ignore[attr-defined]
        set_runtime(None)


@pytest.fixture
def case_id(scaled: Runtime) -> int:
    with session_scope(scaled.sessions) as s:
        return create_case(
            s,
            CaseInput(
                name="北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷",
                internal_no="JZ-2023-017",
                cause="买卖合同纠纷",
                department="法务部",
                court_numbers="（2023）京0105民初12345号",
            ),
        ).id


@contextmanager
def running_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``juanzong worker`` in a process of its own, on the backends named by ``env``."""
    full = {
        k: v for k, v in os.environ.items() if not k.startswith("JUANZONG_") and k not in BACKEND_VARIABLES
    }
    full.update(env)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "juanzong.cli", "worker"],
            cwd=ROOT,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until(
    condition: Callable[[], bool], *, timeout: float, log: Path, proc: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}:\n{log.read_text(errors='replace')[-5000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out; worker log:\n{log.read_text(errors='replace')[-5000:]}")
        time.sleep(0.1)


def _document(rt: Runtime, document_id: int) -> Document:
    with rt.sessions() as s:
        doc = s.get(Document, document_id)
        assert doc is not None
        _ = doc.text
        return doc


def _search(rt: Runtime, query: str) -> list[int]:
    return sorted(h.doc_id for h in rt.index.search(SearchRequest(query=query)).hits)


# -- good and bad files through the real worker -------------------------------------------------

GOOD_TEXT = "技术服务合同\n甲方委托乙方开发案件档案检索系统，约定服务费人民币叁拾万元整。".encode()
GB18030_TEXT = "庭审笔录\n审判长：现在开庭。被告对原告提交的证据三性均无异议。".encode("gb18030")
HOSTILE = {  # name on disk or in the upload → name shown; each with its own text
    "..\\..\\windows\\起诉状.txt": ("起诉状.txt", "第一份材料：原告提交的证据目录。"),
    "证" * 80 + ".txt": ("证" * 80 + ".txt", "第二份材料：被告提交的质证意见。"),
}
UPLOADED_NAME = (
    "../../../../etc/cron.d/仲裁申请书.txt",
    "仲裁申请书.txt",
    "第三份材料：仲裁申请人的请求事项。",
)


@pytest.mark.slow
def test_real_worker_indexes_good_files_and_fails_bad_ones(
    scaled: Runtime, scaled_env: dict[str, str], case_id: int, tmp_path: Path
):
    files = tmp_path / "files"
    files.mkdir()
    pdf = sample_pdf(files / "民事判决书.pdf")
    docx = sample_docx(files / "案件分析报告.docx")
    (files / "技术服务合同.txt").write_bytes(GOOD_TEXT)
    (files / "庭审笔录.txt").write_bytes(GB18030_TEXT)
    (files / "空文件.pdf").write_bytes(b"")
    corrupt_pdf = b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"
    (files / "损坏的判决书.pdf").write_bytes(corrupt_pdf)
    encrypted_pdf(pdf, files / "加密判决书.pdf", user_password="s3cret")
    image_only_pdf(files / "扫描件.pdf")
    half_docx = docx.read_bytes()[: len(docx.read_bytes()) // 2]
    (files / "损坏的报告.docx").write_bytes(half_docx)
    (files / "图片.pdf").write_bytes(png_bytes())
    for raw, (_, content) in HOSTILE.items():
        (files / raw).write_bytes(content.encode())

    def ingest(name: str) -> IngestResult:
        return ingest_path(scaled, case_id=case_id, path=files / name, doc_type=DocType.LEGAL_DOC, user=None)

    results = {name: ingest(name) for name in sorted(p.name for p in files.iterdir())}
    raw_name, shown_name, uploaded_text = UPLOADED_NAME
    uploaded = ingest_stream(
        scaled,
        case_id=case_id,
        stream=io.BytesIO(uploaded_text.encode()),
        filename=raw_name,
        doc_type=DocType.OTHER,
        user=None,
    )

    # At once, before any worker: the refusals and the failures the upload itself detects.
    assert results["空文件.pdf"] == IngestResult(Outcome.REJECTED, "空文件.pdf", "文件为空", None)
    assert (results["损坏的报告.docx"].outcome, results["损坏的报告.docx"].message) == (
        Outcome.FAILED,
        "文件扩展名为 .docx，但内容不是有效的 DOCX 文件（可能已损坏）",
    )
    assert (results["图片.pdf"].outcome, results["图片.pdf"].message) == (Outcome.FAILED, "扫描图片暂不支持")
    queued_names = [n for n, r in results.items() if r.outcome is Outcome.QUEUED]
    assert sorted(queued_names) == sorted(
        ["民事判决书.pdf", "案件分析报告.docx", "技术服务合同.txt", "庭审笔录.txt", "损坏的判决书.pdf"]
        + ["加密判决书.pdf", "扫描件.pdf", *HOSTILE]
    )
    assert (uploaded.outcome, uploaded.filename) == (Outcome.QUEUED, shown_name)
    for raw, (shown, _) in HOSTILE.items():
        assert results[raw].filename == shown
    broker = redis.Redis.from_url(scaled.settings.broker_url)
    try:
        assert broker.llen(QUEUE) == len(queued_names) + 1  # waiting in Redis for a worker
    finally:
        broker.close()

    ids = {name: results[name].document_id for name in queued_names} | {shown_name: uploaded.document_id}
    log = tmp_path / "worker.log"
    with running_worker(scaled_env, log) as proc:
        wait_until(lambda: worker_alive(scaled), timeout=60, proc=proc, log=log)
        statuses = wait_for_documents(scaled, list(ids.values()), timeout=120)
        assert statuses == {"indexed": 7, "failed": 3}, log.read_text(errors="replace")[-5000:]
    assert proc.returncode == 0  # stopped cleanly by SIGTERM

    expected_failures = {
        "损坏的判决书.pdf": ("corrupt", "PDF 文件已损坏或不完整"),
        "加密判决书.pdf": ("encrypted", "文件已加密，需要密码才能打开"),
        "扫描件.pdf": ("no_text", "未检测到文字层（可能是扫描件），暂不支持 OCR"),
    }
    for name, document_id in ids.items():
        doc = _document(scaled, document_id)
        if name in expected_failures:
            assert (doc.status, doc.error_code, doc.error_message) == ("failed", *expected_failures[name]), (
                name
            )
        else:
            assert (doc.status, doc.error_code, doc.text is not None) == ("indexed", None, True), name
    for name in ("损坏的报告.docx", "图片.pdf"):
        doc = _document(scaled, results[name].document_id)
        assert (doc.status, doc.error_code) == (
            "failed",
            "corrupt" if name.endswith("docx") else "unsupported",
        )

    # Every original that was accepted is in MinIO, byte for byte, under its content key only.
    store = S3Store.from_url(scaled.settings.storage_url)
    kept = {name: (files / name).read_bytes() for name in [*expected_failures, "损坏的报告.docx", "图片.pdf"]}
    for name, content in kept.items():
        doc = _document(scaled, results[name].document_id)
        assert doc.storage_key == content_key(hashlib.sha256(content).hexdigest())
        with store.open(doc.storage_key) as f:
            assert f.read() == content, name
    keys = sorted(store.iter_keys())
    assert len(keys) == len(ids) + 2 and all(
        re.fullmatch(r"sha256/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}", k) for k in keys
    )
    loc = S3Location.parse(scaled.settings.storage_url)
    client = Minio(loc.endpoint, access_key=loc.access_key, secret_key=loc.secret_key, secure=False)
    for key in keys:  # no file name, Chinese or not, in what the server keeps about an object
        stat = client.stat_object(loc.bucket, key)
        assert all(str(v).isascii() for v in stat.metadata.values()), stat.metadata

    # Elasticsearch finds each good file and nothing of the failed ones.
    indexed = {ids[n] for n in ids if n not in expected_failures}
    assert scaled.index.count() == 7 and scaled.index.doc_ids() == indexed
    assert _search(scaled, "逾期付款违约金") == [ids["民事判决书.pdf"]]
    assert _search(scaled, "增值税专用发票十二张") == [ids["案件分析报告.docx"]]
    assert _search(scaled, "案件档案检索系统") == [ids["技术服务合同.txt"]]
    assert _search(scaled, "三性均无异议") == [ids["庭审笔录.txt"]]
    assert _search(scaled, "质证意见") == [ids["证" * 80 + ".txt"]]
    assert _search(scaled, "原告提交的证据目录") == [ids["..\\..\\windows\\起诉状.txt"]]
    assert _search(scaled, "仲裁申请人的请求事项") == [ids[shown_name]]
    print(
        "CASENO",
        _search(scaled, "（2023）京0105民初12345号"),
        _search(scaled, "(2023)京0105民初12345"),
        sorted(indexed),
    )


# -- a worker killed mid-task -------------------------------------------------------------------


def _unacked(broker: redis.Redis) -> list[tuple[str, list]]:
    """The messages Redis holds as delivered but not acknowledged: (task name, args)."""
    tasks = []
    for raw in broker.hvals("unacked"):
        message = json.loads(raw)[0]
        args = json.loads(base64.b64decode(message["body"]))[0]
        tasks.append((message["headers"]["task"], args))
    return tasks


def _blocked_backends(conn: psycopg.Connection) -> int:
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = %s"
    )
    return conn.execute(query, ("Lock",)).fetchone()[0]


@pytest.mark.slow
def test_worker_killed_mid_task_loses_nothing(
    scaled: Runtime, scaled_env: dict[str, str], case_id: int, tmp_path: Path
):
    """The worker is killed in the middle of the extraction task, after it has marked the
    document processing and stored the chunks of its text, before it has recorded the text's
    ``document_texts`` row: the test holds an uncommitted row of that table, so the worker's
    insert waits on it. The chunks it left never make the document ready. The index already holds an old
    entry of the document, as a run killed after writing the index would leave. The message,
    never acknowledged, comes back after the visibility timeout (3 s here); a second worker
    finishes the job, and the index holds the document once, with its new text."""
    env = dict(scaled_env, JUANZONG_BROKER_VISIBILITY_TIMEOUT="3")
    path = tmp_path / "保全申请书.txt"
    path.write_bytes("财产保全申请书\n申请人请求冻结被申请人银行存款人民币伍拾万元。".encode())
    result = ingest_path(scaled, case_id=case_id, path=path, doc_type=DocType.LEGAL_DOC, user=None)
    assert result.outcome is Outcome.QUEUED and result.document_id is not None
    document_id = result.document_id
    with scaled.sessions() as s:
        doc = s.get(
            Document, document_id, options=(selectinload(Document.case).selectinload(Case.court_numbers),)
        )
        scaled.index.upsert([index_doc_for(doc, text="上一次处理留下的旧索引内容")])
    assert _search(scaled, "旧索引内容") == [document_id]

    broker = redis.Redis.from_url(scaled.settings.broker_url)
    watcher = psycopg.connect(scaled.settings.database_url, autocommit=True)
    blocker = psycopg.connect(scaled.settings.database_url)
    log = tmp_path / "worker.log"
    try:
        blocker.execute(
            "INSERT INTO document_texts (document_id, extractor, char_count, chunk_count)"
            " VALUES (%s, %s, 1, 1)",
            (document_id, "blocker"),
        )
        with running_worker(env, log) as first:
            wait_until(lambda: _blocked_backends(watcher) == 1, timeout=60, proc=first, log=log)
            assert _document(scaled, document_id).status == DocStatus.PROCESSING.value
            assert _unacked(broker) == [(EXTRACT_TASK, [document_id])]  # delivered, not acknowledged
            first.send_signal(signal.SIGKILL)
            assert first.wait(timeout=10) == -signal.SIGKILL
        blocker.rollback()
        wait_until(lambda: _blocked_backends(watcher) == 0, timeout=30, log=log)
        doc = _document(scaled, document_id)
        assert (doc.status, doc.text) == (DocStatus.PROCESSING.value, None)
        assert len(list(iter_text(scaled.sessions, document_id))) == 1  # its chunk, never ready
        assert _unacked(broker) == [(EXTRACT_TASK, [document_id])]  # kept by Redis for a worker to come

        with running_worker(env, log) as second:
            wait_until(
                lambda: _document(scaled, document_id).status == DocStatus.INDEXED.value,
                timeout=90,
                proc=second,
                log=log,
            )
            wait_until(
                lambda: broker.llen(QUEUE) == 0 and broker.hlen("unacked") == 0,
                timeout=30,
                proc=second,
                log=log,
            )
        assert second.returncode == 0
    finally:
        blocker.close()
        watcher.close()
        broker.close()

    doc = _document(scaled, document_id)
    assert (doc.status, doc.error_code, doc.text.extractor != "blocker") == ("indexed", None, True)
    assert "".join(iter_text(scaled.sessions, document_id)).startswith("财产保全申请书")
    assert scaled.index.count() == 1 and scaled.index.doc_ids() == {document_id}
    assert _search(scaled, "冻结被申请人银行存款") == [document_id]
    assert _search(scaled, "旧索引内容") == []
