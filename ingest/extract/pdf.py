"""PDF with pypdf (the customer's choice), page by page.

Memory does not grow with the page count: ``stream`` gives the text a page at a time, pypdf
reads the file through a file handle (given a path it would first read the whole file into
memory), and the page tree is walked here, one page at a time, instead of through
``reader.pages``, which builds the whole page list (some 4 KB a page, kept to the end).
After a page is read, its dictionary and content streams are dropped from pypdf's object
cache (fonts and other shared resources stay cached). The walk is pypdf's own
(``PdfDocCommon._flatten``: same order, inheritance, checks and limits), done twice: once
when the file is opened, to count the pages and to find a broken tree before any text is
given (as ``len(reader.pages)`` did), and once to read them. Should the walk fail where
pypdf's would not, pypdf's page list is used, as before. ``extract`` joins the pages
(tests, benchmarks).

A PDF's lines are visual: the layout wraps a sentence wherever the line is full (about 30
times a page, often inside a word). ``join_wrapped_lines`` removes those wraps on each page,
so the stored text reads in paragraphs; the line breaks that are real stay (see there). It
also removes the blank space that text extraction leaves between two Han characters (glyphs
placed one by one: 民 事 判 决 书), joins again the numbers and Latin words such placement split
(人民币1 2 3 4 5 6元, one digit a line), and maps CJK radicals that a font gives for ideographs back
to the ideographs (⽣ U+2F63 → 生, ⻓ U+2ED3 → 长). Pages are joined with a line break,
except where a sentence runs on across the page break: the last body line of a page is then
joined to the first of the next, past the page numbers and running headers and footers, which
follow the joined line (``_join_pages``; a page is given once the next is read, so one page is
held).

What was typed into a fillable form (AcroForm text and choice fields) is not in the page's
content: each value follows its page's text as a paragraph of its own (``_form_values``).
"""

from __future__ import annotations

import logging
import re
import struct
import warnings
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from pypdf import PageObject, PdfReader, get_configuration
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PdfReadWarning,
    PyPdfError,
)
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject, PdfObject

from ingest.errors import MSG_ENCRYPTED, MSG_NO_TEXT_LAYER, MSG_PDF_CORRUPT, ErrorCode, IngestError
from ingest.extract.base import Extracted, RawText
from juanzong.settings import Settings
from search.analysis import CJK_RADICAL_FOLD, HAN_RANGES

log = logging.getLogger(__name__)

# Han characters and the punctuation and symbols of Chinese text (CJK symbols and
# punctuation, full-width forms, quotation marks, dashes, ellipsis, middle dot).
_WIDE_CHARS = f"{HAN_RANGES}\u3000-\u303f\uff00-\uffef\u2014-\u2026\u00b7"
_WIDE_RE = re.compile(f"[{_WIDE_CHARS}]")
# A line that ends with one of these ends a sentence (or introduces a list: ：；).
SENTENCE_END = frozenset("。！？；：!?;:．")
# Closing quotes and brackets that may follow the sentence end: 。” or ！）
_CLOSERS = frozenset("”’」』）》】〕〗〉)]\"'")
# One line break inside a page: the last visible character of the line (group 1, trailing
# blanks skipped) and the first of the next line (group 2), which must start the line: a
# blank line, or a line that starts with blank space (an indented first line) is a new
# paragraph and never matches.
_LINE_BREAK_RE = re.compile(r"(?<=(\S))[^\S\n]*\n(?=(\S))")
# Horizontal blank space (anything \s but a line break) between two Han characters.
_HAN_GAP_RE = re.compile(f"(?<=[{HAN_RANGES}])[^\\S\\n]+(?=[{HAN_RANGES}])")
# Runs of CJK radicals (Kangxi radicals and the radicals supplement).
_RADICALS_RE = re.compile("[\u2e80-\u2fdf]+")
# A letter or digit that is not wide (not Han, not full-width): what numbers and Latin words
# are made of.
_NARROW_ALNUM = f"[^\\W_{_WIDE_CHARS}]"
# Two or more runs of narrow letters and digits, one space apart, on one line: "1 2 3 4 5 6",
# "A BC 2023" (what pypdf gives for glyphs placed one by one), or "100 200" (table columns).
_GLYPH_RUN_RE = re.compile(f"{_NARROW_ALNUM}+(?: {_NARROW_ALNUM}+)+")
_NARROW = re.compile(_NARROW_ALNUM)
# A lower-case letter: a token of two or more characters with one is an ordinary word.
_LOWER_RE = re.compile("[^\\W\\d_A-Z]")


