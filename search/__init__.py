"""Full-text search: Chinese text analysis, the query language, result shaping, and the
search-index port with its engines. Callers use this facade only::

    from search import IndexDoc, SearchRequest, open_index
"""

from search.api import (
    FacetCount,
    Hit,
    IndexDoc,
    QueryError,
    SearchError,
    SearchIndex,
    SearchRequest,
    SearchResult,
    open_index,
)

__all__ = [
    "FacetCount",
    "Hit",
    "IndexDoc",
    "QueryError",
    "SearchError",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "open_index",
]
