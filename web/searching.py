"""The search page: query box, hits with highlighted snippets, facet filters and paging."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request
from sqlalchemy import select

from archive.doctypes import DocType
from archive.models import Case, CourtCaseNumber
from archive.users import visible_case_ids
from search.api import QueryError, SearchError, SearchRequest, SearchResult
from search.query import MAX_INPUT_CHARS, CaseNumberClause, parse_query
from web.access import case_or_404, signed_in_user
from web.db import current_runtime, get_db
from web.paging import page_arg, page_window, url_with

log = logging.getLogger(__name__)

bp = Blueprint("search", __name__)

HITS_PER_PAGE = 20
# The query is cut (and the cut told) by search.query; longer input is not even read.
MAX_QUERY_CHARS = MAX_INPUT_CHARS
ENGINE_DOWN = "搜索服务暂时不可用"
_DOC_TYPES = {dt.value: dt for dt in DocType}


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


def _years() -> tuple[int, ...]:
    years = {int(y) for y in request.args.getlist("year") if y.isdigit() and 1900 <= int(y) <= 2200}
    return tuple(sorted(years))


def _doc_types() -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in request.args.getlist("doc_type") if v in _DOC_TYPES))


def _toggled(values: tuple[str, ...], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


def _facet_links(result: SearchResult, case: Case | None) -> dict[str, list[FacetLink]]:
    doc_types = _doc_types()
    years = tuple(str(y) for y in _years())
    links: dict[str, list[FacetLink]] = {"doc_type": [], "case_id": [], "year": []}
    for facet in result.facets.get("doc_type", []):
        dt = _DOC_TYPES.get(facet.value)
        links["doc_type"].append(
            FacetLink(
                label=dt.label if dt else facet.value,
                count=facet.count,
                selected=facet.value in doc_types,
                url=url_with(doc_type=_toggled(doc_types, facet.value), page=None),
            )
        )
    case_facets = [f for f in result.facets.get("case_id", []) if f.value.isdigit()]
    wanted = [int(f.value) for f in case_facets]
    rows = get_db().execute(select(Case.id, Case.name).where(Case.id.in_(wanted))).all()
    names = {case_id: name for case_id, name in rows}
    for facet in case_facets:
        case_id = int(facet.value)
        if case_id not in names:
            continue  # a case deleted since it was indexed
        selected = case is not None and case.id == case_id
        links["case_id"].append(
            FacetLink(
                label=names[case_id],
                count=facet.count,
                selected=selected,
                url=url_with(case_id=None if selected else case_id, page=None),
            )
        )
    # Years read in order, newest first (not by count: 2023, 2022, 2021 … is how people scan them).
    year_facets = sorted(
        (f for f in result.facets.get("year", []) if f.value.isdigit()), key=lambda f: -int(f.value)
    )
    for facet in year_facets:
        links["year"].append(
            FacetLink(
                label=f"{facet.value}年",
                count=facet.count,
                selected=facet.value in years,
                url=url_with(year=_toggled(years, facet.value), page=None),
            )
        )
    return links


def _cases_registered_under(query: str, result: SearchResult) -> set[int]:
    """The cases on this page registered under a court case number the query names: their
    documents match it even where their text does not contain it, and the page says why."""
    # The numbers as the search read them (its positive case-number clauses).
    numbers = [c.number for c in parse_query(query).positive if isinstance(c, CaseNumberClause)]
    if not numbers or not result.hits:
        return set()
    wanted = {n.canonical for n in numbers} | {n.base for n in numbers}
    case_ids = {h.case_id for h in result.hits}
    rows = get_db().execute(
        select(CourtCaseNumber.case_id, CourtCaseNumber.canonical).where(
            CourtCaseNumber.case_id.in_(case_ids)
        )
    )
    return {case_id for case_id, canonical in rows if canonical in wanted}


@bp.get("/search")
def index():
    db = get_db()
    user = signed_in_user()
    query = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    raw_case_id = request.args.get("case_id", "").strip()
    if raw_case_id and not raw_case_id.isdigit():
        abort(404)
    case = case_or_404(int(raw_case_id)) if raw_case_id else None
    result: SearchResult | None = None
    error: str | None = None
    status = 200
    visible = visible_case_ids(db, user)
    if query:
        search_request = SearchRequest(
            query=query,
            case_id=case.id if case else None,
            doc_types=_doc_types(),
            years=_years(),
            visible_case_ids=visible,
            page=page_arg(),
            per_page=HITS_PER_PAGE,
        )
        try:
            result = current_runtime().index.search(search_request)
        except QueryError as exc:
            error = str(exc)
        except SearchError:
            log.exception("search engine failed for query %r", query)
            error = ENGINE_DOWN
            status = 503
    if result is not None and result.pages and result.page > result.pages:
        # A page past the end (an old link, a hand-edited URL): the last page there is.
        return redirect(url_with(page=result.pages))
    return render_template(
        "search/index.html",
        query=query,
        max_query_chars=MAX_QUERY_CHARS,
        case=case,
        result=result,
        error=error,
        facets=_facet_links(result, case) if result else None,
        registered_cases=_cases_registered_under(query, result) if result else set(),
        # Said with an empty result: the search covers only the cases this user may see.
        own_department=user.department if visible is not None and case is None else None,
        window=page_window(result.page, result.pages) if result else [],
    ), status
