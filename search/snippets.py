"""Snippets: the best short window of a document's stored text, HTML-escaped, with the
query's matches wrapped in ``<mark>``.

Built from the stored text (never from index tokens), with the same notion of a match as the
index: the units of a clause in order, with punctuation or blank space between them allowed,
letters matched without regard to case, full-width letters and digits like ASCII ones.
Matches are found in a copy of the text folded character for character
(``search.analysis.fold_same_length``), so their offsets hold in the stored text, and the
snippet shows the stored characters (“案源编号：<mark>AY</mark>-…”, full-width and all).
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from itertools import islice

from search.analysis import SAME_LENGTH_FOLD, fold_same_length, phrase_pattern
from search.casenumber import extend_to_opening, variant_pattern
from search.query import CaseNumberClause, ParsedQuery

# What fold_same_length turns characters into (ASCII letters and digits, ideographs). A
# query none of whose units holds one matches a text as it matches the folded copy (the
# only exception: a CJK radical, \W, may sit inside a phrase match as punctuation would;
# PDF extraction maps radicals to ideographs), so the copy and its scan are skipped.
_FOLD_RESULTS = frozenset("".join(SAME_LENGTH_FOLD.values()).lower())

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
        self._fold = False  # whether matching needs the folded copy of a text
        for i, clause in enumerate(query.positive):
            self._fold = self._fold or not _FOLD_RESULTS.isdisjoint("".join(clause.units))
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
        return _merge([(a, b) for a, b, _ in self._find(self._folded(text))])

    def snippet(self, text: str, *, more_before: bool = False, more_after: bool = False) -> str:
        """The window of ``text`` as stored, escaped, matches in ``<mark>``. ``text`` may be
        a stretch of a longer text (``more_before``/``more_after``: it goes on beyond), which
        the ellipses show."""
        found = self._find(self._folded(text))
        start, end = self._window(text, found)
        if start > 0:  # after the ellipsis, not the end of the sentence before (“…。判令”)
            first = min((a for a, b, _ in found if start < b), default=end)
            while start < min(first, end) and _leading_junk(text[start]):
                start += 1
        marks = _merge([(max(a, start), min(b, end)) for a, b, _ in found if start < b and a < end])
        parts: list[str] = [ELLIPSIS] if start > 0 or more_before else []
        pos = start
        for a, b in marks:
            parts.append(_escape(text[pos:a]))
            parts.append(f"<mark>{_escape(text[a:b])}</mark>")
            pos = b
        parts.append(_escape(text[pos:end]))
        if end < len(text) or more_after:
            parts.append(ELLIPSIS)
        return "".join(parts)

    def _folded(self, text: str) -> str:
        """The copy of ``text`` to match on: same length, full-width letters and digits and
        CJK radicals folded (``text`` itself when the query cannot tell the difference)."""
        return fold_same_length(text) if self._fold else text

    def mark_all(self, text: str, *, anchor: str = "") -> tuple[str, int]:
        """``text`` escaped, every match of every clause in ``<mark>`` (the first with
        ``id=anchor`` when one is given), and how many marks there are: the document page's
        text with the searched words shown."""
        marks = _merge([(a, b) for a, b, _ in self._find(self._folded(text), limit=None)])
        parts: list[str] = []
        pos = 0
        for n, (a, b) in enumerate(marks):
            parts.append(html.escape(text[pos:a], quote=True))
            attr = f' id="{html.escape(anchor, quote=True)}"' if anchor and n == 0 else ""
            parts.append(f"<mark{attr}>{html.escape(text[a:b], quote=True)}</mark>")
            pos = b
        parts.append(html.escape(text[pos:], quote=True))
        return "".join(parts), len(marks)

    def _find(self, folded: str, *, limit: int | None = MAX_MATCHES_PER_CLAUSE) -> list[tuple[int, int, int]]:
        """(start, end, clause) of the first ``limit`` matches (all: None) of every clause in
        the folded copy of a text (the same offsets as in the text), sorted."""
        found: list[tuple[int, int, int]] = []
        for i, pattern in enumerate(self._patterns):
            for m in islice(pattern.finditer(folded), limit):
                a, b = m.span()
                if i in self._case_clauses:
                    if a and folded[a - 1].isdigit():
                        continue  # the "year" is the tail of a longer number
                    a = extend_to_opening(folded, a)
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


# What a window cut inside a text should not start with after its ellipsis: blank space and
# punctuation that closes or separates (an opening bracket or quote stays).
_OPENING = frozenset("（(《“‘「『[【〔<")


def _leading_junk(ch: str) -> bool:
    return ch.isspace() or (unicodedata.category(ch)[0] == "P" and ch not in _OPENING)


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