def join_wrapped_lines(page_text: str) -> str:
    """Remove the visual line wraps from the text of one PDF page.

    A line break is removed where a Han character or Chinese punctuation meets it on
    either side (一案，本院于2023年3⏎月1日 → 3月), unless the line ends a sentence
    (。！？；：, also before a closing quote or bracket). It stays where the next line is
    blank or indented, and between two Latin letters or digits (a word or number that
    simply ends the line). Blank space between two Han characters on a line is removed
    too (民 事 判 决 书 → 民事判决书). Only blank space and line breaks are removed: the
    characters, and so the search units, are the same either way. CJK radicals become the
    ideographs they stand for, as the index folds them (⽣ → 生, ⻓ → 长).
    """
    text = _RADICALS_RE.sub(_ideographs, page_text)
    text = _LINE_BREAK_RE.sub(_join_or_keep, text)
    text = _HAN_GAP_RE.sub("", text)
    return _GLYPH_RUN_RE.sub(_glyph_run, text)


def _ideographs(match: re.Match[str]) -> str:
    return match.group().translate(CJK_RADICAL_FOLD)


def _join_or_keep(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if before in _CLOSERS:  # look through up to two closing marks: 。”） ends a sentence
        text, last = match.string, match.start(1)
        for back in (1, 2):
            if last < back:
                break
            before = text[last - back]
            if before not in _CLOSERS:
                break
    if before in SENTENCE_END:
        return match.group()
    if _WIDE_RE.match(before) or _WIDE_RE.match(after):
        return ""
    if _single_glyph_line(match):  # 人民币1⏎2⏎3⏎4元: glyphs placed one by one
        return ""
    return match.group()


def _single_glyph_line(match: re.Match[str]) -> bool:
    """Whether the line before the break, or the line after it, is one letter or digit alone
    (and the other side of the break a letter or digit too): what pypdf gives for a number
    or a word whose glyphs are placed one by one (each its own text object)."""
    text, before, after = match.string, match.start(1), match.end()
    if not (_NARROW.match(text, before) and _NARROW.match(text, after)):
        return False
    line_before = text[text.rfind("\n", 0, before) + 1 : before + 1]
    end = text.find("\n", after)
    line_after = text[after : len(text) if end < 0 else end]
    return len(line_before.strip()) == 1 or len(line_after.strip()) == 1


def _glyph_run(match: re.Match[str]) -> str:
    """Join the runs of narrow letters and digits that pypdf split with spaces where glyphs
    are placed one by one (人民币1 2 3 4 5 6 元, 编号A BC 2023): a run of three or more single
    glyphs; or runs with a single glyph among them that touch a Han character or Chinese
    punctuation (no space between), unless one is a lower-case word (说I love you). Other runs
    stay apart: table columns (100 200), a number alone (共 3 页), words (ABC Co)."""
    tokens = match.group().split(" ")
    singles = sum(len(token) == 1 for token in tokens)
    if not singles:
        return match.group()
    if singles == len(tokens) >= 3:
        return "".join(tokens)
    text, start, end = match.string, match.start(), match.end()
    touches = (start > 0 and _WIDE_RE.match(text, start - 1)) or (
        end < len(text) and _WIDE_RE.match(text, end)
    )
    if touches and not any(len(token) > 1 and _LOWER_RE.search(token) for token in tokens):
        return "".join(tokens)
    return match.group()


# --- page breaks ----------------------------------------------------------------------
# A sentence runs on across a page break under the page's footer and the next page's header:
# 买卖合⏎第 1 页 共 2 页⏎北京市朝阳区人民法院 民事判决书⏎同合法有效. The lines at the top and
# bottom of a page that are page furniture (a page number; a running header or footer: the
# same line at the same place on the page before or after) are set apart, the last body line
# of a page is joined to the first of the next as a wrapped line would be, and the furniture
# follows that joined line: 买卖合同合法有效。…⏎第 1 页 共 2 页⏎北京市朝阳区人民法院 民事判决书⏎…
#
# Page numbers that cannot be anything else: 第 N 页 (共 M 页), 共 M 页 第 N 页, - N -, Page N of M.
_PAGE_NUMBER_RE = re.compile(
    r"第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，/、]?\s*第\s*\d+\s*页"
    r"|[-–—]\s*\d+\s*[-–—]|(?i:page\s*\d+(?:\s*(?:of|/)\s*\d+)?)"
)
# Page numbers that could be text (a bare number, N / M): furniture only where the page
# before or after has one at the same place.
_BARE_NUMBER_RE = re.compile(r"\d{1,5}(?:\s*/\s*\d{1,5})?")
# How many lines at either end of a page may be furniture.
_FURNITURE_LINES = 3


def _furniture(lines: list[str], others: list[list[str]], from_end: bool) -> int:
    """How many lines at the top (or at the bottom, ``from_end``) of a page are furniture,
    compared with the raw lines of the pages around it (``others``); one line at least is
    left to the body."""
    count = 0
    first_repeated = None  # the first line taken for being the same as on a page around
    for i in range(min(_FURNITURE_LINES, len(lines) - 1)):
        at = -1 - i if from_end else i
        line = lines[at].strip()
        same_place = [o[at].strip() for o in others if len(o) > i]
        if line and line in same_place and not _PAGE_NUMBER_RE.fullmatch(line):
            first_repeated = count if first_repeated is None else first_repeated
        elif not (
            not line
            or _PAGE_NUMBER_RE.fullmatch(line)
            or (_BARE_NUMBER_RE.fullmatch(line) and any(_BARE_NUMBER_RE.fullmatch(o) for o in same_place))
        ):
            break
        count += 1
    if first_repeated is not None and count < len(lines):
        # Pages that go on the same past their furniture (the same text, a table's rows) hold
        # the same content, not a running header: only their page numbers are furniture.
        at = -1 - count if from_end else count
        if any(len(o) > count and o[at].strip() == lines[at].strip() for o in others):
            return first_repeated
    return count


def _ends(lines: list[str]) -> list[str]:
    """What is kept of a page's raw lines to compare with the pages around it: the first and
    last ``_FURNITURE_LINES`` and the line after them (at the same indexes from either end as
    in ``lines``)."""
    keep = _FURNITURE_LINES + 1
    if len(lines) <= 2 * keep:
        return lines
    return lines[:keep] + lines[-keep:]


def _furniture_text(lines: list[str]) -> list[str]:
    return [join_wrapped_lines(line) for line in lines]


def _join_pages(pages: Iterator[str]) -> Iterator[str]:
    """The raw text of each page (pypdf's) → a piece a page, each after the first starting
    with a line break, wrapped lines joined (``join_wrapped_lines``), also across a page
    break (see ``_PAGE_NUMBER_RE``). A page is given once the next is read: one page, and the
    ends of the one before, are held.

    The raw lines pulled onto the page before are left out when the page itself is given,
    by count: the page's own furniture is judged then against both its neighbours and may
    differ from what the page before saw, but no line is ever given twice or dropped."""
    before: list[str] = []  # the ends of the raw lines of the page before the held one
    held: list[str] | None = None  # the raw lines of the page read but not given yet
    held_top: int | None = None  # its furniture lines at the top, when already counted
    pulled = 0  # how many of its raw body lines (after the top ones) the page before took
    separator = ""
    for raw in _then_none(pages):
        lines = raw.split("\n") if raw is not None else None
        if held is not None:
            top = held_top
            if top is None:  # compared with the page before; the first page with the next
                top = _furniture(held, [before or lines or []], from_end=False)
            start = top + pulled
            bottom = _furniture(held[start:], [o for o in (before, lines) if o], from_end=True)
            body = join_wrapped_lines("\n".join(held[start : len(held) - bottom])).split("\n")
            head = [] if pulled else _furniture_text(held[:top])
            tail = _furniture_text(held[len(held) - bottom :])
            held_top, pulled = None, 0
            if lines is not None and body and body[-1].strip():
                next_top = _furniture(lines, [_ends(held)], from_end=False)
                next_bottom = _furniture(lines[next_top:], [_ends(held)], from_end=True)
                next_body = lines[next_top : len(lines) - next_bottom]
                taken = _first_line_count(next_body)
                next_first = join_wrapped_lines("\n".join(next_body[:taken]))
                joined = join_wrapped_lines(body[-1] + "\n" + next_first)
                if next_first.strip() and "\n" not in joined:
                    body[-1] = joined
                    tail += _furniture_text(lines[:next_top])
                    held_top, pulled = next_top, taken
            yield separator + "\n".join(head + body + tail)
            separator = "\n"
            before = _ends(held)
        held = lines


def _first_line_count(lines: list[str]) -> int:
    """How many of ``lines`` ``join_wrapped_lines`` makes into its first line (found by
    halving: a page of thousands of one-glyph lines stays fast). Whatever it answers, the
    lines it counts make one line, and the page gives the rest: nothing twice, nothing lost."""
    low, high = 1, len(lines)  # the first ``low`` lines make one line
    while low < high:
        mid = (low + high + 1) // 2
        if "\n" in join_wrapped_lines("\n".join(lines[:mid])):
            high = mid - 1
        else:
            low = mid
    return low


def _then_none(pages: Iterator[str]) -> Iterator[str | None]:
    yield from pages
    yield None


# What pypdf raises on a broken file besides its own errors (its docs say so).
BROKEN_PDF_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    zlib.error,
    struct.error,
    RecursionError,
    OverflowError,
)


