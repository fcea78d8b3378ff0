"""DOCX: the text in this order, one block (a paragraph, a table row) a line:

1. the headers of every section, each distinct one once;
2. the body's paragraphs and tables in document order (nested tables inside their cell);
3. the footnotes, then the endnotes (at the foot of the page and at the end of the
   document when printed), without Word's separator notes;
4. the footers of every section, each distinct one once (the bottom of the page);
5. the comments (not printed, but what a lawyer noted on the document is searched too).

A table row is one line, its cells separated by `` | ``. Content controls (w:sdt) and custom
XML (w:customXml) are looked through; of tracked changes, the document as it reads now
(insertions and moved-here text, not deletions nor moved-away text). Not read: an altChunk
(an HTML, RTF or DOCX chunk imported whole, which Word converts only when it opens the
file), text boxes' fallback copies, field codes.

A Word document, a macro-enabled one (.docm) and a template (.dotx, .dotm) are read alike;
macros are never run (only XML parts are read, as text). The main part is the one the
package's officeDocument relationship names: word/document.xml usually, but not always.

Two readers give the same text (the tests compare them on every DOCX they have):

* python-docx (the customer's library) reads an ordinary DOCX: it parses the main part
  into one tree, so its memory grows with the body (3 to 10 MB per MB of XML, measured);
* when the main part inflates to more than ``settings.docx_stream_bytes``
  (``JUANZONG_DOCX_STREAM_MB``), the body is streamed with lxml's ``iterparse``: each child of
  w:body is read, turned into text by the same block functions and freed, so memory stays flat
  whatever the body's length. A first pass over the body collects only the sections' header
  and footer references (the last section's come at the very end, and headers are output
  first); the parts they name are read the same way, and a second pass gives the body.
  The notes and comments parts are parsed once ahead (their errors come before any piece)
  and streamed a note at a time after the body. Packages, relationships and content types
  are resolved as python-docx resolves them. The size that picks this reader is that of the
  main part with its notes and comments parts (python-docx would parse them whole too).

``stream`` gives the text block by block (a paragraph, a table row), never joined;
``extract`` joins it (tests, benchmarks).

The zip is checked first: not a zip → corrupt; more uncompressed data than
``settings.max_docx_uncompressed_bytes`` or an entry that inflates more than
``settings.max_docx_ratio`` times → zip bomb. ``zipfile`` never inflates an entry past its
declared size, so the declared sizes are a real bound. Both readers parse XML as python-docx
does: entities are never resolved, no DTD is loaded, nothing is fetched (no XXE), and
libxml2's default limits on node size and depth stay on.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any, NamedTuple

from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.parser import parse_xml
from docx.package import Package
from docx.parts.document import DocumentPart
from lxml import etree

from ingest.errors import MSG_DOCX_CORRUPT, MSG_ZIP_BOMB, ErrorCode, IngestError
from ingest.extract.base import Extracted, RawText
from juanzong.settings import Settings

log = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"w": W, "mc": MC}
_P, _TBL, _SDT, _TR, _TC = (f"{{{W}}}{n}" for n in ("p", "tbl", "sdt", "tr", "tc"))
_SDT_CONTENT, _T, _TAB, _BR, _CR = (f"{{{W}}}{n}" for n in ("sdtContent", "t", "tab", "br", "cr"))
_PTAB, _NO_BREAK_HYPHEN = (f"{{{W}}}{n}" for n in ("ptab", "noBreakHyphen"))
_CUSTOM_XML, _INS, _MOVE_TO = (f"{{{W}}}{n}" for n in ("customXml", "ins", "moveTo"))
# Looked through where blocks, rows or cells are read. Around runs (w:customXml, w:smartTag,
# w:ins, w:hyperlink, w:fldSimple… inside a paragraph) nothing needs doing: a paragraph's
# text is every w:t below it.
_LOOKED_THROUGH = frozenset({_CUSTOM_XML, _INS, _MOVE_TO})
_BODY, _PPR, _SECT_PR = (f"{{{W}}}{n}" for n in ("body", "pPr", "sectPr"))
_HEADER_REF, _FOOTER_REF, _W_TYPE = (f"{{{W}}}{n}" for n in ("headerReference", "footerReference", "type"))
_R_ID = f"{{{R}}}id"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RT_OFFICE_DOCUMENT = f"{R}/officeDocument"
# The main part's notes and comments parts, in their order in the text.
_RT_NOTES = (f"{R}/footnotes", f"{R}/endnotes")
_RT_COMMENTS = f"{R}/comments"
_NOTE_TAGS = frozenset(f"{{{W}}}{n}" for n in ("footnote", "endnote", "comment"))
_PACKAGE_RELS, _CONTENT_TYPES = PACKAGE_URI.rels_uri.membername, "[Content_Types].xml"
# The main part of a Word document, a macro-enabled document (.docm), a template (.dotx) and a
# macro-enabled template (.dotm): the same WordprocessingML, read alike. Only XML parts are
# ever read, as text: macros (word/vbaProject.bin) are never run, nor even opened.
WORD_MAIN_CONTENT_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)
# python-docx reads a main part as a DocumentPart only for the .docx content type (any other
# becomes a bare Part, and docx.Document refuses it). Its documented extension point,
# PartFactory.part_type_for, makes it read the other three alike; ``_open_document`` then
# checks the content type against WORD_MAIN_CONTENT_TYPES instead of docx.Document's check.
# This changes nothing for a .docx, and docx.Document still refuses the others.
for _content_type_name in sorted(WORD_MAIN_CONTENT_TYPES):
    PartFactory.part_type_for.setdefault(_content_type_name, DocumentPart)
# python-docx's order within a section: the default, first-page and even-page header (or footer).
_HDRFTR_TYPES = ("default", "first", "even")
# As python-docx's parser (docx.oxml.parser.oxml_parser): entities kept as references, never
# resolved; blank text between elements dropped. No DTD, no network, libxml2's size limits.
_XML_OPTIONS: dict[str, Any] = {
    "remove_blank_text": True,
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
}
STREAM_EXTRACTOR = "docx-stream"
# The text of a paragraph: w:t, and the run elements that stand for a character (below).
# Not read: what a markup-compatibility fallback repeats (mc:Fallback: the same content, for
# older readers), text moved away or deleted in tracked changes (w:moveFrom, w:del; deleted
# text is w:delText anyway), field codes (w:instrText), tab stops (w:pPr/w:tabs/w:tab), soft
# hyphens (w:softHyphen: invisible unless a line breaks there), and symbol characters
# (w:sym: a code in a symbol font such as Wingdings, mostly in the private use area, which
# has no Unicode meaning and no search value).
_RUN_PIECES = etree.XPath(
    ".//*[self::w:t or self::w:tab[not(ancestor::w:pPr)] or self::w:ptab or self::w:br"
    " or self::w:cr or self::w:noBreakHyphen]"
    "[not(ancestor::mc:Fallback or ancestor::w:moveFrom or ancestor::w:del)]",
    namespaces=_NS,
)
# A tab (and an absolute position tab) is a tab, a line break a line break; a non-breaking
# hyphen is "-" (U+002D), as Word's own plain-text export writes it, so that AY-2020-0103 is
# stored and shown as typed (search drops every hyphen alike, but the case-number matcher
# and the snippets see the ASCII one).
_PIECE_TEXT = {_TAB: "\t", _PTAB: "\t", _BR: "\n", _CR: "\n", _NO_BREAK_HYPHEN: "-"}
# Between the cells of a table row in the stored text: reads as a table row on the document
# page (证据名称 | 证明目的) and is no search unit, so a phrase still runs across it. Empty
# cells (merged ones, blank columns) are left out.
CELL_SEPARATOR = " | "
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</")
# Entries smaller than this are not judged by their ratio: tiny XML parts compress very well.
_RATIO_MIN_ENTRY = 1024 * 1024
_BROKEN_DOCX_ERRORS: tuple[type[BaseException], ...] = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,  # includes UnicodeDecodeError and "not a Word file"
    etree.LxmlError,
)


def _corrupt(detail: str) -> IngestError:
    return IngestError(ErrorCode.CORRUPT, MSG_DOCX_CORRUPT, detail)


class ZipFacts(NamedTuple):
    page_count: int | None  # from docProps/app.xml
    document_bytes: int  # the main part (word/document.xml) and its notes and comments, uncompressed
    main_part: PackURI  # the main part, as the package's officeDocument relationship names it
    notes: list[str]  # zip members of its footnotes and endnotes parts
    comments: list[str]  # zip member of its comments part (none or one)


def check_zip(path: Path, settings: Settings) -> ZipFacts:
    """Refuse what is not a sane DOCX zip, or has no Word main part; return the page count
    from docProps/app.xml and the size of the main part with its notes and comments parts
    (python-docx would parse them whole too)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > settings.max_docx_uncompressed_bytes:
                raise IngestError(ErrorCode.ZIP_BOMB, MSG_ZIP_BOMB, f"{total} bytes uncompressed")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size >= _RATIO_MIN_ENTRY and ratio > settings.max_docx_ratio:
                    raise IngestError(
                        ErrorCode.ZIP_BOMB, MSG_ZIP_BOMB, f"{info.filename} inflates {ratio:.0f} times"
                    )
            names = {i.filename for i in infos}
            try:
                part = _main_part(zf)
                notes, comments = _annotation_members(zf, part)
                size = sum(zf.getinfo(n).file_size for n in [part.membername, *notes, *comments])
            except _BROKEN_DOCX_ERRORS as exc:
                raise _corrupt(f"no Word main part, or a broken one: {exc!r}") from exc
            return ZipFacts(_page_count(zf, names), size, part, notes, comments)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _corrupt(f"not a readable zip: {exc!r}") from exc


