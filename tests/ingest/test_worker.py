"""The worker: heartbeat, waiting for documents, and one end-to-end run of a real worker
process on the server-less filesystem broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from archive.db import session_scope
from archive.models import WorkerHeartbeat
from ingest.service import IngestResult, Outcome
from ingest.worker import Heartbeat, wait_for_documents, worker_alive
from juanzong.runtime import Runtime
from search.api import SearchRequest
from tests.search.test_allocator import glibc_allocator

ROOT = Path(__file__).resolve().parents[2]


def test_no_worker_is_not_alive(runtime: Runtime) -> None:
    assert worker_alive(runtime) is False


def test_heartbeat_makes_a_worker_alive_until_it_is_stale_or_gone(runtime: Runtime) -> None:
    beat = Heartbeat(runtime.settings)
    beat.beat()
    assert worker_alive(runtime) is True
    with session_scope(runtime.sessions) as s:
        s.execute(update(WorkerHeartbeat).values(last_seen=datetime.now(UTC) - timedelta(seconds=60)))
    assert worker_alive(runtime) is False
    assert worker_alive(runtime, max_age_s=120) is True
    beat.stop()  # removes its row
    assert worker_alive(runtime, max_age_s=120) is False


def test_wait_for_documents(
    runtime: Runtime, upload: Callable[..., IngestResult], process: Callable[[int], object]
) -> None:
    done = upload("已处理的文档".encode(), "a.txt").document_id
    waiting = upload("仍在排队的文档".encode(), "b.txt").document_id
    assert done and waiting
    process(done)
    assert wait_for_documents(runtime, [done], timeout=5) == {"indexed": 1}
    assert wait_for_documents(runtime, [done, waiting], timeout=0.2, poll_s=0.05) == {
        "indexed": 1,
        "queued": 1,
    }


def _worker_env(runtime: Runtime) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JUANZONG_")
        and k not in ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL")
    }
    env.update(JUANZONG_DATA_DIR=str(runtime.settings.data_dir), SECRET_KEY="test-secret")
    return env


def _wait_until(
    condition: Callable[[], bool], timeout: float, proc: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the worker")
        time.sleep(0.2)


@pytest.mark.slow
def test_real_worker_process_indexes_an_upload(
    runtime: Runtime,
    upload: Callable[..., IngestResult],
    process: Callable[[int], object],
    tmp_path: Path,
) -> None:
    # An indexed document that the index lacks, as after an upgrade to a new index schema
    # (which starts an empty index): the worker's start-up reconcile restores it.
    earlier = upload("已有文档：民间借贷纠纷的判决。".encode(), "判决书.txt").document_id
    assert earlier is not None
    process(earlier)
    runtime.index.clear()
    assert runtime.index.search(SearchRequest(query="民间借贷")).total == 0
    code = "from juanzong.settings import load_settings\nfrom ingest.worker import run_worker\n"
    code += "raise SystemExit(run_worker(load_settings()))\n"
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=_worker_env(runtime),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until(lambda: worker_alive(runtime), 60, proc, log)
        _wait_until(lambda: runtime.index.search(SearchRequest(query="民间借贷")).total == 1, 60, proc, log)
        result = upload(
            "仲裁申请书\n申请人请求裁决被申请人支付拖欠的\n技术服务费。".encode(), "仲裁申请书.txt"
        )
        assert result.outcome is Outcome.QUEUED
        assert result.document_id is not None
        assert wait_for_documents(runtime, [result.document_id], timeout=60) == {"indexed": 1}
        found = runtime.index.search(SearchRequest(query="拖欠的技术服务费"))
        assert [h.doc_id for h in found.hits] == [result.document_id]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert worker_alive(runtime) is False  # a stopped worker removes its heartbeat
    if glibc_allocator():
        assert "allocator: blocks of 128 KiB or more are given back when freed" in log.read_text()
