"""Chinese text analysis shared by indexing, querying and snippets.

The stored text keeps the characters as extracted; width and compatibility folding happens
only where text is matched:

``normalize_text`` (ingest, before the text is stored and shown)
    NFC, removal of zero-width and control characters, one ``\n`` for every kind of line
    break, and collapse of blank space: a run that holds a line break becomes one ``\n``
    (paragraphs stay paragraphs), any other run one space. Full-width punctuation, digits
    and letters stay as they are (“案源编号：AY-2020-0103，合同（三）”). PDF line wraps, and
    the blank space a PDF leaves between two Han characters, are removed earlier by the PDF
    extractor, which alone knows that its lines are visual (``ingest.extract.pdf``). It also
    stores the CJK radicals a PDF font gives for ideographs as the ideographs
    (``CJK_RADICAL_FOLD``: ⻓期 → 长期), since they are what the page shows and what a reader
    copies; other texts keep them, and the index folds them as the PDF extractor does.

``fold_text`` (inside ``units``, ``index_fields`` and ``normalize_query``)
    NFKC width and compatibility folding: （）→ (), full-width digits → ASCII, and CJK
    radicals → ideographs (Kangxi radicals and the radicals supplement: ⽣ → 生, ⻓ → 长).
    It may change the length of the text.

``fold_same_length`` (the snippet matcher)
    A one-to-one fold (``SAME_LENGTH_FOLD``: full-width forms → ASCII, U+3000 → space, CJK
    radicals → ideographs), so that a match found in the folded copy has the same offsets in
    the stored text, which is what the snippet shows.

``units``
    The folded text as a sequence of *units*: every Han character is one unit, every run
    of other letters or digits is one unit (lower-cased, cut every 64 characters).
    Punctuation and blank space are dropped, so unit positions run on across them.

The index holds two fields built from the units (see docs/design/search-engine.md):
``grams`` (overlapping bigrams of consecutive units) answers every run of two or more
units as a phrase; ``units`` answers a single unit.  Units ignore blank space, so a line
break inside a phrase never stops it from matching.

Only the first ``MAX_INDEXED_CHARS`` characters of a document are indexed
(``indexed_part``): the memory the engines need for one document grows with its text, and
this bounds it. The whole text stays stored in the database and shown on the document page.

TODO traditional → simplified: not done yet. Plan (docs/design/search-engine.md): a
one-to-one character table from OpenCC added to ``fold_text`` and ``SAME_LENGTH_FOLD``,
so offsets in the stored text do not move; then bump SCHEMA_VERSION and reindex.
"""

from __future__ import annotations

import io
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from search.radical_fold import EQUIVALENT_UNIFIED_IDEOGRAPH

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
_BLANK_RUN_RE = re.compile(r"[^\S\n]+")
# After _BLANK_RUN_RE, any blank run holding a line break (linear: no nested repetition).
_BREAK_RUN_RE = re.compile(r" ?\n[ \n]*")
_SPACE_RUN_RE = re.compile(r"\s+")
# A character that ends a letter/digit run: where a text can be cut without cutting a unit.
_UNIT_END_RE = re.compile(f"[\\W_{HAN_RANGES}]")

# CJK radicals that stand for an ideograph (PDF fonts often map glyphs to the Kangxi radical
# ⽣ U+2F63 instead of 生 U+751F, or to the radicals supplement: ⻓ U+2ED3 for 长, ⻔ U+2ED4 for
# 门): radical → the ideograph, one character each. Unicode's Equivalent_Unified_Ideograph
# (search/radical_fold.py, generated): the Kangxi radicals as NFKC folds them, and the CJK
# Radicals Supplement, which NFKC leaves alone but for two (⺟ ⻳).
CJK_RADICAL_FOLD: dict[int, str] = {
    code: chr(target) for code, target in EQUIVALENT_UNIFIED_IDEOGRAPH.items()
}
# Runs of CJK radicals (the radicals supplement and the Kangxi radicals).
_RADICALS_RE = re.compile("[\u2e80-\u2fdf]+")
# The one-to-one part of fold_text, for str.translate: full-width ASCII variants → ASCII,
# the ideographic space → a space, CJK radicals → ideographs.
SAME_LENGTH_FOLD: dict[int, str] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    0x3000: " ",
    **CJK_RADICAL_FOLD,
}
# The characters of SAME_LENGTH_FOLD that can change a match: full-width digits and letters
# (with ［＼］＾＿｀), CJK radicals. Full-width punctuation and U+3000 need no folding: the
# matcher treats them like their ASCII forms (both are \W, U+3000 is \s, case-number
# brackets are matched in either width). Chinese text is full of ，：（）, these are rare, so
# folding just their runs costs a scan of the text and nothing more in the usual case.
_SAME_LENGTH_RUN_RE = re.compile("[\u2e80-\u2fdf\uff10-\uff19\uff21-\uff5a]+")