def _page_count(zf: zipfile.ZipFile, names: set[str]) -> int | None:
    if "docProps/app.xml" not in names or zf.getinfo("docProps/app.xml").file_size > 1024 * 1024:
        return None
    try:
        match = _PAGES.search(zf.read("docProps/app.xml"))
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None
    pages = int(match.group(1)) if match else 0
    return pages if pages > 0 else None


def paragraph_text(p: etree._Element) -> str:
    return "".join(el.text or "" if el.tag == _T else _PIECE_TEXT[el.tag] for el in _RUN_PIECES(p))


def iter_blocks(container: etree._Element) -> Iterator[str]:
    """Text of each paragraph and table row under ``container`` (body, cell, header), in
    document order; a nested table's rows come inside its cell."""
    for child in container:
        yield from block_texts(child)


def block_texts(child: etree._Element) -> Iterator[str]:
    """Text of one child of a body, cell, header or note: a paragraph, a table's rows, the
    blocks of what wraps blocks (a content control, custom XML, a tracked insertion or move
    here); nothing for anything else (section properties, bookmarks, text moved away or
    deleted, an altChunk)."""
    if child.tag == _P:
        yield paragraph_text(child)
    elif child.tag == _TBL:
        yield from table_rows(child)
    elif (content := _wrapped(child)) is not None:
        yield from iter_blocks(content)


