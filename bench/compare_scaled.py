"""Embedded against scaled mode, on the same generated data in one run: search latency and
ingest throughput, with the ratios embedded/scaled.

    scripts/services/all.sh up && eval "$(scripts/services/all.sh env)"
    .venv/bin/python -m bench.compare_scaled [--docs 10000] [--cases 4] [--long-pdfs 4]
                                             [--ingest-rounds 3] [--only search|ingest]

(a) Search: ``bench.search_bench`` on the same ``--docs`` generated documents (same seed,
    same mixed query set), first on tantivy (a temporary directory), then on Elasticsearch
    (a fresh index prefix). Prints each engine's figures and the p95 of the full search
    (SearchIndex.search with snippets and facets) of both. Elasticsearch bulk-indexes these
    documents at about 80–160 docs/s on this 2-core machine (30 with a cold JVM on a busy
    machine): 10,000 take 1–2 minutes, 100,000 take 10–20 minutes (a whole ``--docs 100000``
    run took 24 minutes; under heavy load count up to an hour).
(b) Ingest: demodata's mixed files (demo cases' PDFs with both fonts, DOCX, UTF-8 and GB18030
    text, a few long PDFs), generated once. Each round and mode gets fresh backends:
    embedded = SQLite, LocalStore, tantivy, filesystem broker in a temporary data directory;
    scaled = a new PostgreSQL database, a new MinIO bucket, a new Elasticsearch prefix and
    Redis database 13 as the broker. The files are uploaded (not timed), a real worker
    process (``python -m juanzong.cli worker``) is started and warmed up on one document of
    each kind, then every document's extraction task is sent and the clock runs from the
    first send until the database says every document is indexed or failed. Rounds
    alternate which mode goes first; the median is printed.

Ratios are embedded/scaled: for search p95 below 1 means the embedded engine answers
faster; for ingest pages/s above 1 means the embedded pipeline is faster. Everything the
run creates (databases, buckets, indices, Redis database 13, temporary directories) is
removed at the end, also after an error.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql
from sqlalchemy import func, select

from archive.cases import create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.migrate import upgrade
from archive.models import Document
from archive.storage_s3 import S3Store
from bench.ingest_bench import make_corpus
from bench.search_bench import ElasticBench, LatencyFigures, TantivyBench, run_engine
from bench.worker_process import WorkerProcess
from demodata.corpus import CaseSpec
from ingest.celery_app import QUEUE, enqueue_extraction
from ingest.service import Outcome, ingest_path
from ingest.sniff import sniff
from ingest.worker import document_statuses
from juanzong.runtime import Runtime
from juanzong.settings import Settings, load_settings
from search.engines.elastic import ElasticIndex

log = logging.getLogger("bench.compare_scaled")

SERVICES = {
    "postgres": "JUANZONG_TEST_POSTGRES_URL",
    "redis": "JUANZONG_TEST_REDIS_URL",
    "minio": "JUANZONG_TEST_MINIO_URL",
    "elasticsearch": "JUANZONG_TEST_ELASTICSEARCH_URL",
}
ES_BULK_DOCS_PER_S = (80, 160)  # measured on this 2-core machine; slower when it is busy
BROKER_DB = "13"
DONE = ("indexed", "failed")
WAIT_TIMEOUT_S = 3600.0


def service_urls() -> dict[str, str]:
    urls = {name: os.environ.get(var, "").strip() for name, var in SERVICES.items()}
    missing = [SERVICES[name] for name, url in urls.items() if not url]
    if missing:
        raise SystemExit(
            f"not set: {', '.join(missing)}. Start the servers with `scripts/services/all.sh up`, "
            'then `eval "$(scripts/services/all.sh env)"`'
        )
    return urls


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{path}"))


def banner(text: str) -> None:
    print(f"\n== {text}  [{datetime.now().strftime('%H:%M:%S')}, load average {load_average()}]", flush=True)


# -- (a) search --------------------------------------------------------------------------


def compare_search(args: argparse.Namespace, es_url: str) -> tuple[LatencyFigures, LatencyFigures]:
    lo, hi = (args.docs / rate / 60 for rate in reversed(ES_BULK_DOCS_PER_S))
    banner(f"search, tantivy (embedded), {args.docs} documents")
    base = Path(tempfile.mkdtemp(prefix="juanzong-compare-search-"))
    try:
        tantivy = TantivyBench(base / "index")
        try:
            _, embedded = run_engine(tantivy, args.docs, args.seed, args.queries_per_kind, args.rounds)
        finally:
            tantivy.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    banner(
        f"search, Elasticsearch (scaled), {args.docs} documents: the bulk load alone takes "
        f"about {lo:.0f}–{hi:.0f} min here, more on a busy machine"
    )
    elastic = ElasticBench(es_url)
    try:
        print(f"engine               {elastic.describe()}")
        _, scaled = run_engine(elastic, args.docs, args.seed, args.queries_per_kind, args.rounds)
    finally:
        elastic.close()
    return embedded, scaled


# -- (b) ingest --------------------------------------------------------------------------


@contextmanager
def scaled_backends(urls: dict[str, str]) -> Iterator[dict[str, str]]:
    """A fresh database, bucket, index prefix and an empty Redis database: the variables of a
    scaled installation. All removed afterwards."""
    tag = uuid.uuid4().hex[:12]
    database = f"jz_bench_{tag}"
    env = {
        "DATABASE_URL": with_path(urls["postgres"], database),
        "STORAGE_URL": urlunsplit(urlsplit(urls["minio"])._replace(path=f"/jz-bench-{tag}")),
        "SEARCH_URL": f"{urls['elasticsearch']}{'&' if '?' in urls['elasticsearch'] else '?'}"
        f"prefix=jz-bench-{tag}",
        "BROKER_URL": with_path(urls["redis"], BROKER_DB),
    }
    broker = redis.Redis.from_url(env["BROKER_URL"], socket_timeout=5)
    with ExitStack() as cleanup:
        cleanup.callback(broker.close)
        cleanup.callback(_quietly, "flush Redis database " + BROKER_DB, broker.flushdb)
        broker.flushdb()
        with psycopg.connect(urls["postgres"], autocommit=True, connect_timeout=5) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(database)
                )
            )
        cleanup.callback(_quietly, f"drop database {database}", _drop_database, urls["postgres"], database)
        cleanup.callback(
            _quietly, "remove the bucket", lambda: S3Store.from_url(env["STORAGE_URL"]).remove_bucket()
        )
        cleanup.callback(_quietly, "drop the indices", _drop_indices, env["SEARCH_URL"])
        yield env


def _drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _drop_indices(url: str) -> None:
    index = ElasticIndex.from_url(url)
    try:
        index.drop()
    finally:
        index.close()


def _quietly(what: str, fn: Callable[..., object], *args: object) -> None:
    try:
        fn(*args)
    except Exception:
        log.exception("clean-up failed: %s", what)


@dataclass
class IngestFigures:
    seconds: float
    pages: int
    statuses: dict[str, int]

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


class IngestRun:
    """One mode on fresh backends: the files uploaded, a real worker started and warmed up."""

    def __init__(self, root: Path, env: dict[str, str], files: list[tuple[str, Path]], cases: list[CaseSpec]):
        self.root = root
        self.env = env
        base = {"JUANZONG_DATA_DIR": str(root / "data"), "SECRET_KEY": "bench", **env}
        self.settings: Settings = load_settings(base)
        self.settings.ensure_dirs()
        upgrade(self.settings.database_url)
        # Uploads send their tasks to a side folder no worker reads; the timed run sends them again.
        side = load_settings({**base, "BROKER_URL": f"filesystem://{root / 'side-broker'}"})
        side.ensure_dirs()
        self.local = Runtime(side)
        self.sender = Runtime(self.settings)
        with session_scope(self.local.sessions) as s:
            case_ids = {spec.internal_no: create_case(s, spec.case_input()).id for spec in cases}
        self.ids: list[int] = []
        first_of_kind: dict[str, int] = {}
        for case_no, path in files:
            result = ingest_path(
                self.local, case_id=case_ids[case_no], path=path, doc_type=DocType.OTHER, user=None
            )
            if result.outcome is not Outcome.QUEUED or result.document_id is None:
                raise RuntimeError(f"upload of {path.name} not queued: {result}")
            self.ids.append(result.document_id)
            first_of_kind.setdefault(sniff(path, path.name).kind, result.document_id)
        self.warm_ids = sorted(first_of_kind.values())
        self.worker: WorkerProcess | None = None

    def start_worker(self) -> None:
        """Start the worker and let it process one document of each kind (imports, font
        caches), until its queue is empty."""
        self.worker = WorkerProcess(self.settings.data_dir, self.root / "worker.log", extra_env=self.env)
        self.worker.wait_ready(self.local)
        since = datetime.now(UTC)
        for document_id in self.warm_ids:
            enqueue_extraction(self.sender, document_id)
        self.wait_done_since(self.warm_ids, since)
        self.wait_queue_empty()

    def timed(self) -> IngestFigures:
        since = datetime.now(UTC)
        t0 = time.perf_counter()
        for document_id in self.ids:
            enqueue_extraction(self.sender, document_id)
        self.wait_done_since(self.ids, since)
        elapsed = time.perf_counter() - t0
        with self.local.sessions() as s:
            pages = s.scalar(
                select(func.sum(func.coalesce(Document.page_count, 1))).where(Document.id.in_(self.ids))
            )
        statuses = document_statuses(self.local, self.ids)
        self.wait_queue_empty()
        if self.local.index.count() != statuses.get("indexed", 0):
            raise RuntimeError(f"index holds {self.local.index.count()} documents, database says {statuses}")
        return IngestFigures(seconds=elapsed, pages=int(pages or 0), statuses=statuses)

    def wait_done_since(self, ids: list[int], since: datetime) -> None:
        deadline = time.monotonic() + WAIT_TIMEOUT_S
        query = select(func.count()).where(
            Document.id.in_(ids), Document.status.in_(DONE), Document.updated_at >= since
        )
        while True:
            with self.local.sessions() as s:
                done = s.scalar(query)
            if done == len(ids):
                return
            if self.worker is not None and not self.worker.alive():
                raise RuntimeError(f"the worker exited:\n{self.worker.log_text()[-5000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out: {done} of {len(ids)} done")
            time.sleep(0.02)

    def wait_queue_empty(self) -> None:
        """Until the worker has taken every message (the flush tasks sent after the last
        documents), so none runs into the next measurement."""
        if self.settings.is_embedded_broker:
            queue = self.settings.broker_folder / "queue"
            while any(queue.glob("*.msg")):
                time.sleep(0.02)
        else:
            broker = redis.Redis.from_url(self.settings.broker_url, socket_timeout=5)
            try:
                while broker.llen(QUEUE) or broker.hlen("unacked"):
                    time.sleep(0.02)
            finally:
                broker.close()
        time.sleep(0.2)  # the last one taken may still be running

    def close(self) -> None:
        try:
            if self.worker is not None:
                code = self.worker.stop()
                if code != 0:
                    log.warning("worker exited with %s:\n%s", code, self.worker.log_text()[-3000:])
        finally:
            self.local.close()
            self.sender.close()


def ingest_once(
    root: Path, mode: str, urls: dict[str, str], files: list[tuple[str, Path]], cases: list[CaseSpec]
) -> IngestFigures:
    with ExitStack() as stack:
        env = stack.enter_context(scaled_backends(urls)) if mode == "scaled" else {}
        root.mkdir(parents=True)
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        run = IngestRun(root, env, files, cases)
        stack.callback(run.close)
        run.start_worker()
        figures = run.timed()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(figures.statuses.items()))
    print(
        f"  {mode:8} {figures.seconds:7.2f} s  {figures.pages} pages  {figures.pages_per_s:6.1f} pages/s  "
        f"({counts})  load average {load_average()}",
        flush=True,
    )
    return figures


def compare_ingest(args: argparse.Namespace, urls: dict[str, str]) -> tuple[IngestFigures, IngestFigures]:
    root = Path(tempfile.mkdtemp(prefix="juanzong-compare-ingest-"))
    try:
        t0 = time.perf_counter()
        files, cases = make_corpus(root / "files", args.cases, args.long_pdfs, args.long_pages)
        kinds: dict[str, int] = {}
        for _, path in files:
            kind = sniff(path, path.name).kind
            kinds[kind] = kinds.get(kind, 0) + 1
        listing = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        banner(f"ingest, {len(files)} files ({listing}), generated in {time.perf_counter() - t0:.1f} s")
        results: dict[str, list[IngestFigures]] = {"embedded": [], "scaled": []}
        for r in range(args.ingest_rounds):
            order = ("embedded", "scaled") if r % 2 == 0 else ("scaled", "embedded")
            print(f"round {r + 1}", flush=True)
            for mode in order:
                results[mode].append(ingest_once(root / f"round-{r + 1}-{mode}", mode, urls, files, cases))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    embedded, scaled = (median_run(results[m]) for m in ("embedded", "scaled"))
    if embedded.pages != scaled.pages or embedded.statuses != scaled.statuses:
        print(f"WARNING: the modes disagree: embedded {embedded}, scaled {scaled}")
    return embedded, scaled


def median_run(runs: list[IngestFigures]) -> IngestFigures:
    seconds = statistics.median(r.seconds for r in runs)
    return IngestFigures(seconds=seconds, pages=runs[0].pages, statuses=runs[0].statuses)


def print_pair(labels: tuple[str, str], values: tuple[float, float], notes: tuple[str, str]) -> None:
    for label, value, note in zip(labels, values, notes, strict=True):
        print(f"  {label:46} {value:8.1f}   ({note})")
    print(f"  {'ratio embedded/scaled':46} {values[0] / values[1]:8.2f}")


# -- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("search", "ingest"), help="run one half only")
    ap.add_argument("--docs", type=int, default=10_000, help="search: generated documents")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--queries-per-kind", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=3, help="search: timed passes over the query set")
    ap.add_argument("--cases", type=int, default=4, help="ingest: demo cases (8–10 documents each)")
    ap.add_argument("--long-pdfs", type=int, default=4, help="ingest: extra long PDFs")
    ap.add_argument("--long-pages", type=int, default=30)
    ap.add_argument("--ingest-rounds", type=int, default=3, help="ingest: rounds per mode; the median")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    urls = service_urls()
    start_load = load_average()
    t0 = time.perf_counter()
    search = ingest = None
    if args.only != "ingest":
        search = compare_search(args, urls["elasticsearch"])
    if args.only != "search":
        ingest = compare_ingest(args, urls)

    banner(f"summary (load average at the start {start_load}; {(time.perf_counter() - t0) / 60:.1f} min)")
    if search is not None:
        print(f"search, {args.docs} documents, p95 of the full search (snippets, facets), ms:")
        print_pair(
            ("embedded (tantivy)", "scaled (Elasticsearch)"),
            (search[0].full_p95, search[1].full_p95),
            (f"bare query {search[0].bare_p95:.1f} ms", f"bare query {search[1].bare_p95:.1f} ms"),
        )
    if ingest is not None:
        print(f"ingest, whole pipeline with a real worker, {ingest[0].pages} pages/round, pages/s:")
        print_pair(
            ("embedded (SQLite, files, tantivy, fs broker)", "scaled (PostgreSQL, MinIO, ES, Redis)"),
            (ingest[0].pages_per_s, ingest[1].pages_per_s),
            (f"median of {args.ingest_rounds}: {ingest[0].seconds:.2f} s", f"{ingest[1].seconds:.2f} s"),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
