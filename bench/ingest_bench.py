"""Ingest throughput: the whole pipeline, as the worker runs it, next to bare extraction of
the same files by the same extractor.

    .venv/bin/python -m bench.ingest_bench [--cases 4] [--long-pdfs 4] [--long-pages 30]
                                           [--rounds 3] [--batch 32]

Generates a mixed corpus with demodata (demo cases' PDFs with both fonts, DOCX, UTF-8 and
GB18030 text, plus a few long PDFs). Each round gets a fresh data directory (SQLite,
LocalStore, tantivy, filesystem broker): the files are uploaded (timed on its own: that is
the request's work), a real worker process (``python -m juanzong.cli worker``) is started
and processes the uploads once (its warm-up, not timed), and then, in an order that rotates
from round to round (the machine may be busy with other work; interleaving spreads its drift
over every line):

1. bare extraction: the extractor for each file's kind, on the file itself, in this process;
2. the whole pipeline in the real worker: every document's extraction task is sent, the clock
   runs from the first send until the database says every document is indexed or failed
   (download, sniff, extract, store the text, group commit of the index, Celery and broker);
3. the same in process, group commit: ``process_document(flush=False)`` for each document,
   then one last ``flush_ready`` (what the worker does, without Celery);
4. the same in process, one index commit per document: ``process_document`` (flush=True),
   the pipeline's shape before group commit.

Prints pages/s of each and the ratio to bare extraction (the median of the rounds'
ratios; target ≥ 0.7 for the worker), and the index commits the worker made.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from archive.cases import create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.migrate import upgrade
from archive.models import Document
from bench.worker_process import WorkerProcess
from demodata.corpus import CaseSpec, build_corpus, write_corpus
from demodata.files import write_long_pdf
from ingest.celery_app import enqueue_extraction
from ingest.extract import extractor_for
from ingest.indexing import DEFAULT_INDEX_BATCH, INDEX_BATCH_SETTING, flush_ready
from ingest.pipeline import process_document
from ingest.service import Outcome, ingest_path
from ingest.sniff import sniff
from ingest.worker import document_statuses
from juanzong.runtime import Runtime
from juanzong.settings import Settings, load_settings

DONE = ("indexed", "failed")
LINES = {
    "bare": "bare extraction (same extractor, in process)",
    "worker": "whole pipeline: real worker, group commit (batch {batch})",
    "worker1": "whole pipeline: real worker, batch 1 (commit per doc)",
    "group": "in process, group commit (flush=False + flush)",
    "each": "in process, one index commit per document",
}


@dataclass
class Item:
    path: Path
    kind: str
    case_no: str
    pages: int = 1
    document_id: int | None = None


def make_corpus(
    out: Path, n_cases: int, long_pdfs: int, long_pages: int
) -> tuple[list[tuple[str, Path]], list[CaseSpec]]:
    """(case internal no, file) pairs, and the cases."""
    pairs: list[tuple[str, Path]] = []
    corpus = build_corpus(seed=7, n_cases=n_cases)
    for case, docs in write_corpus(corpus, out / "cases"):
        pairs.extend((case.internal_no, path) for _, path in docs)
    long_dir = out / "long"
    long_dir.mkdir(parents=True)
    for i in range(long_pdfs):
        font = "cid" if i % 2 == 0 else "ttf"
        path = long_dir / f"卷宗材料汇编{i + 1}-{font}.pdf"
        write_long_pdf(path, long_pages, font=font, seed=100 + i)
        pairs.append((corpus[i % len(corpus)].internal_no, path))
    return pairs, corpus


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _settings(data: Path, batch: int, broker: Path | None = None) -> Settings:
    env = {"JUANZONG_DATA_DIR": str(data), "SECRET_KEY": "bench", INDEX_BATCH_SETTING: str(batch)}
    if broker is not None:
        env["BROKER_URL"] = f"filesystem://{broker}"
    return load_settings(env)


class Round:
    """One fresh data directory with the corpus uploaded, and a real worker process on it."""

    def __init__(self, root: Path, items: list[Item], corpus: list[CaseSpec], batch: int) -> None:
        self.root = root
        self.items = items
        self.batch = batch
        self.settings = _settings(root / "data", batch)
        self.settings.ensure_dirs()
        upgrade(self.settings.database_url)
        # Uploads and the in-process runs send their tasks to a side folder no worker reads.
        self.local = Runtime(_settings(root / "data", batch, broker=root / "side-broker"))
        self.sender = Runtime(self.settings)
        with session_scope(self.local.sessions) as s:
            case_ids = {spec.internal_no: create_case(s, spec.case_input()).id for spec in corpus}
        t0 = time.perf_counter()
        for item in items:
            result = ingest_path(
                self.local, case_id=case_ids[item.case_no], path=item.path, doc_type=DocType.OTHER, user=None
            )
            assert result.outcome is Outcome.QUEUED, result
            item.document_id = result.document_id
        self.upload_s = time.perf_counter() - t0
        self.ids = [i.document_id for i in items if i.document_id is not None]
        self.warm_ids = [
            next(i.document_id for i in items if i.kind == k) for k in sorted({i.kind for i in items})
        ]
        self.worker: WorkerProcess | None = None
        self.worker_batch = 0
        self.commits: dict[int, int] = {}
        self.drained: dict[int, float] = {}

    def _start_worker(self, batch: int) -> WorkerProcess:
        """The worker with this batch size, started and warmed up (one document of each kind:
        imports, font caches), its queue empty."""
        if self.worker is not None and self.worker_batch == batch:
            return self.worker
        if self.worker is not None:
            assert self.worker.stop() == 0, self.worker.log_text()
        log = self.root / f"worker-{batch}-{time.monotonic_ns()}.log"
        self.worker = WorkerProcess(self.settings.data_dir, log, extra_env={INDEX_BATCH_SETTING: str(batch)})
        self.worker_batch = batch
        self.worker.wait_ready(self.local)
        since = datetime.now(UTC)
        for document_id in self.warm_ids:
            enqueue_extraction(self.sender, document_id)
        self._wait_done_since(self.warm_ids, since)
        self._wait_queue_empty()
        return self.worker

    def _wait_queue_empty(self) -> None:
        """Until the worker has taken every message (the flush tasks left after the last
        document, which find nothing to do), so none runs during the next measurement."""
        queue = self.settings.broker_folder / "queue"
        while any(queue.glob("*.msg")):
            time.sleep(0.02)
        time.sleep(0.2)  # the last one taken is still running

    def _wait_done_since(self, ids: list[int], since: datetime, timeout: float = 600) -> None:
        """Until every document of ``ids`` has been indexed or failed after ``since``."""
        deadline = time.monotonic() + timeout
        query = select(func.count()).where(
            Document.id.in_(ids), Document.status.in_(DONE), Document.updated_at >= since
        )
        while True:
            with self.local.sessions() as s:
                done = s.scalar(query)
            if done == len(ids):
                counts = document_statuses(self.local, ids)
                if counts.get("failed"):
                    raise RuntimeError(f"documents failed: {counts}")
                return
            if self.worker is not None and not self.worker.alive():
                raise RuntimeError(f"the worker exited:\n{self.worker.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out: {done} of {len(ids)} done")
            time.sleep(0.02)

    def bare(self) -> float:
        total = 0.0
        for item in self.items:
            t0 = time.perf_counter()
            extracted = extractor_for(item.kind)(item.path, self.settings)
            total += time.perf_counter() - t0
            item.pages = extracted.page_count or 1
        return total

    def worker_run(self, batch: int) -> float:
        """Send every extraction task; seconds until the database says all are done."""
        worker = self._start_worker(batch)
        start = worker.log_size()
        since = datetime.now(UTC)
        t0 = time.perf_counter()
        for document_id in self.ids:
            enqueue_extraction(self.sender, document_id)
        self._wait_done_since(self.ids, since)
        elapsed = time.perf_counter() - t0
        self._wait_queue_empty()
        self.drained[batch] = time.perf_counter() - t0 - 0.2
        self.commits[batch], indexed = worker.index_commits(start)
        assert indexed == len(self.ids), (indexed, worker.log_text(start))
        return elapsed

    def group(self) -> float:
        def work() -> None:
            for document_id in self.ids:
                assert process_document(self.local, document_id, flush=False) in ("processing", "indexed")
            flush_ready(self.local)

        elapsed = timed(work)
        assert document_statuses(self.local, self.ids) == {"indexed": len(self.ids)}
        return elapsed

    def each(self) -> float:
        def work() -> None:
            for document_id in self.ids:
                assert process_document(self.local, document_id) == "indexed"

        return timed(work)

    def close(self) -> None:
        if self.worker is not None:
            assert self.worker.stop() == 0, self.worker.log_text()
        assert self.local.index.count() == len(self.ids)
        self.local.close()
        self.sender.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=4, help="demo cases (8–10 documents each)")
    parser.add_argument("--long-pdfs", type=int, default=4, help="extra long PDFs (fonts alternate)")
    parser.add_argument("--long-pages", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="repetitions; the median is printed")
    parser.add_argument("--batch", type=int, default=DEFAULT_INDEX_BATCH, help=INDEX_BATCH_SETTING)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    root = Path(tempfile.mkdtemp(prefix="juanzong-ingest-bench-"))
    try:
        run(root, args)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def run(root: Path, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    pairs, corpus = make_corpus(root / "files", args.cases, args.long_pdfs, args.long_pages)
    print(f"generated {len(pairs)} files in {time.perf_counter() - t0:.1f} s", flush=True)
    items = [Item(path=p, kind=sniff(p, p.name).kind, case_no=no) for no, p in pairs]
    warm = _settings(root / "warm", args.batch)
    for kind in sorted({i.kind for i in items}):  # imports, font caches: counted nowhere
        sample = next(i for i in items if i.kind == kind)
        extractor_for(kind)(sample.path, warm)

    order = list(LINES)
    times: dict[str, list[float]] = {name: [] for name in order}
    commits: dict[str, list[int]] = {"worker": [], "worker1": []}
    drained: dict[str, list[float]] = {"worker": [], "worker1": []}
    uploads: list[float] = []
    for r in range(args.rounds):
        rnd = Round(root / f"round-{r + 1}", items, corpus, args.batch)
        try:
            runs: dict[str, Callable[[], float]] = {
                "bare": rnd.bare,
                "worker": partial(rnd.worker_run, args.batch),
                "worker1": partial(rnd.worker_run, 1),
                "group": rnd.group,
                "each": rnd.each,
            }
            rotated = order[r % len(order) :] + order[: r % len(order)]
            for name in rotated:
                times[name].append(runs[name]())
        finally:
            rnd.close()
        for name, batch in (("worker", args.batch), ("worker1", 1)):
            commits[name].append(rnd.commits[batch])
            drained[name].append(rnd.drained[batch])
        uploads.append(rnd.upload_s)
        print(
            f"round {r + 1} ({' → '.join(rotated)}): "
            + ", ".join(f"{name} {times[name][-1]:.2f} s" for name in order)
            + f"; worker index commits {rnd.commits[args.batch]} (batch {args.batch}), "
            + f"{rnd.commits[1]} (batch 1)",
            flush=True,
        )

    n = len(items)
    pages = sum(i.pages for i in items)
    kinds: dict[str, int] = {}
    for item in items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    print()
    print(f"corpus: {n} documents, {pages} pages ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"median of {args.rounds} rounds (ratio: median of each round's bare / line):")
    for name, label in LINES.items():
        median = statistics.median(times[name])
        label = label.format(batch=args.batch)
        line = f"  {label:56} {median:7.2f} s  {pages / median:6.1f} pages/s"
        if name != "bare":
            ratio = statistics.median(b / t for b, t in zip(times["bare"], times[name], strict=True))
            line += f"   ratio {ratio:.2f}"
            if name == "worker":
                line += f"  (target >= 0.70: {'met' if ratio >= 0.7 else 'NOT met'})"
        print(line)
    for name, batch in (("worker", args.batch), ("worker1", 1)):
        print(
            f"worker, batch {batch}: index commits per round {commits[name]}; queue empty "
            f"{statistics.median(drained[name]):.2f} s after the first send (with the flush tasks "
            "that find nothing left to do)"
        )
    upload_ms = statistics.median(uploads) / n * 1000
    print(f"upload (hash, sniff, store, commit, enqueue; request side): {upload_ms:.1f} ms/file")


if __name__ == "__main__":
    main()
