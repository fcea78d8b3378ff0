"""Running the extraction worker in this process, and knowing whether one is running.

``run_worker`` starts a Celery worker on the settings' broker; once it is ready, a daemon
thread writes a ``WorkerHeartbeat`` row every few seconds, so ``worker_alive`` (used by
``juanzong ingest --wait``) can tell at once that nobody will process the files, and it sends
one index flush task, for documents a stopped worker left extracted but not yet indexed, and
one reconcile task, which also restores the index after an upgrade that started it afresh.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

from celery import signals
from sqlalchemy import delete, func, select

from archive.db import make_engine, make_session_factory, session_scope
from archive.models import DocStatus, Document, WorkerHeartbeat
from ingest.celery_app import QUEUE, celery_app, enqueue_flush, enqueue_reconcile
from ingest.indexing import index_batch_size
from juanzong.runtime import Runtime, set_runtime
from juanzong.settings import Settings
from search.engines.allocator import fix_mmap_threshold

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
NO_WORKER_MESSAGE = "没有正在运行的处理进程（worker），请先运行 juanzong worker"
_DONE = (DocStatus.INDEXED.value, DocStatus.FAILED.value)


class Heartbeat:
    """Upserts this worker's row every ``interval`` seconds until stopped (own DB engine, so
    no connection is shared with forked pool processes)."""

    def __init__(self, settings: Settings, *, interval: float = HEARTBEAT_SECONDS):
        self.settings = settings
        self.interval = interval
        self.hostname = f"{socket.gethostname()}:{os.getpid()}"[:200]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._engine = make_engine(settings.database_url)
        self._sessions = make_session_factory(self._engine)

    def beat(self) -> None:
        with session_scope(self._sessions) as s:
            row = s.get(WorkerHeartbeat, self.hostname)
            if row is None:
                s.add(WorkerHeartbeat(hostname=self.hostname, pid=os.getpid(), last_seen=datetime.now(UTC)))
            else:
                row.last_seen = datetime.now(UTC)
                row.pid = os.getpid()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except Exception:  # a locked or unreachable database must not kill the worker
                log.exception("worker heartbeat failed")
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="juanzong-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 1)
        try:
            with session_scope(self._sessions) as s:
                s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.hostname == self.hostname))
        except Exception:
            log.exception("could not remove the worker heartbeat row")
        self._engine.dispose()


def run_worker(settings: Settings, concurrency: int | None = None, *, loglevel: str = "INFO") -> int:
    """Run the extraction worker in this process until it is told to stop (SIGTERM/SIGINT).
    One process runs tasks in its main thread (solo pool); more use forked children."""
    concurrency = concurrency or settings.worker_concurrency
    if not logging.getLogger().handlers:  # Celery leaves the root logger to us
        logging.basicConfig(level=loglevel, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    index_batch_size(settings)  # a wrong JUANZONG_INDEX_BATCH fails now, not in every task
    # Before any index work (and inherited by forked pool processes): the index's large
    # blocks go back to the system when freed, so the worker's peak does not follow the
    # largest document it has indexed (see search.engines.allocator).
    fix_mmap_threshold()
    settings.ensure_dirs()
    runtime = Runtime(settings)
    set_runtime(runtime)
    app = celery_app(settings)
    heartbeat = Heartbeat(settings)

    def on_ready(**_kwargs: object) -> None:
        heartbeat.start()
        log.info("worker ready (%s, concurrency %d)", heartbeat.hostname, concurrency)
        try:  # documents a stopped worker left extracted but not yet indexed
            enqueue_flush(runtime)
            # Stuck documents, and indexed documents the index lacks (a new index schema
            # starts an empty index: this fills it).
            enqueue_reconcile(runtime)
        except Exception:
            log.exception("could not send the index flush and reconcile tasks at start")

    def on_shutdown(**_kwargs: object) -> None:
        heartbeat.stop()

    def on_child_start(**_kwargs: object) -> None:
        # A forked pool process must not share the parent's connections or index handle.
        set_runtime(Runtime(settings))

    signals.worker_ready.connect(on_ready, weak=False)
    signals.worker_shutdown.connect(on_shutdown, weak=False)
    signals.worker_process_init.connect(on_child_start, weak=False)
    try:
        worker = app.Worker(
            pool="solo" if concurrency == 1 else "prefork",
            concurrency=concurrency,
            queues=[QUEUE],
            loglevel=loglevel,
            without_mingle=True,
            without_gossip=True,
            without_heartbeat=True,
            optimization="fair",
        )
        worker.start()
        return int(worker.exitcode or 0)
    finally:
        signals.worker_ready.disconnect(on_ready)
        signals.worker_shutdown.disconnect(on_shutdown)
        signals.worker_process_init.disconnect(on_child_start)


def worker_alive(rt: Runtime, max_age_s: float = 15) -> bool:
    """True when some worker wrote its heartbeat in the last ``max_age_s`` seconds."""
    cutoff = datetime.now(UTC) - timedelta(seconds=max_age_s)
    with rt.sessions() as s:
        return bool(s.scalar(select(func.count()).where(WorkerHeartbeat.last_seen >= cutoff)))


def document_statuses(rt: Runtime, ids: list[int]) -> dict[str, int]:
    """How many of ``ids`` are in each status."""
    counts: dict[str, int] = {}
    with rt.sessions() as s:
        for i in range(0, len(ids), 500):
            rows = s.execute(
                select(Document.status, func.count())
                .where(Document.id.in_(ids[i : i + 500]))
                .group_by(Document.status)
            ).all()
            for status, n in rows:
                counts[status] = counts.get(status, 0) + n
    return counts


def failed_documents(rt: Runtime, ids: list[int]) -> list[tuple[str, str]]:
    """(file name, reason in Chinese) of the documents in ``ids`` that failed, in id order."""
    with rt.sessions() as s:
        rows = s.execute(
            select(Document.original_filename, Document.error_message)
            .where(Document.id.in_(ids), Document.status == DocStatus.FAILED.value)
            .order_by(Document.id)
        )
        return [(name, reason or "未知原因") for name, reason in rows]


def wait_for_documents(rt: Runtime, ids: list[int], timeout: float, *, poll_s: float = 0.5) -> dict[str, int]:
    """Poll until every document in ``ids`` is indexed or failed, or ``timeout`` seconds pass;
    returns the count per status (``{"indexed": 3, "failed": 1}``)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = document_statuses(rt, ids)
        pending = sum(n for status, n in counts.items() if status not in _DONE)
        if pending == 0 or time.monotonic() >= deadline:
            return counts
        time.sleep(poll_s)
