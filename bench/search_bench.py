"""Search benchmark: index build rate and search latency on generated Chinese documents.

    .venv/bin/python -m bench.search_bench --docs 10000
    .venv/bin/python -m bench.search_bench --docs 100000
    .venv/bin/python -m bench.search_bench --engine elasticsearch --docs 10000

Generates N documents of about 3,000 characters (demodata's legal sentences, plus each
case's parties and court case number), builds the index with ``rebuild`` (the
``juanzong reindex`` path) and runs a mixed query set: 2-character words, 4-character
terms, person names, quoted phrases, case numbers (typed in variant forms) and two-term
AND. For every query it times the full search (parse, filters, top 20, total, facets,
stored text, snippets) and the bare engine query (top 20 with the exact total, nothing
else). Prints plain figures.

``--engine tantivy`` (default): the embedded index in a temporary directory; the bare query
is tantivy's ``searcher.search`` of the same prepared query.

``--engine elasticsearch``: the server named by ``JUANZONG_TEST_ELASTICSEARCH_URL`` (start
it with ``scripts/services/all.sh up``; ``eval "$(scripts/services/all.sh env)"``), under a
fresh index prefix ``jz-bench-<random>`` that is dropped at the end. The build rate is that
of the bulk load (it waits until the server has finished merging segments); the index size
is the primaries' store size from the indices stats; the bare query is ``client.search``
with the same query clauses (``elastic_query.build_query``), size 20, exact total, no
``_source``, no aggregations, no sort (so it includes the HTTP round trip and the JSON
decoding of the answer, which any client pays). On this 2-core machine Elasticsearch
bulk-indexes these documents far slower than tantivy: count minutes per 10,000 documents.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demodata.text import TextGenerator
from search.analysis import normalize_text
from search.api import IndexDoc, SearchIndex, SearchRequest
from search.engines import elastic_query
from search.engines.elastic import ElasticIndex
from search.engines.tantivy_engine import TantivyIndex
from search.engines.tantivy_query import build_query
from search.query import parse_query

DOC_TYPES = (
    "lead_form",
    "plan",
    "investigation",
    "analysis",
    "strategy",
    "legal_doc",
    "hearing",
    "tracking",
    "closing",
    "other",
)
DOCS_PER_CASE = 8
TWO_CHAR_WORDS = (
    "合同",
    "违约",
    "判决",
    "原告",
    "被告",
    "证据",
    "利息",
    "租赁",
    "工程",
    "借款",
    "保全",
    "上诉",
)
FOUR_CHAR_TERMS = (
    "买卖合同",
    "违约责任",
    "诉讼请求",
    "民间借贷",
    "强制执行",
    "劳动合同",
    "判决如下",
    "财产保全",
    "争议焦点",
    "赔偿损失",
    "逾期付款",
    "合议庭",
)


@dataclass(frozen=True)
class CaseInfo:
    case_id: int
    name: str
    plaintiff: str
    defendant: str
    number: str  # canonical court case number
    cause: str


class Corpus:
    """Deterministic documents; ``seconds`` counts the time spent generating them."""

    def __init__(self, n_docs: int, seed: int) -> None:
        self.n_docs = n_docs
        self.seed = seed
        self.gen = TextGenerator(seed)
        self.gen.sentence_pool()
        self.cases: dict[int, CaseInfo] = {}
        self.seconds = 0.0
        self.chars = 0

    def case(self, case_id: int) -> CaseInfo:
        if case_id not in self.cases:
            g = self.gen
            plaintiff, defendant = g.person_name(), g.person_name()
            cause = g.cause()
            self.cases[case_id] = CaseInfo(
                case_id=case_id,
                name=f"{plaintiff}诉{defendant}{cause}案",
                plaintiff=plaintiff,
                defendant=defendant,
                number=g.random_case_number(),
                cause=cause,
            )
        return self.cases[case_id]

    def doc(self, doc_id: int) -> IndexDoc:
        case = self.case((doc_id - 1) // DOCS_PER_CASE + 1)
        rng = random.Random(self.seed * 1_000_003 + doc_id)
        head = (
            f"{case.number}\n原告：{case.plaintiff}\n被告：{case.defendant}\n"
            f"案由：{case.cause}\n原告{case.plaintiff}与被告{case.defendant}{case.cause}一案，现已审理终结。\n"
        )
        body = self.gen.plain_body(3000 - len(head), rng)
        # ~31 line wraps per page, as PDF extraction leaves them; normalisation joins them
        wrapped = "\n".join(body[i : i + 40] for i in range(0, len(body), 40))
        doc_type = DOC_TYPES[doc_id % len(DOC_TYPES)]
        text = normalize_text(head + wrapped)
        self.chars += len(text)
        return IndexDoc(
            doc_id=doc_id,
            case_id=case.case_id,
            case_name=case.name,
            case_internal_no=f"FW-{case.case_id:06d}",
            doc_type=doc_type,
            title=f"{case.cause}{doc_type}{doc_id}",
            filename=f"{doc_id}.pdf",
            text=text,
            year=2019 + doc_id % 8,
            court_case_numbers=(case.number,),
        )

    def docs(self) -> Iterator[IndexDoc]:
        for doc_id in range(1, self.n_docs + 1):
            t = time.perf_counter()
            d = self.doc(doc_id)
            self.seconds += time.perf_counter() - t
            yield d


def query_set(corpus: Corpus, per_kind: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    cases = list(corpus.cases.values())
    queries: list[tuple[str, str]] = []
    for _ in range(per_kind):
        queries.append(("2-char word", rng.choice(TWO_CHAR_WORDS)))
        queries.append(("4-char term", rng.choice(FOUR_CHAR_TERMS)))
        case = rng.choice(cases)
        queries.append(("person name", rng.choice((case.plaintiff, case.defendant))))
        text = corpus.doc(rng.randint(1, corpus.n_docs)).text
        start = rng.randint(200, len(text) - 20)
        queries.append(("quoted phrase", f'"{text[start : start + rng.randint(6, 12)]}"'))
        number = rng.choice(cases).number
        variant = rng.choice(
            (
                number,
                number.replace("（", "(").replace("）", ")"),
                number.replace("（", "〔").replace("）", "〕").removesuffix("号"),
            )
        )
        queries.append(("case number", variant))
        queries.append(
            ("two-term AND", f"{rng.choice(FOUR_CHAR_TERMS)} {rng.choice((case.plaintiff, '违约金'))}")
        )
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- the engines under test --------------------------------------------------------------


class BenchEngine(ABC):
    """One engine as the benchmark sees it: the product's index, plus its bare query."""

    index: SearchIndex

    @abstractmethod
    def size_bytes(self) -> int: ...

    @abstractmethod
    def prepare(self, query: str) -> Any:
        """The engine query for ``query`` with no filter, ready to run."""

    @abstractmethod
    def bare(self, prepared: Any) -> None:
        """Run a prepared query: top 20 and the exact total, nothing else."""

    def after_build(self) -> None:  # noqa: B027 - optional hook
        """Wait for work the engine still does in the background after a rebuild."""

    def close(self) -> None:
        self.index.close()


