"""Ingest throughput: the whole extraction step next to bare extraction of the same files.

    .venv/bin/python -m bench.ingest_bench [--cases 4] [--long-pdfs 4] [--long-pages 30]

Generates a mixed corpus with demodata (demo cases' PDFs with both fonts, DOCX, UTF-8 and
GB18030 text, plus a few long PDFs), then in one temporary data directory (SQLite, LocalStore,
tantivy):

1. bare extraction: the extractor for each file's kind, on the file itself;
2. the whole step: ``process_document`` for each uploaded document, in process
   (download from the store, sniff, extract, normalise, store the text, index, commit).

Prints pages/s of both and their ratio (target ≥ 0.7), then where the difference goes.
Uploading (hashing, storing) is timed and printed on its own: it happens in the request.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select, update

from archive.cases import create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.migrate import upgrade
from archive.models import Case, Document
from demodata.corpus import CaseSpec, build_corpus, write_corpus
from demodata.files import write_long_pdf
from ingest.extract import extractor_for
from ingest.pipeline import index_doc_for, process_document
from ingest.service import IngestResult, Outcome, ingest_path
from ingest.sniff import sniff
from juanzong.runtime import Runtime
from juanzong.settings import load_settings
from search.analysis import normalize_text
from search.api import IndexDoc, SearchIndex, SearchRequest, SearchResult

T = TypeVar("T")


@dataclass
class Item:
    path: Path
    kind: str
    case_id: int
    pages: int = 0
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


def _upload(rt: Runtime, item: Item) -> IngestResult:
    return ingest_path(rt, case_id=item.case_id, path=item.path, doc_type=DocType.OTHER, user=None)


def timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


class _NoIndex(SearchIndex):
    """For one diagnostic round only: accepts everything, keeps nothing."""

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        list(docs)

    def delete(self, doc_ids: Iterable[int]) -> None:
        list(doc_ids)

    def search(self, request: SearchRequest) -> SearchResult:
        return SearchResult(total=0, hits=[], page=1, per_page=request.per_page)

    def count(self) -> int:
        return 0

    def doc_ids(self) -> set[int]:
        return set()

    def clear(self) -> None:
        pass


def _touch(rt: Runtime, document_id: int) -> None:
    """One small write transaction, like each of the pipeline's two status commits."""
    with session_scope(rt.sessions) as s:
        s.execute(update(Document).where(Document.id == document_id).values(updated_at=datetime.now(UTC)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=4, help="demo cases (8–10 documents each)")
    parser.add_argument("--long-pdfs", type=int, default=4, help="extra long PDFs (fonts alternate)")
    parser.add_argument("--long-pages", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="repetitions; the median is printed")
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
    print(f"generated {len(pairs)} files in {time.perf_counter() - t0:.1f} s")

    settings = load_settings({"JUANZONG_DATA_DIR": str(root / "data"), "SECRET_KEY": "bench"})
    settings.ensure_dirs()
    upgrade(settings.database_url)
    rt = Runtime(settings)
    case_ids: dict[str, int] = {}
    with session_scope(rt.sessions) as s:
        for spec in corpus:
            case_ids[spec.internal_no] = create_case(s, spec.case_input()).id
    items = [Item(path=p, kind=sniff(p, p.name).kind, case_id=case_ids[no]) for no, p in pairs]

    # Warm-up: imports, font caches (not counted on either side).
    for kind in sorted({i.kind for i in items}):
        sample = next(i for i in items if i.kind == kind)
        extractor_for(kind)(sample.path, settings)

    # Upload (request side), timed on its own.
    upload_s = 0.0
    for item in items:
        result, dt = timed(
            lambda it=item: ingest_path(
                rt, case_id=it.case_id, path=it.path, doc_type=DocType.OTHER, user=None
            )
        )
        upload_s += dt
        assert result.outcome is Outcome.QUEUED, result
        item.document_id = result.document_id

    # Bare extraction and the whole step, interleaved per document so that drift on a shared
    # machine hits both alike; repeated (the step is idempotent) and the median round taken.
    bare_rounds: list[float] = []
    pipe_rounds: list[float] = []
    per_kind: dict[str, list[float]] = {}
    for r in range(args.rounds):
        bare_s = pipe_s = 0.0
        for item in items:
            extracted, dt = timed(extractor_for(item.kind), item.path, settings)
            item.pages = extracted.page_count or 1
            bare_s += dt
            assert item.document_id is not None
            status, dp = timed(process_document, rt, item.document_id)
            assert status == "indexed", (item.path, status)
            pipe_s += dp
            if r == 0:
                per_kind.setdefault(item.kind, []).append(dp - dt)
        bare_rounds.append(bare_s)
        pipe_rounds.append(pipe_s)
    assert rt.index.count() == len(items)
    # Diagnostic round: the same step with an index that does nothing, to separate our own
    # overhead (store, sniff, SQLite) from the engine's commit.
    real_index = rt.index
    rt.index = _NoIndex()
    noindex_bare = noindex_pipe = 0.0
    for item in items:
        noindex_bare += timed(extractor_for(item.kind), item.path, settings)[1]
        assert item.document_id is not None
        noindex_pipe += timed(process_document, rt, item.document_id)[1]
    rt.index = real_index
    bare_s = statistics.median(bare_rounds)
    pipe_s = statistics.median(pipe_rounds)
    pages = sum(i.pages for i in items)

    # Where the difference goes.
    norm_s = 0.0
    chars = 0
    for item in items:
        text = extractor_for(item.kind)(item.path, settings).text
        chars += len(text)
        _, dt = timed(normalize_text, text)
        norm_s += dt
    with rt.sessions() as s:
        docs = [index_doc_for(d) for d in s.scalars(select(Document).order_by(Document.id))]
        n_cases = len(s.scalars(select(Case.id)).all())
    one_by_one = [timed(rt.index.upsert, [doc])[1] for doc in docs]
    _, batch_s = timed(rt.index.upsert, docs)
    commits = [timed(_touch, rt, doc.doc_id)[1] for doc in docs]

    n = len(items)
    print()
    print(f"corpus: {n} documents, {pages} pages, {chars:,} characters, {n_cases} cases")
    print("        (" + ", ".join(f"{k} {len(v)}" for k, v in sorted(per_kind.items())) + ")")
    print(f"median of {args.rounds} rounds:")
    print(f"{'  bare extraction (same extractor)':44} {bare_s:7.2f} s  {pages / bare_s:7.1f} pages/s")
    print(f"{'  whole pipeline (process_document)':44} {pipe_s:7.2f} s  {pages / pipe_s:7.1f} pages/s")
    ratio = bare_s / pipe_s
    verdict = "met" if ratio >= 0.7 else "NOT met"
    print(f"  ratio pipeline / bare: {ratio:.2f}   (target >= 0.70: {verdict})")
    print()
    overhead = pipe_s - bare_s
    print("where the pipeline's extra time goes (per document):")
    print(f"  total overhead                       {overhead / n * 1000:7.1f} ms")
    for kind, extra in sorted(per_kind.items()):
        print(f"    {kind:5} documents (first round)       {statistics.mean(extra) * 1000:7.1f} ms")
    print(f"  normalize_text                       {norm_s / n * 1000:7.1f} ms")
    print(
        f"  all but the index (no-op index)      {(noindex_pipe - noindex_bare) / n * 1000:7.1f} ms"
        f"  (ratio without the index {noindex_bare / noindex_pipe:.2f})"
    )
    print(
        f"  index upsert, one commit per doc     {statistics.mean(one_by_one) * 1000:7.1f} ms"
        f"  (p50 {statistics.median(one_by_one) * 1000:.1f}, max {max(one_by_one) * 1000:.1f})"
    )
    print(f"  index upsert, all {n} in one commit  {batch_s / n * 1000:7.1f} ms")
    print(f"  one SQLite commit (x2 per document)  {statistics.median(commits) * 1000:7.1f} ms")
    own = max(noindex_pipe - noindex_bare, 0.0) / n
    batched = bare_s / (bare_s + n * (own + batch_s / n))
    print(f"estimate with batched index commits (own overhead + batch cost per doc): ratio {batched:.2f}")
    print(f"upload (hash, sniff, store, commit, enqueue; request side): {upload_s / n * 1000:.1f} ms/file")
    rt.close()


if __name__ == "__main__":
    main()
