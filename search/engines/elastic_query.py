"""Turning a ``ParsedQuery`` and the request's filters into one Elasticsearch search body,
and the response into hits (with ``search.snippets`` snippets) and facets.

The clauses mirror ``search.engines.tantivy_query`` term for term, so both engines find
the same documents: a single unit is a term of ``units``, two units one bigram of
``grams``, more units the phrase of all their consecutive bigrams (which pins every unit,
exactly like the embedded engine's shorter gram plan). Filters (case, document types,
years, the cases the user may see) sit in the bool query's ``filter``, so totals, paging
and facets all reflect them. A ``should`` clause on the analysed ``text`` field adds
word-level and bigram relevance to the ranking and never changes what matches.
"""

from __future__ import annotations

from typing import Any

from search.analysis import grams
from search.api import FacetCount, Hit, SearchRequest
from search.engines import elastic_mapping as f
from search.query import CaseNumberClause, Clause, ParsedQuery
from search.snippets import SnippetMaker

TITLE_BOOST = 2.0
RANKING_BOOST = 0.2  # weight of the word/bigram relevance on the analysed text
FACET_FIELDS = (f.DOC_TYPE, f.CASE_ID, f.YEAR)
FACET_SIZE = 50

Query = dict[str, Any]


def units_query(units: tuple[str, ...], grams_field: str, units_field: str, boost: float = 1.0) -> Query:
    """The units occur together and in order in the field."""
    if len(units) == 1:
        return {"term": {units_field: {"value": units[0], "boost": boost}}}
    if len(units) == 2:
        return {"term": {grams_field: {"value": units[0] + units[1], "boost": boost}}}
    return {"match_phrase": {grams_field: {"query": " ".join(grams(units)), "boost": boost}}}


def clause_query(clause: Clause) -> Query:
    phrase = clause.fallback_units if isinstance(clause, CaseNumberClause) else clause.units
    alternatives: list[Query] = []
    if phrase is not None:
        alternatives += [
            units_query(phrase, f.GRAMS, f.UNITS),
            units_query(phrase, f.TITLE_GRAMS, f.TITLE_UNITS, TITLE_BOOST),
        ]
    if isinstance(clause, CaseNumberClause):
        alternatives.append(
            {"term": {f.CASE_NUMBERS: {"value": clause.number.canonical, "boost": TITLE_BOOST}}}
        )
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


def filter_queries(request: SearchRequest) -> list[Query]:
    filters: list[Query] = []
    if request.case_id is not None:
        filters.append({"term": {f.CASE_ID: request.case_id}})
    if request.doc_types:
        filters.append({"terms": {f.DOC_TYPE: list(request.doc_types)}})
    if request.years:
        filters.append({"terms": {f.YEAR: list(request.years)}})
    if request.visible_case_ids is not None:
        filters.append({"terms": {f.CASE_ID: sorted(request.visible_case_ids)}})
    return filters


def build_query(parsed: ParsedQuery, request: SearchRequest) -> Query:
    query: dict[str, Any] = {"must": [clause_query(c) for c in parsed.positive]}
    if parsed.negative:
        query["must_not"] = [clause_query(c) for c in parsed.negative]
    filters = filter_queries(request)
    if filters:
        query["filter"] = filters
    ranking_text = " ".join(c.text for c in parsed.positive)
    query["should"] = [{"match": {f.TEXT: {"query": ranking_text, "boost": RANKING_BOOST}}}]
    return {"bool": query}


def facet_aggregations() -> dict[str, Any]:
    return {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}


def search_body(parsed: ParsedQuery, request: SearchRequest, *, offset: int, size: int) -> dict[str, Any]:
    """Keyword arguments for ``Elasticsearch.search``: one round trip gives the page of hits,
    the exact total and the facet counts."""
    return {
        "query": build_query(parsed, request),
        "from_": offset,
        "size": size,
        "track_total_hits": True,
        "sort": [{"_score": "desc"}, {f.DOC_ID: "asc"}],
        "source_includes": f.HIT_SOURCE,
        "aggregations": facet_aggregations(),
    }


def read_hit(raw: dict[str, Any], maker: SnippetMaker) -> Hit:
    source = raw["_source"]
    year = source.get(f.YEAR)
    return Hit(
        doc_id=int(source[f.DOC_ID]),
        case_id=int(source[f.CASE_ID]),
        case_name=source.get(f.CASE_NAME) or "",
        doc_type=source.get(f.DOC_TYPE) or "",
        title=source.get(f.TITLE) or "",
        year=int(year) if year is not None else None,
        score=float(raw.get("_score") or 0.0),
        snippet_html=maker.snippet(source.get(f.TEXT) or ""),
    )


def read_facets(aggregations: dict[str, Any]) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {}
    for name in FACET_FIELDS:
        buckets = aggregations.get(name, {}).get("buckets", [])
        pairs = [(b["key"], int(b["doc_count"])) for b in buckets]
        pairs.sort(key=lambda p: (-p[1], p[0]))  # as the embedded engine orders them
        facets[name] = [FacetCount(str(value), count) for value, count in pairs]
    return facets


def empty_facets() -> dict[str, list[FacetCount]]:
    return {name: [] for name in FACET_FIELDS}