def _corrupt(detail: str) -> IngestError:
    return IngestError(ErrorCode.CORRUPT, MSG_PDF_CORRUPT, detail)


def _open(source: BinaryIO, name: str) -> PdfReader:
    try:
        reader = PdfReader(source, strict=False)
    except BROKEN_PDF_ERRORS as exc:
        raise _corrupt(f"pypdf cannot open {name}: {exc!r}") from exc
    if reader.is_encrypted:
        try:
            result = reader.decrypt("")
        except DependencyError:
            raise  # a missing crypto library is our fault, not the file's
        except BROKEN_PDF_ERRORS as exc:
            raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, f"decrypt failed: {exc!r}") from exc
        if not result:  # PasswordType.NOT_DECRYPTED == 0
            raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, "PDF has a user password")
    return reader


def _forget_contents(reader: PdfReader, page: object) -> None:
    """Drop the page's (decoded) content streams from pypdf's cache."""
    try:
        contents = page.get("/Contents")  # type: ignore[attr-defined]
    except BROKEN_PDF_ERRORS:
        return
    refs = []
    if isinstance(contents, IndirectObject):
        refs.append(contents)
        obj = reader.resolved_objects.get((contents.generation, contents.idnum))
        if isinstance(obj, ArrayObject):
            refs.extend(r for r in obj if isinstance(r, IndirectObject))
    elif isinstance(contents, ArrayObject):
        refs.extend(r for r in contents if isinstance(r, IndirectObject))
    for ref in refs:
        reader.resolved_objects.pop((ref.generation, ref.idnum), None)


