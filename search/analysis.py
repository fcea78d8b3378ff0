"""Chinese text analysis shared by indexing, querying and snippets.

Two steps, applied the same way to documents and to queries:

``normalize_text``
    NFKC width folding (（）→ (), full-width digits → ASCII), removal of the whitespace
    that PDF line wraps leave between two Han characters, and collapse of other blank
    space.  Case is kept so the stored text still reads well; matching is case-blind
    because the tokenizer lower-cases.

``units``
    The normalised text as a sequence of *units*: every Han character is one unit, every
    run of other letters or digits is one unit (lower-cased, cut every 64 characters).
    Punctuation and blank space are dropped, so unit positions run on across them.

The index holds two fields built from the units (see docs/design/search-engine.md):
``grams`` (overlapping bigrams of consecutive units) answers every run of two or more
units as a phrase; ``units`` answers a single unit.

TODO traditional → simplified: not done yet. Plan (docs/design/search-engine.md): a
one-to-one character table from OpenCC applied to units, queries and snippet matching, so
offsets in the stored text do not move; then bump SCHEMA_VERSION and reindex.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence

# Han ideographs: CJK Unified (incl. Ext A and the supplementary planes), compatibility
# ideographs, and 〇 (U+3007, used in dates such as 二〇二三年).
HAN_RANGES = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
MAX_UNIT_CHARS = 64

_HAN = f"[{HAN_RANGES}]"
# A letter or digit that is not Han: the material of multi-character units.
ALNUM_NOT_HAN = f"[^\\W_{HAN_RANGES}]"
# One match per Han run (group 1) or per letter/digit run (group 2, cut every 64 chars).
_RUN_RE = re.compile(f"({_HAN}+)|({ALNUM_NOT_HAN}{{1,{MAX_UNIT_CHARS}}})")
_HAN_CHAR_RE = re.compile(_HAN)

_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
# Blank space that NFKC leaves alone or that extractors emit.
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_BREAK_RE = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_HAN_GAP_RE = re.compile(f"(?<={_HAN})\\s+(?={_HAN})")
_SPACE_RUN_RE = re.compile(r"\s+")

# A letter/digit unit carries this mark in the index, so that the bigram of ``1`` and
# ``2345`` (``1_2345_``) differs from that of ``12`` and ``345`` (``12_345_``).
RUN_MARK = "_"


def normalize_text(text: str) -> str:
    """Normalise extracted text (before storing and indexing) or a query.

    >>> normalize_text("（２０２３）京0105民初\\n12345号，合同\\n纠纷")
    '(2023)京0105民初\\n12345号,合同纠纷'
    """
    text = _fold(text)
    text = _HAN_GAP_RE.sub("", text)
    text = _SPACE_RUN_RE.sub(_collapse_space, text)
    return text.strip()


def normalize_query(text: str) -> str:
    """Normalise a query like a document, except that blank space is kept (collapsed to
    one space): in a query it separates terms, even between two Han characters."""
    return _SPACE_RUN_RE.sub(" ", _fold(text)).strip()


def _fullwidth_to_ascii(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def _fold(text: str) -> str:
    # Full-width forms are by far the commonest change NFKC makes to Chinese text; mapping
    # them first lets the (slower) full NFKC pass be skipped when nothing else is left.
    text = _FULLWIDTH_RE.sub(_fullwidth_to_ascii, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _LINE_BREAK_RE.sub("\n", text)
    # NFKC already turned U+3000 (ideographic space) and NBSP into U+0020.
    return _CONTROL_RE.sub(" ", text)


def _collapse_space(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def is_han(char: str) -> bool:
    return bool(_HAN_CHAR_RE.fullmatch(char))


def units(text: str) -> list[str]:
    """The index units of normalised ``text``: each Han character, and each run of other
    letters or digits, lower-cased and marked with ``RUN_MARK`` (``12345号`` → ``['12345_', '号']``)."""
    out: list[str] = []
    extend = out.extend
    append = out.append
    for han, run in _RUN_RE.findall(text.lower()):
        if han:
            extend(han)
        else:
            append(run + RUN_MARK)
    return out


def grams(unit_seq: Sequence[str]) -> list[str]:
    """Overlapping bigrams of consecutive units; a single unit stands for itself."""
    if len(unit_seq) == 1:
        return [unit_seq[0]]
    return list(map(operator.add, unit_seq, unit_seq[1:]))


def index_fields(text: str) -> tuple[str, str]:
    """(grams, units) of ``text`` as whitespace-separated tokens, ready for a field that
    the engine splits on whitespace (positions = token order)."""
    unit_seq = units(text)
    if len(unit_seq) <= 1:
        joined = " ".join(unit_seq)
        return joined, joined
    return " ".join(map(operator.add, unit_seq, unit_seq[1:])), " ".join(unit_seq)


def unit_pattern(unit: str) -> str:
    """A regular expression that finds ``unit`` in normalised text as a whole unit
    (case-blind for letters; a digit run does not match inside a longer run)."""
    if unit.endswith(RUN_MARK):
        body = re.escape(unit[: -len(RUN_MARK)])
        return f"(?<!{ALNUM_NOT_HAN}){body}(?!{ALNUM_NOT_HAN})"
    return re.escape(unit)


# Between two units the index ignores anything that is not a unit.
UNIT_GAP_PATTERN = r"[\W_]*"


def phrase_pattern(unit_seq: Sequence[str]) -> str:
    """A regular expression for the consecutive units ``unit_seq`` in normalised text, with
    punctuation and blank space allowed between them as the index allows it."""
    return UNIT_GAP_PATTERN.join(unit_pattern(u) for u in unit_seq)