def _wrapped(child: etree._Element) -> etree._Element | None:
    """What holds the content of a wrapper that is looked through: a content control's
    w:sdtContent; custom XML itself (its w:customXmlPr holds no text); a tracked insertion
    or move here (w:ins, w:moveTo: their content is in the document). None for any other
    element."""
    if child.tag == _SDT:
        return child.find(_SDT_CONTENT)
    if child.tag in _LOOKED_THROUGH:
        return child
    return None


def table_rows(tbl: etree._Element) -> Iterator[str]:
    """One line per row, its non-empty cells separated by ``CELL_SEPARATOR`` (a cell of
    several paragraphs keeps their line breaks)."""
    for tr in _children(tbl, _TR):
        cells = ["\n".join(t for t in iter_blocks(tc) if t.strip()) for tc in _children(tr, _TC)]
        yield CELL_SEPARATOR.join(c.strip() for c in cells if c.strip())


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with ``tag`` (a table's rows, a row's cells), looking through what
    wraps them (content controls, custom XML)."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif (content := _wrapped(child)) is not None:
            yield from _children(content, tag)


def note_blocks(note: etree._Element) -> Iterator[str]:
    """The blocks of one child of a notes or comments part: a footnote, an endnote or a
    comment; nothing for Word's separator notes (w:type separator, continuationSeparator,
    continuationNotice: the rule above the notes, the "continued" notice) or anything else."""
    if note.tag in _NOTE_TAGS and note.get(_W_TYPE, "normal") == "normal":
        yield from iter_blocks(note)