# What a page inherits from the nearest /Pages node above it that has it (pypdf's list).
_INHERITABLE = tuple(NameObject(key) for key in ("/Resources", "/MediaBox", "/CropBox", "/Rotate"))


class _Leaf(NamedTuple):
    """A page of the page tree: its dictionary, what it inherits, its reference (None when
    the dictionary is written inline in /Kids)."""

    node: DictionaryObject
    inherit: dict[str, Any]
    reference: IndirectObject | None


def _leaves(reader: PdfReader) -> Iterator[_Leaf]:
    """The pages in document order, found as pypdf's ``PdfDocCommon._flatten`` finds them
    (depth first over /Kids; the same checks, limits and exceptions), one at a time and
    without building the page list. The /Pages nodes stay in pypdf's cache (a cycle is
    found by their identity, as pypdf does); the caller drops each page's dictionary."""
    config = get_configuration()
    root = reader.root_object.get("/Pages", NullObject()).get_object()
    if not isinstance(root, DictionaryObject):
        raise PdfReadError("Invalid object in /Pages")
    entries = 0  # /Kids entries reached
    page_entries = config.page_tree_maximum_page_entries  # entries left to copy into pages
    ancestors: set[int] = set()  # id() of the /Pages nodes on the path to the current node
    # The /Pages nodes on that path whose /Kids are not exhausted: node, inherit, depth, kids.
    stack: list[tuple[DictionaryObject, dict[str, Any], int, Iterator[PdfObject]]] = []
    current: tuple[DictionaryObject, dict[str, Any], IndirectObject | None, int] | None
    current = (root, {}, None, 0)
    while current is not None:
        node, inherit, reference, depth = current
        if depth > config.page_tree_maximum_depth:
            raise LimitReachedError(
                f"Maximum page tree depth reached: {depth} > {config.page_tree_maximum_depth}."
            )
        kind = _node_type(node, reader.strict)
        if kind == "/Pages":
            ancestors.add(id(node))
            stack.append(_enter(node, inherit, depth))
        elif kind == "/Page":
            page_entries -= len(node) + sum(key not in node for key in inherit)
            if page_entries < 0:
                raise LimitReachedError("Maximum page tree page entry limit exceeded!")
            yield _Leaf(node, inherit, reference)
        current = None
        while stack and current is None:
            parent, parent_inherit, parent_depth, kids = stack[-1]
            for kid in kids:
                # A fresh object() each: two missing references are never equal (as pypdf).
                if getattr(kid, "indirect_reference", object()) == getattr(
                    parent, "indirect_reference", object()
                ):
                    raise PdfReadError("Detected cyclic page references.")
                obj = kid.get_object()
                if not isinstance(obj, DictionaryObject) or not obj:
                    continue  # not a dictionary, or an empty one: skipped, as pypdf does
                if id(obj) in ancestors:
                    raise PdfReadError("Detected cyclic page references.")
                entries += 1
                if entries > config.page_tree_maximum_entries:
                    raise LimitReachedError(
                        "Maximum page tree entry limit reached: "
                        f"{entries} > {config.page_tree_maximum_entries}."
                    )
                kid_reference = kid if isinstance(kid, IndirectObject) else None
                current = (obj, parent_inherit, kid_reference, parent_depth + 1)
                break
            else:
                stack.pop()
                ancestors.discard(id(parent))


