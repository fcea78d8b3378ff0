"""Peak memory of the worker's extraction step: a 300-page PDF against a 30-page one.

    .venv/bin/python -m bench.memory_bench [--small 30] [--large 300] [--font cid|ttf]

Each measurement runs in a fresh Python process (so one file's peak cannot hide the
other's) that first imports everything and sets up its data directory, then records its RSS,
then does the work and reads its peak RSS (``getrusage``). Two kinds of work:

* ``extract`` – the bare PDF extractor (pypdf, page by page);
* ``index`` – only the search-index upsert of that document (text extracted before the
  baseline), to show the engine's share;
* ``process`` – the whole step: upload, then ``process_document`` (store → extract →
  normalise → SQLite → tantivy).

Prints both files' peaks, the growth over the baseline, and the ratios large/small. Pages are
read one at a time and their content streams dropped from pypdf's cache, so only the
extracted text (about 1,400 characters a page) grows with the file.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("extract", "index", "process")


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1024 / 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(mode: str, pdf: Path, work: Path) -> None:
    """Runs in the fresh process; prints one JSON line."""
    import io

    from archive.cases import CaseInput, create_case
    from archive.db import session_scope
    from archive.doctypes import DocType
    from archive.migrate import upgrade
    from ingest.extract import extract_document
    from ingest.extract import pdf as pdf_extractor
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
    pages = chars = 0
    if mode == "index":
        from search.api import IndexDoc

        extracted = extract_document("pdf", pdf, settings)
        entry = IndexDoc(
            doc_id=10**6,
            case_id=case_id,
            case_name="内存测试",
            case_internal_no="MEM-1",
            doc_type="other",
            title=pdf.stem,
            filename=pdf.name,
            text=extracted.text,
        )
        pages, chars = extracted.page_count or 0, len(extracted.text)
    baseline = _rss_mb()
    if mode == "extract":
        extracted = pdf_extractor.extract(pdf, settings)
        pages, chars = extracted.page_count or 0, len(extracted.text)
    elif mode == "index":
        rt.index.upsert([entry])
    else:
        result = ingest_stream(
            rt, case_id=case_id, stream=open(pdf, "rb"), filename=pdf.name, doc_type=DocType.OTHER, user=None
        )
        assert result.document_id is not None
        status = process_document(rt, result.document_id)
        assert status == "indexed", status
        with rt.sessions() as s:
            from archive.models import Document

            doc = s.get(Document, result.document_id)
            assert doc is not None and doc.text is not None
            pages, chars = doc.page_count or 0, doc.text.char_count
    print(json.dumps({"baseline": baseline, "peak": _peak_mb(), "pages": pages, "chars": chars}))
    rt.close()


def measure(mode: str, pdf: Path, tmp: Path) -> dict[str, float]:
    work = tmp / f"data-{mode}-{pdf.stem}"
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory_bench", "--child", mode, str(pdf), str(work)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=30)
    parser.add_argument("--large", type=int, default=300)
    parser.add_argument("--font", choices=("cid", "ttf"), default="cid")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PDF", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return

    from demodata.files import write_long_pdf

    tmp = Path(tempfile.mkdtemp(prefix="juanzong-memory-bench-"))
    try:
        files = {}
        for pages in (args.small, args.large):
            path = tmp / f"long-{pages}.pdf"
            write_long_pdf(path, pages, font=args.font, seed=3)
            files[pages] = path
        print(
            f"PDFs ({args.font} font): "
            + ", ".join(f"{p} pages {f.stat().st_size / 1024:.0f} KB" for p, f in files.items())
        )
        print(f"{'work':8} {'pages':>5} {'chars':>9} {'baseline MB':>12} {'peak MB':>8} {'growth MB':>10}")
        results: dict[tuple[str, int], dict[str, float]] = {}
        for mode in MODES:
            for pages, path in files.items():
                r = measure(mode, path, tmp)
                results[(mode, pages)] = r
                growth = r["peak"] - r["baseline"]
                print(
                    f"{mode:8} {r['pages']:5.0f} {r['chars']:9,.0f} "
                    f"{r['baseline']:12.1f} {r['peak']:8.1f} {growth:10.1f}"
                )
        print()
        for mode in MODES:
            small, large = results[(mode, args.small)], results[(mode, args.large)]
            peak_ratio = large["peak"] / small["peak"]
            growth_s = max(small["peak"] - small["baseline"], 0.1)
            growth_l = large["peak"] - large["baseline"]
            print(
                f"{mode:8} peak {args.large}p/{args.small}p = {peak_ratio:.2f};"
                f"  growth {growth_l:.1f} MB vs {growth_s:.1f} MB ({growth_l / growth_s:.1f}x)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
