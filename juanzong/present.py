"""Plain-data views of search results, shared by the CLI's --json and the web UI."""

from __future__ import annotations

import html
import re

from archive.doctypes import DocType
from search.api import SearchResult

_TAG = re.compile(r"</?mark>")


def snippet_to_text(snippet_html: str) -> str:
    """The snippet without its <mark> tags, unescaped, for terminals."""
    return html.unescape(_TAG.sub("", snippet_html))


def doc_type_label(value: str) -> str:
    try:
        return DocType(value).label
    except ValueError:
        return value


# Facets whose values are numbers, given as numbers like the hits' own fields.
_NUMERIC_FACETS = frozenset({"case_id", "year"})


def _facet_value(name: str, value: str) -> str | int:
    return int(value) if name in _NUMERIC_FACETS and value.isdigit() else value


def result_to_dict(result: SearchResult) -> dict:
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        # Part of the query was not used; the notes say what (Chinese).
        "truncated": result.truncated,
        "truncation_notes": list(result.truncation_notes),
        "hits": [
            {
                "doc_id": h.doc_id,
                "case_id": h.case_id,
                "case_name": h.case_name,
                "doc_type": h.doc_type,
                "doc_type_label": doc_type_label(h.doc_type),
                "title": h.title,
                "year": h.year,
                "score": round(h.score, 4),
                "snippet_html": h.snippet_html,
                "snippet_text": snippet_to_text(h.snippet_html),
            }
            for h in result.hits
        ],
        "facets": {
            name: [{"value": _facet_value(name, f.value), "count": f.count} for f in counts]
            for name, counts in result.facets.items()
        },
    }