def _node_type(node: DictionaryObject, strict: bool) -> object:
    """/Pages or /Page (anything else is skipped). Without /Type a node is a page unless it
    has /Kids."""
    if "/Type" in node:
        return node["/Type"]
    if "/Kids" in node:
        return "/Pages"
    if strict and not any(key in node for key in ("/Contents", "/MediaBox", "/Parent")):
        raise PdfReadError(f"Non-page object reached through /Kids: {node!r}")
    return "/Page"


def _enter(
    node: DictionaryObject, inherit: dict[str, Any], depth: int
) -> tuple[DictionaryObject, dict[str, Any], int, Iterator[PdfObject]]:
    """A /Pages node about to be walked: what its kids inherit, and its /Kids."""
    inherit = dict(inherit)  # the kids of the node above share the old one
    for key in _INHERITABLE:
        if key in node:
            inherit[key] = node[key]
    kids = node.get("/Kids", ArrayObject()).get_object()
    if isinstance(kids, NullObject):
        kids = ArrayObject()
    elif not isinstance(kids, ArrayObject):
        raise PdfReadError(f"Expected /Kids to be an array, got {type(kids).__name__}.")
    return node, inherit, depth, iter(kids)


def _page(reader: PdfReader, leaf: _Leaf) -> PageObject:
    """The page as pypdf's page list has it (``PdfDocCommon._flatten_leaf_page``)."""
    page = PageObject(reader, leaf.reference)
    page.update(leaf.node)
    for key, value in leaf.inherit.items():
        if key not in page:
            page[key] = value
    return page


def _forget_page(reader: PdfReader, leaf: _Leaf) -> None:
    if leaf.reference is not None:
        reader.resolved_objects.pop((leaf.reference.generation, leaf.reference.idnum), None)


def _count_pages(reader: PdfReader) -> int:
    """The number of pages the walk finds (the page dictionaries read are dropped again)."""
    count = 0
    for leaf in _leaves(reader):
        _forget_page(reader, leaf)
        count += 1
    return count


def _page_count(reader: PdfReader) -> tuple[int, bool]:
    """The page count, and whether the pages can be walked here (else pypdf's page list is
    used). A tree the walk cannot take is given to pypdf, so that a broken one is reported
    exactly as before (its error), and one pypdf takes is read as before."""
    try:
        return _nonzero(_count_pages(reader)), True
    except BROKEN_PDF_ERRORS as exc:
        log.info("page tree not walked (%r): pypdf's page list is used", exc)
    try:
        page_count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise IngestError(ErrorCode.ENCRYPTED, MSG_ENCRYPTED, repr(exc)) from exc
    except BROKEN_PDF_ERRORS as exc:
        raise _corrupt(f"page tree unreadable: {exc!r}") from exc
    return _nonzero(page_count), False