def _header_footer_texts(document: DocxDocument) -> tuple[list[str], list[str]]:
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for part, out in (
            (section.header, headers),
            (section.first_page_header, headers),
            (section.even_page_header, headers),
            (section.footer, footers),
            (section.first_page_footer, footers),
            (section.even_page_footer, footers),
        ):
            if part.is_linked_to_previous:  # no definition of its own (reading it would add one)
                continue
            text = "\n".join(t for t in iter_blocks(part._element) if t.strip())
            if text.strip() and text not in out:
                out.append(text)
    return headers, footers


def stream(path: Path, settings: Settings) -> RawText:
    """The headers, the body's paragraphs and table rows (those with text), the notes, the
    footers, the comments, one block a piece, joined with line breaks. The zip checks,
    parsing the XML (or, for a large document, a first pass over it) and the headers and
    footers (held: short, and they come first) are done here, so errors come before any
    piece."""
    facts = check_zip(path, settings)
    if facts.document_bytes > settings.docx_stream_bytes:
        return _streamed(path, facts)
    try:
        document = _open_document(path)
        body = document.element.body
        headers, footers = _header_footer_texts(document)
        notes, comments = _annotation_roots(document)
    except _BROKEN_DOCX_ERRORS as exc:
        raise _corrupt(f"python-docx cannot read {path.name}: {exc!r}") from exc
    # Only the XML of the body, notes and comments is kept from here on (not the package:
    # images and other parts).
    del document
    return RawText(
        pieces=_joined(
            headers,
            iter_blocks(body),
            (t for root in notes for note in root for t in note_blocks(note)),
            footers,
            (t for root in comments for note in root for t in note_blocks(note)),
            path.name,
        ),
        extractor="python-docx",
        page_count=facts.page_count,
    )


def _annotation_roots(document: DocxDocument) -> tuple[list[etree._Element], list[etree._Element]]:
    """The root elements of the main part's footnotes and endnotes parts, and of its comments
    part: for each type the first internal relationship's part, each part once. python-docx
    parses a comments part; it keeps the notes parts as bytes, parsed here as it parses."""
    rels = [
        (r.reltype, r.is_external, None if r.is_external else r.target_part)
        for r in document.part.rels.values()
    ]
    notes, comments = _pick_annotations(rels, document.part)

    def root(part: Any) -> etree._Element:
        return part.element if isinstance(part, XmlPart) else parse_xml(part.blob)

    return [root(p) for p in notes], [root(p) for p in comments]


def _pick_annotations(rels: list[tuple[str, bool, Any]], main: Any) -> tuple[list[Any], list[Any]]:
    """Of (type, external, target) relationships of the main part: the footnotes and endnotes
    targets, and the comments target, each the first internal one of its type, never the
    main part, each target once (as python-docx relates them)."""
    seen = {main}
    found: dict[str, Any] = {}
    for reltype in (*_RT_NOTES, _RT_COMMENTS):
        target = next((t for kind, external, t in rels if kind == reltype and not external), None)
        if target is None or target in seen:
            continue
        seen.add(target)
        found[reltype] = target
    return [found[t] for t in _RT_NOTES if t in found], [found[t] for t in (_RT_COMMENTS,) if t in found]


def _open_document(path: Path) -> DocxDocument:
    """As ``docx.Document``, for any Word main part (``WORD_MAIN_CONTENT_TYPES``)."""
    part = Package.open(str(path)).main_document_part
    if part.content_type not in WORD_MAIN_CONTENT_TYPES or not isinstance(part, DocumentPart):
        raise ValueError(f"not a Word file, content type is {part.content_type!r}")
    return part.document


def _joined(
    headers: list[str],
    body: Iterator[str],
    notes: Iterator[str],
    footers: list[str],
    comments: Iterator[str],
    name: str,
) -> Iterator[str]:
    blocks = chain(
        headers,
        (t for t in body if t.strip()),
        (t for t in notes if t.strip()),
        footers,
        (t for t in comments if t.strip()),
    )
    separator = ""
    while True:
        try:
            text = next(blocks, None)
        except _BROKEN_DOCX_ERRORS as exc:
            raise _corrupt(f"cannot read {name}: {exc!r}") from exc
        if text is None:
            return
        yield separator + text
        separator = "\n"


# --- the streaming reader (a large body) --------------------------------------------------


class _Rel(NamedTuple):
    type: str
    target: str  # a zip member name for an internal target
    external: bool