class TantivyBench(BenchEngine):
    def __init__(self, directory: Path) -> None:
        self.index = self.tantivy = TantivyIndex(directory)
        self._searcher: Any = None

    def size_bytes(self) -> int:
        return dir_size(self.tantivy._gen.directory)

    def prepare(self, query: str) -> Any:
        if self._searcher is None:
            self._searcher = self.tantivy._gen.index.searcher()
        return build_query(self.tantivy.schema, parse_query(query), SearchRequest(query))

    def bare(self, prepared: Any) -> None:
        self._searcher.search(prepared, 20)


class ElasticBench(BenchEngine):
    """A fresh index prefix on the server at ``url``; ``close`` drops its indices."""

    MERGE_WAIT_S = 600.0

    def __init__(self, url: str) -> None:
        self.prefix = f"jz-bench-{uuid.uuid4().hex[:12]}"
        self.index = self.elastic = ElasticIndex.from_url(
            f"{url}{'&' if '?' in url else '?'}prefix={self.prefix}"
        )
        self.client = self.elastic.client

    def describe(self) -> str:
        nodes = self.client.nodes.info(filter_path="nodes.*.version")["nodes"]
        versions = ", ".join(sorted({n["version"] for n in nodes.values()}))
        return f"Elasticsearch {versions} at {self.elastic.where}, alias {self.elastic.alias}"

    def _primaries(self, metric: str) -> dict[str, Any]:
        stats = self.client.indices.stats(index=self.elastic.alias, metric=metric)
        return stats["_all"]["primaries"]

    def after_build(self) -> None:
        deadline = time.monotonic() + self.MERGE_WAIT_S
        while self._primaries("merge")["merges"]["current"] and time.monotonic() < deadline:
            time.sleep(0.5)

    def size_bytes(self) -> int:
        return int(self._primaries("store")["store"]["size_in_bytes"])

    def prepare(self, query: str) -> Any:
        return elastic_query.build_query(parse_query(query), SearchRequest(query))

    def bare(self, prepared: Any) -> None:
        self.client.search(
            index=self.elastic.alias, query=prepared, size=20, track_total_hits=True, source=False
        )

    def close(self) -> None:
        try:
            self.elastic.drop()
        finally:
            super().close()


# -- building and measuring ----------------------------------------------------------------


@dataclass(frozen=True)
class BuildFigures:
    docs: int
    seconds: float
    size_bytes: int


@dataclass(frozen=True)
class LatencyFigures:
    """Milliseconds over every query of every round."""

    full_p50: float
    full_p95: float
    bare_p50: float
    bare_p95: float


