"""The search-index port: the data it takes and returns, and the interface every engine
implements (see tests/conformance/test_search_index.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


class SearchError(RuntimeError):
    """The engine failed (server down, index corrupt). Message in English for the log."""


class QueryError(ValueError):
    """The user's query cannot be understood. ``str(exc)`` is Chinese, for the user."""


@dataclass(frozen=True)
class IndexDoc:
    doc_id: int
    case_id: int
    case_name: str
    case_internal_no: str
    doc_type: str  # archive.doctypes.DocType value
    title: str
    filename: str
    # Extracted, normalised text (search.analysis.normalize_text already applied). Engines index
    # only its first search.analysis.MAX_INDEXED_CHARS characters.
    text: str = ""
    year: int | None = None  # year of the document (or of its upload)
    court_case_numbers: tuple[str, ...] = ()  # canonical 案号 of the case
    created_at: datetime | None = None
    # When set, the text is read from here instead of ``text``: a function that returns its
    # pieces in order, each time it is called (the database's stored chunks, read one at a
    # time), so a long document is never held whole. Engines read text only through
    # ``iter_text``.
    text_chunks: Callable[[], Iterable[str]] | None = field(default=None, compare=False, repr=False)

    def iter_text(self) -> Iterator[str]:
        """The text in pieces, in order (pieces may have any length, even 0)."""
        if self.text_chunks is None:
            yield self.text
        else:
            yield from self.text_chunks()

    def whole_text(self, limit: int | None = None) -> str:
        """The text as one string, read up to ``limit`` characters (then cut at ``limit``)."""
        if self.text_chunks is None:
            return self.text if limit is None else self.text[:limit]
        pieces: list[str] = []
        size = 0
        for piece in self.iter_text():
            pieces.append(piece)
            size += len(piece)
            if limit is not None and size >= limit:
                break
        text = "".join(pieces)
        return text if limit is None else text[:limit]


@dataclass(frozen=True)
class SearchRequest:
    query: str
    case_id: int | None = None
    doc_types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    # None: the user may see every case. Otherwise only these cases (applied inside the engine).
    visible_case_ids: frozenset[int] | None = None
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class Hit:
    doc_id: int
    case_id: int
    case_name: str
    doc_type: str
    title: str
    year: int | None
    score: float
    snippet_html: str  # HTML-escaped text with <mark>…</mark> around matches


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    page: int
    per_page: int
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)  # "doc_type", "case_id", "year"
    # What of the query was left out (too long, too many terms, a too long phrase), in
    # Chinese, for the user: the results were found without it.
    truncation_notes: tuple[str, ...] = ()

    @property
    def truncated(self) -> bool:
        return bool(self.truncation_notes)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchIndex(ABC):
    @abstractmethod
    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add or replace documents (by doc_id); visible to search when this returns."""

    @abstractmethod
    def delete(self, doc_ids: Iterable[int]) -> None: ...

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult: ...

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def doc_ids(self) -> set[int]:
        """Every doc_id in the index (for reconcile)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index content with ``docs``; returns how many were indexed.
        Engines may override to build aside and switch without downtime."""
        self.clear()
        n = 0
        batch: list[IndexDoc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 500:
                self.upsert(batch)
                n += len(batch)
                batch = []
        if batch:
            self.upsert(batch)
            n += len(batch)
        return n

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def describe(self) -> str:
        return type(self).__name__


def open_index(url: str) -> SearchIndex:
    """``tantivy:///abs/dir`` → embedded engine; ``http(s)://host:9200`` → Elasticsearch."""
    if url.startswith("tantivy://"):
        from pathlib import Path

        from search.engines.tantivy_engine import TantivyIndex

        return TantivyIndex(Path(url[len("tantivy://") :]))
    if url.startswith(("http://", "https://")):
        from search.engines.elastic import ElasticIndex

        return ElasticIndex.from_url(url)
    raise ValueError(f"unsupported SEARCH_URL: {url!r}")
