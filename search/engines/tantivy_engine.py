"""The embedded search engine: tantivy (tantivy-py), in a directory of the data dir.

``rebuild`` fills a new generation beside the live one and then switches CURRENT (see
``tantivy_store``), so searches never see a half-built index. Every process (web, worker,
CLI) opens the same directory: a write takes tantivy's writer lock for one batch only, and
a search reloads when another process has committed (a ``stat`` of two small files).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import shutil
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import tantivy

from search.api import FacetCount, Hit, IndexDoc, SearchError, SearchIndex, SearchRequest, SearchResult
from search.engines import tantivy_schema as f
from search.engines.allocator import release_free_memory
from search.engines.tantivy_query import build_query, clause_query, filter_queries
from search.engines.tantivy_store import (
    REBUILD_HEAP_BYTES,
    WRITER_HEAP_BYTES,
    Generation,
    IndexDirectory,
    Stamp,
    acquire_writer,
)
from search.parts import OVERLAP_CHARS, PART_CHARS
from search.query import ParsedQuery, parse_query
from search.snippets import SnippetMaker

log = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 30.0
MAX_PER_PAGE = 100
MAX_PAGE = 500
FACET_SIZES = {f.DOC_TYPE: 50, f.CASE_ID: 50, f.YEAR: 50}
FACET_SEGMENT_SIZE = 65_000  # per-segment buckets kept before merging: large, so counts are exact

T = TypeVar("T")


class TantivyIndex(SearchIndex):
    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
        parallel_facets: bool = True,
        part_chars: int = PART_CHARS,
        overlap_chars: int = OVERLAP_CHARS,
    ) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.parallel_facets = parallel_facets
        # Tests make parts small, to run every query on documents of many parts.
        self.part_chars = part_chars
        self.overlap_chars = overlap_chars
        self.schema = f.build_schema()
        self._dir = IndexDirectory(self.path)
        self._state_lock = threading.Lock()  # guards _gen and _current_seen (held briefly)
        self._write_lock = threading.Lock()  # one writer per process (held for a batch)
        self._executor: ThreadPoolExecutor | None = None
        self._current_seen: Stamp = None
        self._long_parts_seen: tuple[tuple[Path, Stamp], bool] | None = None
        self._gen = self._open_current()

    def _open_current(self) -> Generation:
        name = self._dir.current_name()
        self._current_seen = self._dir.current_stamp()
        return Generation(self.path / name, self.schema)

    def _refresh(self) -> Generation:
        """Follow a switch of generation or a commit made by another process."""
        with self._state_lock:
            if self._dir.current_stamp() != self._current_seen:
                self._gen = self._open_current()
            self._gen.reload_if_committed()
            return self._gen

    def _acquire_writer(
        self, index: tantivy.Index, heap_bytes: int = WRITER_HEAP_BYTES
    ) -> tantivy.IndexWriter:
        return acquire_writer(index, timeout=self.lock_timeout, label=str(self.path), heap_bytes=heap_bytes)

    # -- writing -----------------------------------------------------------------------

    def _write(self, work: Callable[[tantivy.IndexWriter], T]) -> T:
        """Run ``work`` with the writer of the live generation, commit, release the lock."""
        with self._write_lock:
            while True:
                gen = self._refresh()
                writer = self._acquire_writer(gen.index)
                if self._refresh() is gen:
                    break
                # A rebuild switched generations while we waited: write to the new one.
                writer.wait_merging_threads()
            try:
                result = work(writer)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # releases the lock file
                release_free_memory()
            gen.index.reload()
            gen.meta_seen = gen.meta_stamp()
            return result

    def _delete_query(self, doc_ids: Iterable[int]) -> tantivy.Query:
        # By query, not by term: tantivy-py 0.27 turns a Python int into an i64 term,
        # which never matches our u64 doc_id.
        return tantivy.Query.term_set_query(self.schema, f.DOC_ID, sorted(doc_ids))

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        latest = {d.doc_id: d for d in docs}  # the last version of a doc_id wins
        if not latest:
            return

        def work(writer: tantivy.IndexWriter) -> None:
            writer.delete_documents_by_query(self._delete_query(latest))
            # One part converted at a time: its tokens are handed to tantivy and released
            # before the next, so a batch never holds the tokens of more than one part.
            for doc in latest.values():
                self._add(writer, doc)

        self._write(work)
        log.debug("indexed %d documents", len(latest))

    def _add(self, writer: tantivy.IndexWriter, doc: IndexDoc) -> None:
        """Add the parts of ``doc``, each made when tantivy takes it: a long document costs
        the memory of one part, plus tantivy's indexing arena, which it writes out as a
        segment whenever it reaches its fixed budget (``WRITER_HEAP_BYTES``)."""
        for entry in f.to_tantivy_parts(doc, part_chars=self.part_chars, overlap_chars=self.overlap_chars):
            writer.add_document(entry)

    def delete(self, doc_ids: Iterable[int]) -> None:
        ids = set(doc_ids)
        if ids:
            self._write(lambda writer: writer.delete_documents_by_query(self._delete_query(ids)))

    def clear(self) -> None:
        self._write(lambda writer: writer.delete_all_documents())

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Build a new generation from ``docs``, switch to it, drop the old ones."""
        with self._write_lock:
            self._refresh()
            name = self._dir.next_name()
            gen = Generation(self.path / name, self.schema)
            writer = self._acquire_writer(gen.index, REBUILD_HEAP_BYTES)
            n = 0
            try:
                for doc in docs:
                    self._add(writer, doc)
                    n += 1
                writer.commit()
            except BaseException:
                writer.rollback()
                writer.wait_merging_threads()
                shutil.rmtree(gen.directory, ignore_errors=True)
                raise
            writer.wait_merging_threads()
            gen.index.reload()
            gen.meta_seen = gen.meta_stamp()
            with self._state_lock:
                old = self._gen
                self._dir.switch_to(name)
                self._current_seen = self._dir.current_stamp()
                self._gen = gen
            # A writer of another process may still be finishing a batch on the old
            # generation: wait for its lock, then remove it (open readers keep their files).
            try:
                self._acquire_writer(old.index).wait_merging_threads()
            except SearchError:
                log.warning("old index generation %s still locked; leaving it", old.directory)
            else:
                self._dir.drop_all_but(name)
            log.info("rebuilt search index %s with %d documents", gen.directory, n)
            return n

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        searcher = self._refresh().index.searcher()
        return _count(searcher, self._heads())

    def doc_ids(self) -> set[int]:
        searcher = self._refresh().index.searcher()
        n = searcher.num_docs
        if n == 0:
            return set()
        hits = searcher.search(self._heads(), limit=n, count=False).hits
        return set(_doc_ids(searcher, [addr for _, addr in hits]))

    def _heads(self) -> tantivy.Query:
        """Part 0 of every document: one entry per document."""
        return tantivy.Query.term_query(self.schema, f.PART, 0)

    def search(self, request: SearchRequest) -> SearchResult:
        parsed = parse_query(request.query)  # QueryError goes to the caller as is
        per_page = min(max(1, request.per_page), MAX_PER_PAGE)
        page = min(max(1, request.page), MAX_PAGE)
        if request.visible_case_ids is not None and not request.visible_case_ids:
            return SearchResult(
                total=0,
                hits=[],
                page=page,
                per_page=per_page,
                facets=_empty_facets(),
                truncation_notes=parsed.notes,
            )
        try:
            gen = self._refresh()
            key = (gen.directory, gen.meta_seen)  # read before the searcher: never newer than it
            searcher = gen.index.searcher()
            if self._has_long_documents(key, searcher):
                total, hits, facets = self._search_parts(searcher, parsed, request, page, per_page)
            else:
                total, hits, facets = self._search_whole(searcher, parsed, request, page, per_page)
        except ValueError as exc:
            raise SearchError(f"tantivy search failed: {exc}") from exc
        return SearchResult(
            total=total,
            hits=hits,
            page=page,
            per_page=per_page,
            facets=facets,
            truncation_notes=parsed.notes,
        )

    def _has_long_documents(self, key: tuple[Path, Stamp], searcher: tantivy.Searcher) -> bool:
        """Whether the index holds documents of several parts (looked up once per commit)."""
        cached = self._long_parts_seen
        if cached is not None and cached[0] == key:
            return cached[1]
        found = _count(searcher, self._multi(1)) > 0
        self._long_parts_seen = (key, found)
        return found

    def _multi(self, value: int) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, f.MULTI, value)

    def _search_whole(
        self,
        searcher: tantivy.Searcher,
        parsed: ParsedQuery,
        request: SearchRequest,
        page: int,
        per_page: int,
    ) -> tuple[int, list[Hit], dict[str, list[FacetCount]]]:
        """Every document is one entry (no long documents in the index): one query."""
        query = build_query(self.schema, parsed, request)
        counting = self._facets_later(searcher, query)
        found = searcher.search(query, limit=per_page, offset=(page - 1) * per_page, count=False)
        maker = SnippetMaker(parsed)
        hits = [self._hit(searcher, score, addr, maker) for score, addr in found.hits]
        facets, total = counting()
        return total, hits, facets

    def _search_parts(
        self,
        searcher: tantivy.Searcher,
        parsed: ParsedQuery,
        request: SearchRequest,
        page: int,
        per_page: int,
    ) -> tuple[int, list[Hit], dict[str, list[FacetCount]]]:
        """The index holds long documents (several parts each). A document of one part
        matches as in ``_search_whole``; a long one matches when each positive clause
        matches one of its parts (not necessarily the same) and no negative clause matches
        any. Its score is the sum over the clauses of the best part's score, as the score of
        a one-part document is the sum of its clauses'; its snippet comes from the part
        that matched the first clause best. Totals and facets count documents."""
        Q, Must = tantivy.Query, tantivy.Occur.Must
        # Counted on this very searcher (the cached count may come from another commit): the
        # limit that lets each clause's search reach every part of a long document.
        long_parts = _count(searcher, self._multi(1))
        whole = Q.boolean_query(
            [
                (Must, build_query(self.schema, parsed, request)),
                (Must, Q.const_score_query(self._multi(0), 0.0)),
            ]
        )
        counting = self._facets_later(searcher, whole, every_value=True)
        long_only = [
            (Must, Q.const_score_query(q, 0.0))
            for q in (self._multi(1), *filter_queries(self.schema, request))
        ]
        best: dict[int, tuple[float, tantivy.DocAddress]] = {}
        for i, clause in enumerate(parsed.positive):
            query = Q.boolean_query([(Must, clause_query(self.schema, clause)), *long_only])
            matched = _best_part_per_document(searcher, query, long_parts)
            if i == 0:
                best = matched
            else:
                best = {d: (score + matched[d][0], addr) for d, (score, addr) in best.items() if d in matched}
            if not best:
                break
        for clause in parsed.negative:
            if not best:
                break
            query = Q.boolean_query([(Must, clause_query(self.schema, clause)), long_only[0]])
            for doc_id in _best_part_per_document(searcher, query, long_parts):
                best.pop(doc_id, None)

        wanted = page * per_page
        ranked_whole = searcher.search(whole, limit=wanted, count=False).hits
        ranked_long = heapq.nlargest(wanted, best.values(), key=lambda pair: pair[0])
        merged = heapq.merge(ranked_whole, ranked_long, key=lambda pair: -pair[0])
        maker = SnippetMaker(parsed)
        hits = [
            self._hit(searcher, score, addr, maker)
            for score, addr in itertools.islice(merged, (page - 1) * per_page, wanted)
        ]
        facets, total = counting()
        long_facets: dict[str, list[FacetCount]] = {}
        if best:
            heads = Q.boolean_query(
                [(Must, Q.term_set_query(self.schema, f.DOC_ID, sorted(best))), (Must, self._heads())]
            )
            long_facets, long_total = self._facets_and_total(searcher, heads, every_value=True)
            total += long_total
        return total, hits, _merge_facets(facets, long_facets)  # then the top of each facet

    def _facets_later(
        self, searcher: tantivy.Searcher, query: tantivy.Query, *, every_value: bool = False
    ) -> Callable[[], tuple[dict[str, list[FacetCount]], int]]:
        """Start the facet counts and total; call the result for them. tantivy releases the
        GIL while it works, so the count (one more pass over every match) runs on a second
        core while this thread ranks, fetches and builds snippets; ranking skips counting."""
        if self.parallel_facets:
            return (
                self._pool().submit(self._facets_and_total, searcher, query, every_value=every_value).result
            )
        return lambda: self._facets_and_total(searcher, query, every_value=every_value)

    def _pool(self) -> ThreadPoolExecutor:
        with self._state_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-facets")
            return self._executor

    def _hit(
        self, searcher: tantivy.Searcher, score: float, addr: tantivy.DocAddress, maker: SnippetMaker
    ) -> Hit:
        doc = searcher.doc(addr)
        text = (doc.get_first(f.TEXT) or b"").decode("utf-8")
        return Hit(
            doc_id=doc.get_first(f.DOC_ID),
            case_id=doc.get_first(f.CASE_ID),
            case_name=doc.get_first(f.CASE_NAME) or "",
            doc_type=doc.get_first(f.DOC_TYPE) or "",
            title=doc.get_first(f.TITLE) or "",
            year=doc.get_first(f.YEAR),
            score=float(score),
            snippet_html=maker.snippet(
                text, more_before=bool(doc.get_first(f.TEXT_START)), more_after=bool(doc.get_first(f.MORE))
            ),
        )

    def _facets_and_total(
        self, searcher: tantivy.Searcher, query: tantivy.Query, *, every_value: bool = False
    ) -> tuple[dict[str, list[FacetCount]], int]:
        """Facet counts (the top ``FACET_SIZES``, or ``every_value``: all of them, for adding
        up with another set of documents before the top is taken) and the total."""
        spec: dict[str, object] = {
            name: {
                "terms": {
                    "field": name,
                    "size": FACET_SEGMENT_SIZE if every_value else size,
                    "segment_size": FACET_SEGMENT_SIZE,
                }
            }
            for name, size in FACET_SIZES.items()
        }
        result = searcher.aggregate(query, spec)
        facets: dict[str, list[FacetCount]] = {}
        for name in FACET_SIZES:
            buckets = result.get(name, {}).get("buckets", [])
            pairs = [(_key(b["key"]), int(b["doc_count"])) for b in buckets]
            pairs.sort(key=lambda p: (-p[1], p[0]))
            facets[name] = [FacetCount(str(value), count) for value, count in pairs]
        # Every document has exactly one doc_type, so its buckets add up to the total.
        by_type = result.get(f.DOC_TYPE, {})
        total = sum(int(b["doc_count"]) for b in by_type.get("buckets", [])) + int(
            by_type.get("sum_other_doc_count", 0)
        )
        return facets, total

    def close(self) -> None:
        with self._state_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def describe(self) -> str:
        return f"tantivy {self._gen.directory}"