def build(engine: BenchEngine, corpus: Corpus) -> BuildFigures:
    t0 = time.perf_counter()
    n = engine.index.rebuild(corpus.docs())
    engine.after_build()
    # Generating a document (demodata + normalisation) runs in the indexing thread; it is
    # timed apart and left out of the build rate.
    build_s = time.perf_counter() - t0 - corpus.seconds
    size = engine.size_bytes()
    print(f"documents            {n}")
    print(f"characters/doc       {corpus.chars / n:.0f}")
    print(f"generation           {corpus.seconds:.1f} s (not counted)")
    rate = f"{n / build_s:.0f} docs/s  {corpus.chars / build_s / 1e6:.2f} M chars/s"
    print(f"index build          {build_s:.1f} s  {rate}")
    print(f"index size           {size / 1e6:.0f} MB  ({size / n / 1e3:.1f} kB/doc)")
    return BuildFigures(docs=n, seconds=build_s, size_bytes=size)


def measure(engine: BenchEngine, queries: list[tuple[str, str]], rounds: int) -> LatencyFigures:
    index = engine.index
    prepared = [engine.prepare(q) for _, q in queries]
    for (_, q), pq in zip(queries, prepared, strict=True):  # warm-up: page cache, code paths
        index.search(SearchRequest(q))
        engine.bare(pq)
    full: dict[str, list[float]] = {}
    bare: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for _ in range(rounds):
        for (kind, q), pq in zip(queries, prepared, strict=True):
            t = time.perf_counter()
            result = index.search(SearchRequest(q, per_page=20))
            full.setdefault(kind, []).append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            engine.bare(pq)
            bare.setdefault(kind, []).append((time.perf_counter() - t) * 1e3)
            totals.setdefault(kind, []).append(result.total)

    print(f"queries              {len(queries)} x {rounds} rounds")
    cols = ("median hits", "full p50", "full p95", "bare p50", "bare p95")
    print(f"{'kind':16} {cols[0]:>11} " + " ".join(f"{c:>9}" for c in cols[1:]) + "  (ms)")
    for kind in full:
        figures = (percentile(full[kind], 50), percentile(full[kind], 95))
        figures += (percentile(bare[kind], 50), percentile(bare[kind], 95))
        hits = statistics.median(totals[kind])
        print(f"{kind:16} {hits:>11.0f} " + " ".join(f"{x:>9.2f}" for x in figures))
    all_full = [v for vs in full.values() for v in vs]
    all_bare = [v for vs in bare.values() for v in vs]
    f50, f95 = percentile(all_full, 50), percentile(all_full, 95)
    b50, b95 = percentile(all_bare, 50), percentile(all_bare, 95)
    print(f"{'all':16} {'':>11} {f50:>9.2f} {f95:>9.2f} {b50:>9.2f} {b95:>9.2f}")
    print(f"p95 ratio full/bare  {f95 / b95:.2f}  (target <= 1.5)")
    print(f"p95 full             {f95:.1f} ms  (target <= 100 ms at 100,000 documents)")
    return LatencyFigures(full_p50=f50, full_p95=f95, bare_p50=b50, bare_p95=b95)


def run_engine(
    engine: BenchEngine, n_docs: int, seed: int, queries_per_kind: int, rounds: int
) -> tuple[BuildFigures, LatencyFigures]:
    """Build ``engine``'s index from the corpus of ``n_docs`` and ``seed``, then measure it."""
    corpus = Corpus(n_docs, seed)
    built = build(engine, corpus)
    return built, measure(engine, query_set(corpus, queries_per_kind, seed + 1), rounds)


def elasticsearch_url() -> str:
    url = os.environ.get("JUANZONG_TEST_ELASTICSEARCH_URL", "").strip()
    if not url:
        raise SystemExit(
            "JUANZONG_TEST_ELASTICSEARCH_URL is not set: start the server with "
            '`scripts/services/all.sh up`, then `eval "$(scripts/services/all.sh env)"`'
        )
    return url


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("tantivy", "elasticsearch"), default="tantivy")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--queries-per-kind", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the query set")
    ap.add_argument("--dir", type=Path, help="tantivy: index directory (default: a temporary one, removed)")
    ap.add_argument("--reuse", action="store_true", help="with --dir: query the index an earlier run built")
    args = ap.parse_args(argv)

    if args.engine == "elasticsearch":
        if args.dir or args.reuse:
            ap.error("--dir and --reuse apply to the tantivy engine only")
        engine = ElasticBench(elasticsearch_url())
        try:
            print(f"engine               {engine.describe()}")
            run_engine(engine, args.docs, args.seed, args.queries_per_kind, args.rounds)
        finally:
            engine.close()
        return 0

    base = args.dir or Path(tempfile.mkdtemp(prefix="juanzong-search-bench-"))
    try:
        tantivy = TantivyBench(base / "index")
        corpus = Corpus(args.docs, args.seed)
        if args.reuse and tantivy.index.count() == args.docs:
            for case_id in range(1, (args.docs - 1) // DOCS_PER_CASE + 2):
                corpus.case(case_id)  # same seed, same order: the same cases
            print(f"documents            {args.docs} (index of an earlier run, not rebuilt)")
        else:
            build(tantivy, corpus)
        measure(tantivy, query_set(corpus, args.queries_per_kind, args.seed + 1), args.rounds)
        tantivy.close()
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