# Only this much of a document's text is indexed (see ``indexed_part``): about 1,400 pages
# of a PDF. The engines' memory for one document grows with the text they index.
MAX_INDEXED_CHARS = 2_000_000
# index_fields works through the text in pieces of about this size, so that its per-token
# lists stay small whatever the document's length.
INDEX_CHUNK_CHARS = 8192

# A letter/digit unit carries this mark in the index, so that the bigram of ``1`` and
# ``2345`` (``1_2345_``) differs from that of ``12`` and ``345`` (``12_345_``).
RUN_MARK = "_"


def normalize_text(text: str) -> str:
    """Normalise extracted text before it is stored (and shown, and indexed).

    The characters stay as extracted (NFC; no width folding): only zero-width and control
    characters go, line breaks become ``\n`` and blank space collapses. A line break is kept
    (runs of blank lines become one): in DOCX and text files it ends a paragraph or a
    heading. Other blank space collapses to one space.

    >>> normalize_text("（２０２３）京0105民初 12345号，合同\u3000纠纷\\n\\n 判决如下")
    '（２０２３）京0105民初 12345号，合同 纠纷\\n判决如下'
    """
    text = _clean(text)
    text = _BLANK_RUN_RE.sub(" ", text)
    text = _BREAK_RUN_RE.sub("\n", text)
    return text.strip()


# Streaming normalisation (``TextNormalizer``, ``normalize_pieces``): the longest piece it
# gives, in characters.
MAX_PIECE_CHARS = 65536

# The starters (canonical combining class 0) before which NFC may still change the text: the
# ones it composes with the character before them (Hangul vowel and final jamo, some vowel
# signs and length marks of Indic and other scripts) and the ones whose decomposition starts
# with such a character or a combining mark. Derived from Python's Unicode data
# (tests/search/test_stream_normalize.py recomputes it for the running version).
_NFC_JOINING_STARTERS = frozenset(
    "\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0cc2\u0cd5\u0cd6\u0d3e\u0d57\u0dcf\u0ddf"
    "\u0f73\u0f75\u0f81\u0fb5\u0fb7\u102e\u1b35"
    "\U00011127\U0001133e\U00011357\U000114b0\U000114ba\U000114bd\U000115af\U00011930"
    + "".join(map(chr, range(0x1161, 0x1176)))  # Hangul vowel jamo (L + V → LV)
    + "".join(map(chr, range(0x11A8, 0x11C3)))  # Hangul final jamo (LV + T → LVT)
)


def nfc_boundary(char: str) -> bool:
    """Whether NFC leaves the text before ``char`` alone whatever follows it:
    ``NFC(a + char + b) == NFC(a) + NFC(char + b)`` for every ``a`` and ``b``. True for a
    starter that composes with nothing before it; false for a combining mark and for
    ``_NFC_JOINING_STARTERS``."""
    return char < "\u0300" or not (unicodedata.combining(char) or char in _NFC_JOINING_STARTERS)


