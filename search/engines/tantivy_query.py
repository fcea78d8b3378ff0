"""Turning a ``ParsedQuery`` and the request's filters into one tantivy query.

Filters (case, document types, years, the cases the user may see) are part of the query
itself, so totals, paging and facets all reflect them.
"""

from __future__ import annotations

import tantivy

from search.api import SearchRequest
from search.engines import tantivy_schema as f
from search.query import CaseNumberClause, Clause, ParsedQuery, TextClause

TITLE_BOOST = 2.0

Q = tantivy.Query
Occur = tantivy.Occur


def units_query(schema: tantivy.Schema, units: tuple[str, ...], grams_field: str, units_field: str) -> Q:
    """The units occur together and in order in the field."""
    if len(units) == 1:
        return Q.term_query(schema, units_field, units[0], index_option="freq")
    if len(units) == 2:
        return Q.term_query(schema, grams_field, units[0] + units[1])
    plan = TextClause(units, "").gram_plan()
    return Q.phrase_query(schema, grams_field, plan)


def clause_query(schema: tantivy.Schema, clause: Clause) -> Q:
    phrase = clause.fallback_units if isinstance(clause, CaseNumberClause) else clause.units
    alternatives: list[tuple[tantivy.Occur, Q]] = []
    if phrase is not None:
        body = units_query(schema, phrase, f.GRAMS, f.UNITS)
        title = Q.boost_query(units_query(schema, phrase, f.TITLE_GRAMS, f.TITLE_UNITS), TITLE_BOOST)
        alternatives += [(Occur.Should, body), (Occur.Should, title)]
    if isinstance(clause, CaseNumberClause):
        number = Q.term_query(schema, f.CASE_NUMBERS, clause.number.canonical, index_option="basic")
        alternatives.append((Occur.Should, Q.boost_query(number, TITLE_BOOST)))
    return Q.boolean_query(alternatives)


def filter_queries(schema: tantivy.Schema, request: SearchRequest) -> list[Q]:
    filters: list[Q] = []
    if request.case_id is not None:
        filters.append(Q.term_query(schema, f.CASE_ID, request.case_id, index_option="basic"))
    if request.doc_types:
        filters.append(Q.term_set_query(schema, f.DOC_TYPE, list(request.doc_types)))
    if request.years:
        filters.append(Q.term_set_query(schema, f.YEAR, list(request.years)))
    if request.visible_case_ids is not None:
        filters.append(Q.term_set_query(schema, f.CASE_ID, sorted(request.visible_case_ids)))
    return filters


def build_query(schema: tantivy.Schema, parsed: ParsedQuery, request: SearchRequest) -> Q:
    parts: list[tuple[tantivy.Occur, Q]] = [(Occur.Must, clause_query(schema, c)) for c in parsed.positive]
    parts += [(Occur.MustNot, clause_query(schema, c)) for c in parsed.negative]
    # Filters score nothing: ranking stays BM25 on the text.
    parts += [(Occur.Must, Q.const_score_query(q, 0.0)) for q in filter_queries(schema, request)]
    return Q.boolean_query(parts)