def _count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    return int(searcher.search(query, limit=1, count=True).count or 0)


def _doc_ids(searcher: tantivy.Searcher, addrs: list[tantivy.DocAddress]) -> list[int]:
    return list(searcher.fast_field_values(f.DOC_ID, addrs)) if addrs else []


def _best_part_per_document(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int
) -> dict[int, tuple[float, tantivy.DocAddress]]:
    """doc_id → (score, address) of its best-scoring part among the parts ``query`` matches."""
    found = searcher.search(query, limit=max(limit, 1), count=False).hits
    best: dict[int, tuple[float, tantivy.DocAddress]] = {}
    for (score, addr), doc_id in zip(found, _doc_ids(searcher, [a for _, a in found]), strict=True):
        if doc_id not in best or score > best[doc_id][0]:
            best[doc_id] = (score, addr)
    return best


def _merge_facets(
    a: dict[str, list[FacetCount]], b: dict[str, list[FacetCount]]
) -> dict[str, list[FacetCount]]:
    """The counts of two disjoint sets of documents, added up per value."""
    merged: dict[str, list[FacetCount]] = {}
    for name in FACET_SIZES:
        counts: dict[str, int] = {}
        for facet in (*a.get(name, ()), *b.get(name, ())):
            counts[facet.value] = counts.get(facet.value, 0) + facet.count
        ordered = sorted(counts.items(), key=lambda p: (-p[1], _sort_key(p[0])))
        merged[name] = [FacetCount(value, count) for value, count in ordered[: FACET_SIZES[name]]]
    return merged


def _sort_key(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def _key(value: object) -> object:
    """Numeric fast-field keys may come back as floats; show them as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _empty_facets() -> dict[str, list[FacetCount]]:
    return {name: [] for name in FACET_SIZES}