def _nonzero(page_count: int) -> int:
    if page_count == 0:
        raise _corrupt("PDF has no pages")
    return page_count


def stream(path: Path, settings: Settings) -> RawText:
    """The text page by page (pages joined with a line break). Opening, decryption and the
    page tree are checked here; a page that cannot be read is skipped (and logged), and only
    at the end can it be known that no page could be read, or that there is no text layer:
    the pieces raise that after the last page."""
    handle = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PdfReadWarning)
            reader = _open(handle, path.name)
            page_count, walked = _page_count(reader)
    except BaseException:
        handle.close()
        raise
    pages = _pages(reader, page_count, walked, path.name, handle)
    weakref.finalize(pages, handle.close)  # also when the pages are never read
    return RawText(pieces=_join_pages(pages), extractor="pypdf", page_count=page_count)


def _pages(reader: PdfReader, page_count: int, walked: bool, name: str, handle: BinaryIO) -> Iterator[str]:
    try:
        leaves = _leaves(reader) if walked else None
        failed = 0
        has_text = False
        for number in range(page_count):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PdfReadWarning)
                leaf = _next_leaf(leaves) if leaves is not None else None
                try:
                    page = _page(reader, leaf) if leaf is not None else reader.pages[number]
                    text = page.extract_text()
                    values = _form_values(page, name, number)
                    if values:
                        # Each value a paragraph of its own: never joined to its neighbours.
                        text = "\n\n".join([text, *values]) if text else "\n\n".join(values)
                except BROKEN_PDF_ERRORS as exc:
                    failed += 1
                    log.warning("PDF %s page %d unreadable: %r", name, number + 1, exc)
                    continue
                finally:
                    if leaf is not None:
                        _forget_page(reader, leaf)
                _forget_contents(reader, page)
            has_text = has_text or (bool(text) and not text.isspace())
            yield text
        if failed == page_count:
            raise _corrupt(f"none of the {page_count} pages could be read")
        if not has_text:
            raise IngestError(
                ErrorCode.NO_TEXT, MSG_NO_TEXT_LAYER, f"{page_count} pages without a text layer"
            )
    finally:
        handle.close()


# How far up a widget's /Parent chain its field's value is looked for.
_FIELD_DEPTH = 8


def _form_values(page: PageObject, name: str, number: int) -> list[str]:
    """What was typed into a fillable form's text and choice fields on this page, each value
    once, in the order of the page's widgets. The values live in the fields (AcroForm), not
    in the page's content, so ``extract_text`` never sees them; a flattened form has them in
    its content already. Check boxes and radio buttons (name values) are left out."""
    values: list[str] = []
    try:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if not isinstance(annots, ArrayObject):
            return values
        for ref in annots:
            widget = ref.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            field, value = widget, widget.get("/V")
            for _ in range(_FIELD_DEPTH):
                if value is not None or "/Parent" not in field:
                    break
                field = field["/Parent"].get_object()
                if not isinstance(field, DictionaryObject):
                    break
                value = field.get("/V")
            value = value.get_object() if value is not None else None
            items = list(value) if isinstance(value, ArrayObject) else [value]
            for item in items:
                item = item.get_object() if isinstance(item, IndirectObject) else item
                if isinstance(item, str) and not isinstance(item, NameObject):
                    text = item.strip()
                    if text and text not in values:
                        values.append(text)
    except (*BROKEN_PDF_ERRORS, AttributeError, TypeError) as exc:
        log.warning("PDF %s page %d: form fields unreadable: %r", name, number + 1, exc)
    return values


def _next_leaf(leaves: Iterator[_Leaf]) -> _Leaf:
    """The next page of the second walk. It is the walk that counted the pages when the file
    was opened, over the same objects, so it cannot end early or fail; should it all the
    same, the file is reported corrupt."""
    try:
        return next(leaves)
    except (StopIteration, *BROKEN_PDF_ERRORS) as exc:
        raise _corrupt(f"page tree changed while read: {exc!r}") from exc


def extract(path: Path, settings: Settings) -> Extracted:
    """The whole text (``stream`` joined)."""
    return stream(path, settings).extracted()