class TextNormalizer:
    """``normalize_text`` of a text that comes in pieces: ``feed`` it each piece in order,
    then call ``finish`` once. The pieces they return, joined, are exactly
    ``normalize_text`` of the pieces fed, joined, wherever these were cut; each is non-empty
    and at most ``max_chars`` characters long.

    What it keeps between pieces stays small, so a long document is never held whole:

    * the characters since the last NFC boundary (``nfc_boundary``), as NFC may still
      compose them with what follows (a letter and the combining accent of the next piece,
      Hangul jamo). Normally one character; only a run of combining marks is held whole,
      since NFC orders such a run as a whole;
    * the kind of blank space since the last text written (none, a space, or a run with a
      line break): it is written, collapsed, only once text follows, which also collapses
      runs cut between pieces (``"\\r"`` | ``"\\n"``, blank lines) and drops the blank space
      at either end as ``.strip()`` does.
    """

    def __init__(self, max_chars: int = MAX_PIECE_CHARS) -> None:
        if max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        self._max = max_chars
        self._held = ""  # not yet normalised: NFC may still combine it with what follows
        self._blank = ""  # "", " " or "\n": the blank run since the last text written
        self._started = False  # text was written (blank space before it is dropped)

    def feed(self, piece: str) -> list[str]:
        """The normalised pieces that ``piece`` completes (often one, maybe none)."""
        out: list[str] = []
        for start in range(0, len(piece), self._max):
            self._feed_slice(piece[start : start + self._max], out)
        return out

    def finish(self) -> list[str]:
        """The rest of the text; trailing blank space is dropped."""
        out: list[str] = []
        held, self._held = self._held, ""
        if held:
            self._write(held, out)
        self._blank = ""
        return out

    def _feed_slice(self, piece: str, out: list[str]) -> None:
        held = self._held
        text = held + piece if held else piece
        # Cut before the last NFC boundary; the held characters hold none after their first.
        cut = 0
        for i in range(len(text) - 1, max(len(held), 1) - 1, -1):
            if nfc_boundary(text[i]):
                cut = i
                break
        self._held = text[cut:]
        if cut:
            self._write(text[:cut], out)

    def _write(self, raw: str, out: list[str]) -> None:
        """Normalise ``raw`` (the text up to an NFC boundary) after what was written; append it."""
        text = _clean(raw)
        lead = len(text) - len(text.lstrip())
        if lead == len(text):  # blank space only (or nothing)
            self._blank = _merge_blank(self._blank, text)
            return
        end = len(text.rstrip())
        blank = _merge_blank(self._blank, text[:lead])
        body = _BREAK_RUN_RE.sub("\n", _BLANK_RUN_RE.sub(" ", text[lead:end]))
        if self._started and blank:
            body = blank + body
        self._started = True
        self._blank = _merge_blank("", text[end:])
        for start in range(0, len(body), self._max):
            out.append(body[start : start + self._max])


def _merge_blank(pending: str, run: str) -> str:
    """The collapsed form of the blank run ``pending`` continued by ``run`` (cleaned text:
    every line break is already ``\\n``)."""
    if not run:
        return pending
    return "\n" if pending == "\n" or "\n" in run else " "


def normalize_pieces(pieces: Iterable[str], max_chars: int = MAX_PIECE_CHARS) -> Iterator[str]:
    """``normalize_text("".join(pieces))`` as a stream of non-empty pieces of at most
    ``max_chars`` characters (see ``TextNormalizer``)."""
    normalizer = TextNormalizer(max_chars)
    for piece in pieces:
        yield from normalizer.feed(piece)
    yield from normalizer.finish()


def normalize_query(text: str) -> str:
    """Normalise and fold a query (``fold_text``); blank space is kept (collapsed to one
    space): in a query it separates terms, even between two Han characters."""
    return _SPACE_RUN_RE.sub(" ", fold_text(_clean(text))).strip()


