"""Cutting a long text into bounded, overlapping *parts* for the embedded index.

An engine needs memory in proportion to the text of the entry it is adding (tokens, the
engine's copy of them, its postings): about 30 bytes a character for tantivy. A document is
therefore indexed as parts of at most ``PART_CHARS`` characters (plus the overlap), read
from its text stream one part at a time, so that indexing a 1,000-page record needs no more
memory than indexing a 30-page judgment.

Parts overlap by ``OVERLAP_CHARS``: every part also holds the first characters of the next
one, so any phrase that fits in the overlap (a query clause is at most
``search.query.MAX_CLAUSE_UNITS`` units; 2,000 characters leave room for any realistic
punctuation between them) lies whole inside some part and is found there. The engine makes
a match in any part a match of the document (see ``search.engines.tantivy_engine``).

Cuts fall just after a character that ends every letter/digit run (blank space,
punctuation or a Han character), so a part never splits a unit, and only the first
``search.analysis.MAX_INDEXED_CHARS`` characters of the text are indexed, cut as
``search.analysis.indexed_part`` cuts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from search import analysis
from search.analysis import _UNIT_END_RE, ALNUM_NOT_HAN, MAX_UNIT_CHARS, indexed_part

# The letter/digit run that ends at the search's end position (a cut inside it).
_RUN_BEFORE_RE = re.compile(f"{ALNUM_NOT_HAN}+\\Z")

PART_CHARS = 50_000
OVERLAP_CHARS = 2_000
LEAD_CHARS = 240  # text before and after a part kept with it for snippets (two widths)


@dataclass(frozen=True)
class Part:
    text: str  # what is indexed: from the part's start to the end of its overlap
    lead: str  # up to LEAD_CHARS characters before ``text``, for the snippet's context
    tail: str  # up to LEAD_CHARS characters after ``text``, likewise
    start: int  # offset of ``lead`` in the whole text
    last: bool  # no part follows
    more: bool  # the text goes on after ``tail``

    @property
    def shown(self) -> str:
        """The text a snippet is made from: the part with its context."""
        return self.lead + self.text + self.tail


def _boundary(text: str, at: int) -> int:
    """The first cut at or after ``at`` that splits no unit."""
    if at >= len(text):
        return len(text)
    found = _UNIT_END_RE.search(text, max(at - 1, 0), at + MAX_UNIT_CHARS)
    if found:
        return found.end()
    # Inside a run of more than a unit's length: cut where the index cuts it, a whole number
    # of units from the run's start, so both parts hold exactly the units of the whole text.
    run = _RUN_BEFORE_RE.search(text, 0, at)
    start = run.start() if run else at
    return start + -(-(at - start) // MAX_UNIT_CHARS) * MAX_UNIT_CHARS


def split_parts(
    pieces: Iterable[str],
    *,
    part_chars: int = PART_CHARS,
    overlap_chars: int = OVERLAP_CHARS,
    limit: int | None = None,
) -> Iterator[Part]:
    """The parts of the text given as ``pieces``: at least one
    (``""`` for an empty text). Holds at most about two parts of text at a time. Only the
    first ``limit`` characters count (default ``search.analysis.MAX_INDEXED_CHARS``)."""
    if limit is None:
        limit = analysis.MAX_INDEXED_CHARS
    if part_chars < 1 or overlap_chars < 0:
        raise ValueError("part_chars must be positive and overlap_chars not negative")
    # Enough text beyond a cut to place the overlap's end without running out of text.
    lookahead = part_chars + overlap_chars + 2 * MAX_UNIT_CHARS + LEAD_CHARS
    buf = ""
    offset = 0  # where buf starts in the whole text
    done = False
    lead = ""  # the characters just before buf
    pending: Part | None = None  # a part held back until we know whether another follows
    stream = iter(pieces)
    while True:
        while not done and len(buf) < lookahead:
            piece = next(stream, None)
            if piece is None:
                done = True
                break
            buf += piece
            if offset + len(buf) > limit:  # cut as indexed_part cuts the whole text
                buf = indexed_part(buf[: limit - offset + 1], limit - offset)
                done = True
        if len(buf) <= part_chars + overlap_chars and done:
            break
        cut = _boundary(buf, part_chars)
        end = _boundary(buf, cut + overlap_chars)
        if pending is not None:
            yield pending
        more = not done or end + LEAD_CHARS < len(buf)
        pending = Part(
            buf[:end], lead, buf[end : end + LEAD_CHARS], offset - len(lead), last=False, more=more
        )
        lead = (lead + buf[:cut])[-LEAD_CHARS:]
        buf = buf[cut:]
        offset += cut
    if pending is not None:
        yield pending
    yield Part(buf, lead, "", offset - len(lead), last=True, more=False)
