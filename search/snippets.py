"""Snippets: the best short window of a document's stored text, HTML-escaped, with the
query's matches wrapped in ``<mark>``.

Built from the stored normalised text (never from index tokens), with the same notion of a
match as the index: the units of a clause in order, with punctuation or blank space between
them allowed, letters matched without regard to case.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from itertools import islice

from search.analysis import phrase_pattern
from search.casenumber import extend_to_opening, variant_pattern
from search.query import CaseNumberClause, ParsedQuery

SNIPPET_CHARS = 120
LEAD_CHARS = 16  # context shown before the first match of the window
MAX_MATCHES_PER_CLAUSE = 8  # the best window is nearly always among the first few
ELLIPSIS = "…"


class SnippetMaker:
    """Compiled once per query, then used for each hit."""

    def __init__(self, query: ParsedQuery, *, width: int = SNIPPET_CHARS) -> None:
        self.width = width
        self._patterns: list[re.Pattern[str]] = []
        self._case_clauses: set[int] = set()  # their matches may start at a bracket
        for i, clause in enumerate(query.positive):
            if isinstance(clause, CaseNumberClause):
                pattern = variant_pattern(clause.number, opening=False)
                self._case_clauses.add(i)
            else:
                pattern = phrase_pattern(clause.units)
            # Case folding only where there are cased letters: it keeps re's fast literal scan.
            cased = any(u.upper() != u for u in clause.units)
            flags = re.IGNORECASE if cased else 0
            self._patterns.append(re.compile(pattern, flags))

    def matches(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the first matches of each clause in ``text``, overlaps merged."""
        return _merge([(a, b) for a, b, _ in self._find(text)])

    def snippet(self, text: str) -> str:
        found = self._find(text)
        start, end = self._window(text, found)
        marks = _merge([(max(a, start), min(b, end)) for a, b, _ in found if start < b and a < end])
        parts: list[str] = [ELLIPSIS] if start > 0 else []
        pos = start
        for a, b in marks:
            parts.append(_escape(text[pos:a]))
            parts.append(f"<mark>{_escape(text[a:b])}</mark>")
            pos = b
        parts.append(_escape(text[pos:end]))
        if end < len(text):
            parts.append(ELLIPSIS)
        return "".join(parts)

    def _find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, clause) of the first few matches of every clause, sorted."""
        found: list[tuple[int, int, int]] = []
        for i, pattern in enumerate(self._patterns):
            for m in islice(pattern.finditer(text), MAX_MATCHES_PER_CLAUSE):
                a, b = m.span()
                if i in self._case_clauses:
                    if a and text[a - 1].isdigit():
                        continue  # the "year" is the tail of a longer number
                    a = extend_to_opening(text, a)
                if b > a:
                    found.append((a, b, i))
        found.sort()
        return found

    def _window(self, text: str, found: list[tuple[int, int, int]]) -> tuple[int, int]:
        """The window of ``width`` characters holding the most distinct clauses, then the
        most matches; the earliest such window wins."""
        n = len(text)
        if n <= self.width:
            return 0, n
        if not found:
            return 0, self.width
        starts = [a for a, _, _ in found]
        best: tuple[int, int] = (-1, -1)
        best_start = 0
        for anchor, _, _ in found:
            start = max(0, min(anchor - LEAD_CHARS, n - self.width))
            end = start + self.width
            candidates = found[bisect_left(starts, start) : bisect_left(starts, end)]
            inside = [c for _, b, c in candidates if b <= end]
            score = (len(set(inside)), len(inside))
            if score > best:
                best, best_start = score, start
        return best_start, best_start + self.width


def make_snippet(text: str, query: ParsedQuery, *, width: int = SNIPPET_CHARS) -> str:
    """HTML for one snippet of ``text`` (see SnippetMaker for many documents)."""
    return SnippetMaker(query, width=width).snippet(text)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _escape(text: str) -> str:
    return html.escape(text.replace("\n", " "), quote=True)