def fold_text(text: str) -> str:
    """NFKC width and compatibility folding, for matching only (never for display):
    ``（２０２３）Ａ，`` → ``(2023)A,``, and CJK radicals → ideographs (``CJK_RADICAL_FOLD``:
    ``⻓期`` → ``长期``, which NFKC leaves alone). The result may be shorter or longer than
    ``text``."""
    text = _RADICALS_RE.sub(_fold_radicals, text)
    # Full-width forms are by far the commonest change NFKC makes to Chinese text; mapping
    # them first lets the (slower) full NFKC pass be skipped when nothing else is left.
    text = _FULLWIDTH_RE.sub(_fullwidth_to_ascii, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def fold_same_length(text: str) -> str:
    """``text`` folded for the snippet matcher character for character, so that every
    offset into the result is the same offset into ``text``: full-width letters and digits
    → ASCII, CJK radicals → ideographs (``SAME_LENGTH_FOLD`` applied to every run of such
    characters). Returns ``text`` itself when it holds none (the usual case)."""
    return _SAME_LENGTH_RUN_RE.sub(_fold_run, text)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(SAME_LENGTH_FOLD)


def _fold_radicals(match: re.Match[str]) -> str:
    return match.group().translate(CJK_RADICAL_FOLD)


def _clean(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _LINE_BREAK_RE.sub("\n", text)
    return _CONTROL_RE.sub(" ", text)


def _fullwidth_to_ascii(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def is_han(char: str) -> bool:
    return bool(_HAN_CHAR_RE.fullmatch(char))


def units(text: str) -> list[str]:
    """The index units of ``text`` (folded here with ``fold_text``): each Han character, and
    each run of other letters or digits, lower-cased and marked with ``RUN_MARK``
    (``１２３４５号`` → ``['12345_', '号']``)."""
    lowered = fold_text(text).lower()
    return _units_between(lowered, 0, len(lowered))


def grams(unit_seq: Sequence[str]) -> list[str]:
    """Overlapping bigrams of consecutive units; a single unit stands for itself."""
    if len(unit_seq) == 1:
        return [unit_seq[0]]
    return list(map(operator.add, unit_seq, unit_seq[1:]))


def index_fields(text: str) -> tuple[str, str]:
    """(grams, units) of ``text`` as whitespace-separated tokens, ready for a field that
    the engine splits on whitespace (positions = token order); the same tokens as
    ``grams(units(text))`` and ``units(text)``.

    ``text`` is folded here (``fold_text``), so the stored text, with its full-width
    characters, gives the same tokens as its folded form.

    Built a piece of about ``INDEX_CHUNK_CHARS`` at a time, never as one list of every
    token (a Python string per token costs some 75 bytes): besides the two results, the
    memory used is one folded, lower-cased copy of ``text`` and the tokens of one piece.
    """
    lowered = fold_text(text).lower()
    n = len(lowered)
    gram_out = io.StringIO()
    unit_out = io.StringIO()
    last = ""  # the last unit of the previous piece, for the bigram that spans the cut
    gram_sep = ""
    pos = 0
    while pos < n:
        end = n
        if n - pos > INDEX_CHUNK_CHARS:
            # Cut after a character that ends any letter/digit run, so that every piece
            # gives exactly the units the whole text gives there (runs are cut every 64
            # characters counted from their start).
            cut = _UNIT_END_RE.search(lowered, pos + INDEX_CHUNK_CHARS)
            end = cut.end() if cut else n
        piece = _units_between(lowered, pos, end)
        pos = end
        if not piece:
            continue
        piece_grams = " ".join(map(operator.add, piece, piece[1:]))
        if last:
            bridge = last + piece[0]
            piece_grams = f"{bridge} {piece_grams}" if piece_grams else bridge
            unit_out.write(" ")
        if piece_grams:
            gram_out.write(gram_sep)
            gram_out.write(piece_grams)
            gram_sep = " "
        unit_out.write(" ".join(piece))
        last = piece[-1]
    units_joined = unit_out.getvalue()
    del unit_out
    if " " not in units_joined:  # no unit or one: a single unit stands for itself
        return units_joined, units_joined
    return gram_out.getvalue(), units_joined


def _units_between(lowered: str, start: int, end: int) -> list[str]:
    out: list[str] = []
    extend = out.extend
    append = out.append
    for han, run in _RUN_RE.findall(lowered, start, end):
        if han:
            extend(han)
        else:
            append(run + RUN_MARK)
    return out


def indexed_part(text: str, limit: int | None = None) -> str:
    """The part of a document's text that is indexed: all of it up to ``limit`` (default
    ``MAX_INDEXED_CHARS``) characters, else the first ``limit`` characters, without the
    letter/digit run that the cut would split (so no unit is indexed that the text does
    not hold)."""
    if limit is None:
        limit = MAX_INDEXED_CHARS
    if len(text) <= limit:
        return text
    cut = limit
    # Back off to the start of a letter/digit run that the cut would split (runs longer
    # than a unit are cut into units anyway: look back one unit at most).
    while (
        cut > limit - MAX_UNIT_CHARS
        and not _UNIT_END_RE.match(text, cut - 1)
        and not _UNIT_END_RE.match(text, cut)
    ):
        cut -= 1
    return text[:cut]


def unit_pattern(unit: str) -> str:
    """A regular expression that finds ``unit`` as a whole unit in text folded by
    ``fold_same_length`` (a digit run does not match inside a longer run; compile it with
    ``re.IGNORECASE`` to match letters without regard to case)."""
    if unit.endswith(RUN_MARK):
        body = re.escape(unit[: -len(RUN_MARK)])
        return f"(?<!{ALNUM_NOT_HAN}){body}(?!{ALNUM_NOT_HAN})"
    return re.escape(unit)


# Between two units the index ignores anything that is not a unit.
UNIT_GAP_PATTERN = r"[\W_]*"


def phrase_pattern(unit_seq: Sequence[str]) -> str:
    """A regular expression for the consecutive units ``unit_seq`` in text folded by
    ``fold_same_length``, with punctuation and blank space allowed between them as the index
    allows it."""
    return UNIT_GAP_PATTERN.join(unit_pattern(u) for u in unit_seq)