def _streamed(path: Path, facts: ZipFacts) -> RawText:
    part, notes, comments = facts.main_part, facts.notes, facts.comments  # found by check_zip
    try:
        with zipfile.ZipFile(path) as zf:
            sections = _section_references(zf, part)
            headers, footers = _streamed_header_footer_texts(zf, part, sections)
            for name in [*notes, *comments]:  # a first pass: errors before any piece
                for _ in _root_children(zf, name):
                    pass
    except _BROKEN_DOCX_ERRORS as exc:
        raise _corrupt(f"cannot stream {path.name}: {exc!r}") from exc
    return RawText(
        pieces=_joined(
            headers,
            _streamed_body(path, part),
            _streamed_notes(path, notes),
            footers,
            _streamed_notes(path, comments),
            path.name,
        ),
        extractor=STREAM_EXTRACTOR,
        page_count=facts.page_count,
    )


def _children_at(
    source: IO[bytes], level: int, parent_tag: str | None = None
) -> Iterator[tuple[int, etree._Element]]:
    """Each element at ``level`` (the root is 1) whose parent has ``parent_tag`` (any if
    None), on its end event, with the parent's ordinal among such parents. Once the caller
    is done with it, it is cleared and removed with whatever came before it, so the tree
    never holds more than one such element."""
    depth = 0
    parents = -1
    wanted = False
    for event, elem in etree.iterparse(source, events=("start", "end"), **_XML_OPTIONS):
        if event == "start":
            depth += 1
            if depth == level - 1:
                wanted = parent_tag is None or elem.tag == parent_tag
                parents += wanted
            continue
        if depth == level:
            if wanted:
                yield parents, elem
            _free(elem)
        depth -= 1


def _free(elem: etree._Element) -> None:
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _body_children(source: IO[bytes]) -> Iterator[tuple[int, etree._Element]]:
    """(which w:body, child) for each child of each w:body of the document element."""
    return _children_at(source, 3, _BODY)


def _root_children(zf: zipfile.ZipFile, name: str) -> Iterator[etree._Element]:
    with zf.open(name) as source:
        for _, child in _children_at(source, 2):
            yield child


def _relationships(zf: zipfile.ZipFile, partname: PackURI) -> dict[str, _Rel]:
    """The part's relationships by id, its targets resolved as python-docx resolves them;
    none when the part has no .rels member."""
    rels_name = partname.rels_uri.membername
    try:
        zf.getinfo(rels_name)
    except KeyError:
        return {}
    rels: dict[str, _Rel] = {}
    for el in _root_children(zf, rels_name):
        if el.tag != _RELATIONSHIP:
            continue
        target, external = el.get("Target", ""), el.get("TargetMode") == "External"
        if not external:
            target = PackURI.from_rel_ref(partname.baseURI, target).membername
        rels[el.get("Id", "")] = _Rel(el.get("Type", ""), target, external)
    return rels


def _content_type(zf: zipfile.ZipFile, partname: PackURI) -> str:
    """As [Content_Types].xml gives it: the part's Override, else its extension's Default
    (both case-insensitive)."""
    override = default = None
    for el in _root_children(zf, _CONTENT_TYPES):
        if el.tag == f"{_CT}Override" and el.get("PartName", "").lower() == partname.lower():
            override = el.get("ContentType")
        elif el.tag == f"{_CT}Default" and el.get("Extension", "").lower() == partname.ext.lower():
            default = el.get("ContentType")
    content_type = override or default
    if content_type is None:
        raise KeyError(f"no content type for {partname}")
    return content_type


def _main_part(zf: zipfile.ZipFile) -> PackURI:
    """The main document part as python-docx finds it: the package's one officeDocument
    relationship (its name may be anything, word/document2.xml say), and it must be a Word
    document, a template or either with macros (``WORD_MAIN_CONTENT_TYPES``)."""
    rels = [r for r in _relationships(zf, PACKAGE_URI).values() if r.type == _RT_OFFICE_DOCUMENT]
    if len(rels) != 1 or rels[0].external:
        raise ValueError(f"{len(rels)} officeDocument relationships (or an external one)")
    part = PackURI("/" + rels[0].target)
    if (content_type := _content_type(zf, part)) not in WORD_MAIN_CONTENT_TYPES:
        raise ValueError(f"not a Word file, content type is {content_type!r}")
    return part


