"""Peak memory of the worker's step: a 300-page PDF against a 30-page one, and longer ones.

    .venv/bin/python -m bench.memory_bench [--small 30] [--large 300] [--extra 1000 3000]
                                           [--font cid|ttf] [--huge-chars 4500000]
                                           [--rounds 3] [--allocator worker|glibc-default]

Each measurement runs in a fresh Python process (so one file's peak cannot hide the
other's) that first imports everything, sets up its data directory and processes a tiny
document (so imports and caches are in the baseline), then records its RSS as the baseline,
resets the kernel's high-water mark (``/proc/self/clear_refs``; elsewhere the process's
``getrusage`` peak is used, which may include the set-up), does the work and reads its peak
RSS. Three kinds of work:

* ``extract`` – the extraction stream (``ingest.extract.stream_document``: pypdf page by
  page, wraps joined, normalised), its pieces consumed and dropped, never joined;
* ``index`` – only the search-index upsert of that document, its entry built as the worker
  builds it (``ingest.indexing.index_doc_for``: the text read from the database chunk by
  chunk while the engine indexes it; the document was extracted and stored before the
  baseline), to show the engine's share;
* ``process`` – the whole step: upload, then ``process_document`` (store → extract →
  normalise → text chunks in the database → search index).

``--huge-chars N`` adds one more ``index`` run on a stored text of N characters (the large
PDF's text repeated, written chunk by chunk): the index takes only its first
``search.analysis.MAX_INDEXED_CHARS``, so this shows the ceiling of one document whatever
its length (0 skips it).

Each child first sets glibc's allocator as the worker does (``--allocator worker``:
``search.engines.allocator.fix_mmap_threshold``); ``--allocator glibc-default`` leaves glibc's
dynamic threshold, to show what the setting changes.

Prints, per work, the peak RSS growth over the baseline for both files and the ratio
large/small, and the whole step for the ``--extra`` page counts (the plateau). Nothing
holds a document's text whole: the extractor gives it in pieces, the database stores and
gives it back in chunks (``archive.texts``), and the index reads it a part at a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("extract", "index", "process")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1024 / 1024


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS (Linux ≥ 4.0)."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _peak_mb(reset_worked: bool) -> float:
    if reset_worked:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(mode: str, pdf: Path, work: Path, huge_chars: int, allocator: str) -> None:
    """Runs in the fresh process; prints one JSON line."""
    if allocator == "worker":  # as ingest.worker.run_worker does before any work
        from search.engines.allocator import fix_mmap_threshold

        fix_mmap_threshold()
    import gc
    import io

    from sqlalchemy.orm import selectinload

    from archive import texts
    from archive.cases import CaseInput, create_case
    from archive.db import session_scope
    from archive.doctypes import DocType
    from archive.migrate import upgrade
    from archive.models import Case, Document, DocumentText
    from ingest.extract import pdf as _pdf  # noqa: F401 - pypdf imported before the baseline
    from ingest.extract import stream_document
    from ingest.indexing import index_doc_for
    from ingest.pipeline import process_document
    from ingest.service import ingest_stream
    from juanzong.runtime import Runtime
    from juanzong.settings import load_settings

    settings = load_settings({"JUANZONG_DATA_DIR": str(work), "SECRET_KEY": "bench"})
    settings.ensure_dirs()
    upgrade(settings.database_url)
    rt = Runtime(settings)
    with session_scope(rt.sessions) as s:
        case_id = create_case(s, CaseInput(name="内存测试", internal_no="MEM-1")).id
    # Warm up both paths on a tiny document, so imports and caches are in the baseline.
    warm = ingest_stream(
        rt,
        case_id=case_id,
        stream=io.BytesIO("预热文本".encode()),
        filename="w.txt",
        doc_type=DocType.OTHER,
        user=None,
    )
    assert warm.document_id is not None
    process_document(rt, warm.document_id)

    def stored(document_id: int) -> tuple[int, int]:
        """Pages and characters of a stored document (from its counts, not its text)."""
        with rt.sessions() as s:
            doc = s.get(Document, document_id)
            row = s.get(DocumentText, document_id)
            assert doc is not None and row is not None
            return doc.page_count or 0, row.char_count

    pages = chars = 0
    if mode == "index":
        # Extracted and stored as the worker does, but not indexed: the upsert is the work.
        result = ingest_stream(
            rt, case_id=case_id, stream=open(pdf, "rb"), filename=pdf.name, doc_type=DocType.OTHER, user=None
        )
        assert result.document_id is not None
        doc_id = result.document_id
        assert process_document(rt, doc_id, flush=False) == "processing"
        if huge_chars:  # replace its text by a huge one, written chunk by chunk
            chunks = list(texts.iter_text(rt.sessions, doc_id))
            texts.save_text(rt.sessions, doc_id, _repeated(chunks, huge_chars), extractor="bench")
            del chunks
        pages, chars = stored(doc_id)
        with rt.sessions() as s:
            doc = s.get(
                Document, doc_id, options=(selectinload(Document.case).selectinload(Case.court_numbers),)
            )
            assert doc is not None
            entry = index_doc_for(doc, sessions=rt.sessions)
    if mode == "extract":
        # Warm up the extractor of this file's type too (python-docx and lxml load on first use).
        kind = pdf.suffix.lstrip(".")
        if kind == "docx":
            tiny = pdf.parent / "warm.docx"  # written by the parent, so no writer is loaded here
            for _ in stream_document(kind, tiny, settings).pieces():
                pass
    gc.collect()
    baseline = _rss_mb()
    reset_worked = _reset_peak()
    if mode == "extract":
        extraction = stream_document(pdf.suffix.lstrip("."), pdf, settings)
        for piece in extraction.pieces():
            chars += len(piece)
        pages = extraction.page_count or 0
    elif mode == "index":
        rt.index.upsert([entry])
    else:
        result = ingest_stream(
            rt, case_id=case_id, stream=open(pdf, "rb"), filename=pdf.name, doc_type=DocType.OTHER, user=None
        )
        assert result.document_id is not None
        status = process_document(rt, result.document_id)
        assert status == "indexed", status
        pages, chars = stored(result.document_id)
    peak = _peak_mb(reset_worked)
    print(json.dumps({"baseline": baseline, "peak": peak, "pages": pages, "chars": chars}))
    rt.close()


def _repeated(chunks: list[str], total: int) -> Iterator[str]:
    """``chunks`` again and again (a line break between rounds) up to ``total`` characters."""
    given = 0
    while True:
        for chunk in [*chunks, "\n"]:
            piece = chunk[: total - given]
            if not piece:
                return
            yield piece
            given += len(piece)


def measure(mode: str, pdf: Path, tmp: Path, allocator: str, huge_chars: int = 0) -> dict[str, float]:
    work = tmp / f"data-{mode}-{pdf.name}-{huge_chars}"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.memory_bench",
            "--child",
            mode,
            str(pdf),
            str(work),
            "--huge-chars",
            str(huge_chars),
            "--allocator",
            allocator,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"measurement {mode} of {pdf.name} failed (exit status {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_median(
    mode: str, pdf: Path, tmp: Path, rounds: int, allocator: str, huge_chars: int = 0
) -> dict[str, float]:
    """The run of median growth among ``rounds`` fresh-process runs (the allocator and
    tantivy's threads make one run vary by a few MB)."""
    runs = []
    for i in range(rounds):
        (tmp / f"round-{i}").mkdir(exist_ok=True)
        runs.append(measure(mode, pdf, tmp / f"round-{i}", allocator, huge_chars))
    runs.sort(key=lambda r: r["peak"] - r["baseline"])
    return runs[len(runs) // 2]


def _write_long_docx(path: Path, pages: int) -> Path:
    """A DOCX of the long PDFs' text (same generator and seed), a paragraph per line, with a
    table and a header as the demo's DOCX have."""
    from demodata.files import write_docx
    from demodata.text import TextGenerator

    gen = TextGenerator(3)
    paragraphs = [line for i in range(pages) for line in gen.page_text(i).split("\n") if line]
    write_docx(
        path,
        "案件卷宗材料汇编",
        paragraphs,
        table_rows=[["证据名称", "证明目的"], ["合同", "合同成立"]],
        header_text="案件卷宗材料汇编",
    )
    return path


def _row(label: str, r: dict[str, float]) -> str:
    growth = r["peak"] - r["baseline"]
    return (
        f"{label:8} {r['pages']:5.0f} {r['chars']:10,.0f} "
        f"{r['baseline']:12.1f} {r['peak']:8.1f} {growth:10.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=30)
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--font", choices=("cid", "ttf"), default="cid")
    parser.add_argument("--huge-chars", type=int, default=4_500_000)
    parser.add_argument(
        "--extra",
        type=int,
        nargs="*",
        default=[1000, 3000],
        help="more page counts for the whole step (plateau)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="fresh-process runs per figure (median)")
    parser.add_argument(
        "--allocator",
        choices=("worker", "glibc-default"),
        default="worker",
        help="worker: glibc's mmap threshold fixed, as the worker sets it; glibc-default: left dynamic",
    )
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PDF", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        huge = args.huge_chars if args.child[0] == "index" else 0
        child(args.child[0], Path(args.child[1]), Path(args.child[2]), huge, args.allocator)
        return

    from demodata.files import write_long_pdf
    from search.analysis import MAX_INDEXED_CHARS

    tmp = Path(tempfile.mkdtemp(prefix="juanzong-memory-bench-"))
    try:
        files = {}
        for pages in (args.small, args.large, *args.extra):
            path = tmp / f"long-{pages}.pdf"
            write_long_pdf(path, pages, font=args.font, seed=3)
            files[pages] = path
        print(
            f"PDFs ({args.font} font): "
            + ", ".join(f"{p} pages {f.stat().st_size / 1024:.0f} KB" for p, f in files.items())
        )
        print(
            "peak RSS growth over a warmed-up baseline; each figure the median of "
            f"{args.rounds} fresh processes; allocator: {args.allocator}"
        )
        print(f"{'work':8} {'pages':>5} {'chars':>10} {'baseline MB':>12} {'peak MB':>8} {'growth MB':>10}")
        results: dict[tuple[str, int], dict[str, float]] = {}
        for mode in MODES:
            for pages, path in files.items():
                if mode != "process" and pages not in (args.small, args.large):
                    continue
                r = measure_median(mode, path, tmp, args.rounds, args.allocator)
                results[(mode, pages)] = r
                print(_row(mode, r))
        _write_long_docx(tmp / "warm.docx", 1)
        docx_files = {pages: _write_long_docx(tmp / f"long-{pages}.docx", pages) for pages in files}
        docx_results = {}
        for pages, path in docx_files.items():
            docx_results[pages] = measure_median("extract", path, tmp, args.rounds, args.allocator)
            docx_results[pages]["pages"] = pages  # the PDF pages its text came from
            print(
                _row("docx", docx_results[pages])
                + f"   (extraction of a {path.stat().st_size / 1024:.0f} KB DOCX)"
            )
        huge = None
        if args.huge_chars:
            huge = measure_median(
                "index", files[args.large], tmp, args.rounds, args.allocator, args.huge_chars
            )
            print(_row("index", huge) + f"   (text of one document; first {MAX_INDEXED_CHARS:,} indexed)")
        print()
        print(f"peak RSS growth, {args.large} pages against {args.small}:")
        for mode in MODES:
            small, large = results[(mode, args.small)], results[(mode, args.large)]
            growth_s = max(small["peak"] - small["baseline"], 0.1)
            growth_l = large["peak"] - large["baseline"]
            print(
                f"{mode:8} {growth_l:6.1f} MB vs {growth_s:6.1f} MB: ratio {growth_l / growth_s:4.2f}"
                f"   (whole-process peak ratio {large['peak'] / small['peak']:.2f})"
            )
        for pages in args.extra:
            r = results[("process", pages)]
            print(f"process of {pages} pages: {r['peak'] - r['baseline']:.1f} MB")
        print(
            "DOCX extraction (python-docx up to JUANZONG_DOCX_STREAM_MB of document.xml, streamed above): "
            + ", ".join(f"{p} pages {r['peak'] - r['baseline']:.1f} MB" for p, r in docx_results.items())
        )
        if huge is not None:
            growth_h = huge["peak"] - huge["baseline"]
            print(f"index of {huge['chars']:,.0f} characters: {growth_h:.1f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