# Sniffing reads the package's relationships and content types only when they are this small
# (a real one is a few hundred bytes): the sniffer runs before the zip-bomb checks.
_SNIFF_MAX_PART_BYTES = 256 * 1024


def is_word_package(zf: zipfile.ZipFile) -> bool:
    """Whether the zip is an Office package whose main part (named by _rels/.rels) is a Word
    document, template or either with macros: ``ingest.sniff``'s test, whatever the main
    part is called."""
    try:
        if any(zf.getinfo(n).file_size > _SNIFF_MAX_PART_BYTES for n in (_PACKAGE_RELS, _CONTENT_TYPES)):
            return False
        _main_part(zf)
    except _BROKEN_DOCX_ERRORS:
        return False
    return True


# A section's own header and footer definitions: (w:headerReference or w:footerReference, w:type) → r:id.
_References = dict[tuple[str, str], str]


def _section_references(zf: zipfile.ZipFile, part: PackURI) -> list[_References]:
    """First pass over the body: the header and footer references of each section, in order.
    Sections are python-docx's: w:sectPr in w:pPr of a paragraph of w:body, and w:body's own."""
    sections: list[_References] = []
    with zf.open(part.membername) as source:
        for _, child in _body_children(source):
            if child.tag == _P:
                sections.extend(_references(s) for s in child.iterfind(f"{_PPR}/{_SECT_PR}"))
            elif child.tag == _SECT_PR:
                sections.append(_references(child))
    return sections


def _references(sect_pr: etree._Element) -> _References:
    refs: _References = {}
    for ref in sect_pr:
        key = (ref.tag, ref.get(_W_TYPE, ""))
        if ref.tag not in (_HEADER_REF, _FOOTER_REF) or key[1] not in _HDRFTR_TYPES or key in refs:
            continue  # python-docx uses the first reference of a type
        if (rid := ref.get(_R_ID)) is None:
            raise ValueError("a header or footer reference without r:id")
        refs[key] = rid
    return refs


def _streamed_header_footer_texts(
    zf: zipfile.ZipFile, part: PackURI, sections: list[_References]
) -> tuple[list[str], list[str]]:
    """As ``_header_footer_texts``: per section its header, first-page and even-page header
    (likewise footers); a section without a reference of a type is linked to the previous
    one and adds nothing; each distinct text once."""
    rels = _relationships(zf, part)
    texts: dict[str, str] = {}
    headers: list[str] = []
    footers: list[str] = []
    for refs in sections:
        for tag, out in ((_HEADER_REF, headers), (_FOOTER_REF, footers)):
            for kind in _HDRFTR_TYPES:
                if (rid := refs.get((tag, kind))) is None:
                    continue
                rel = rels[rid]  # KeyError, as python-docx's related_parts
                if rel.external:
                    raise KeyError(f"{rid} is external")
                if rel.target not in texts:
                    texts[rel.target] = _part_text(zf, rel.target)
                text = texts[rel.target]
                if text.strip() and text not in out:
                    out.append(text)
    return headers, footers


def _part_text(zf: zipfile.ZipFile, name: str) -> str:
    """A header's or footer's text (streamed too: a part may be large)."""
    return "\n".join(t for child in _root_children(zf, name) for t in block_texts(child) if t.strip())


def _streamed_body(path: Path, part: PackURI) -> Iterator[str]:
    """Second pass: the blocks of the first w:body (python-docx's ``document.element.body``),
    one child at a time."""
    with zipfile.ZipFile(path) as zf, zf.open(part.membername) as source:
        for body, child in _body_children(source):
            if body == 0:
                yield from block_texts(child)


def _annotation_members(zf: zipfile.ZipFile, part: PackURI) -> tuple[list[str], list[str]]:
    """As ``_annotation_roots``: the zip members of the main part's footnotes and endnotes
    parts, and of its comments part."""
    rels = [(r.type, r.external, r.target) for r in _relationships(zf, part).values()]
    return _pick_annotations(rels, part.membername)


def _streamed_notes(path: Path, names: list[str]) -> Iterator[str]:
    """The blocks of these notes or comments parts, one note at a time (a part may be large)."""
    with zipfile.ZipFile(path) as zf:
        for name in names:
            for note in _root_children(zf, name):
                yield from note_blocks(note)


def extract(path: Path, settings: Settings) -> Extracted:
    """The whole text (``stream`` joined)."""
    return stream(path, settings).extracted()
