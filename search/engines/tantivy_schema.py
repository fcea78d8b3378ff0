"""The tantivy schema and how an ``IndexDoc`` becomes a tantivy document."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import tantivy

from search import analysis
from search.analysis import index_fields, indexed_part, normalize_text
from search.api import IndexDoc
from search.casenumber import CaseNumberError, find_case_numbers, parse_case_number
from search.parts import OVERLAP_CHARS, PART_CHARS, Part, split_parts

# Bump when the schema or the analysis changes: a new version starts a fresh, empty
# generation (the worker's start-up reconcile, or ``juanzong reindex``, fills it).
# 3: CJK radicals folded to ideographs (search.radical_fold); case numbers end with their
#    digit run (民初12345-1号 is not 12345), 年 inside the brackets, 之N the whole numeral,
#    legacy numbers with 字第 (search.casenumber).
SCHEMA_VERSION = 3

DOC_ID = "doc_id"
# A document is one or more index entries, its *parts* (search.parts): PART numbers them
# from 0 (part 0 is the document's head, counted in totals and facets) and MULTI is 1 on
# every part of a document that has more than one.
PART = "part"
MULTI = "multi"
TEXT_START = "text_start"  # offset of the stored text in the document's text
MORE = "more"  # 1 when the document's text goes on after the stored text
CASE_ID = "case_id"
DOC_TYPE = "doc_type"
YEAR = "year"
CASE_NUMBERS = "case_numbers"
GRAMS = "grams"
UNITS = "units"
TITLE_GRAMS = "title_grams"
TITLE_UNITS = "title_units"
TITLE = "title"
CASE_NAME = "case_name"
FILENAME = "filename"
TEXT = "text"


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field(DOC_ID, stored=True, indexed=True, fast=True)
    sb.add_unsigned_field(PART, stored=True, indexed=True, fast=True)
    sb.add_unsigned_field(MULTI, indexed=True, fast=True)
    sb.add_unsigned_field(TEXT_START, stored=True)
    sb.add_unsigned_field(MORE, stored=True)
    sb.add_unsigned_field(CASE_ID, stored=True, indexed=True, fast=True)
    sb.add_text_field(DOC_TYPE, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field(YEAR, stored=True, indexed=True, fast=True)
    sb.add_text_field(CASE_NUMBERS, tokenizer_name="raw", index_option="basic")
    # Units and bigrams come tokenised from search.analysis, joined by single spaces.
    sb.add_text_field(GRAMS, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field(UNITS, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field(TITLE_GRAMS, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field(TITLE_UNITS, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field(TITLE, stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field(CASE_NAME, stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field(FILENAME, stored=True, tokenizer_name="raw", index_option="basic")
    # The normalised text of the part, stored for snippets only; a bytes field is not indexed.
    sb.add_bytes_field(TEXT, stored=True)
    return sb.build()


def case_number_terms(doc: IndexDoc, text: str | None = None) -> list[str]:
    """Canonical case numbers of the document: those of its case, and those found in its
    title and in ``text`` (default: its text). A number with a suffix (之一) is also
    indexed without it, so that the bare number finds every document of the case."""
    terms: dict[str, None] = {}
    for raw in doc.court_case_numbers:
        try:
            number = parse_case_number(raw)
        except CaseNumberError:
            continue
        terms[number.canonical] = None
        terms[number.base] = None
    for number in find_case_numbers(doc.title) + find_case_numbers(doc.text if text is None else text):
        terms[number.canonical] = None
        terms[number.base] = None
    return list(terms)


def capped(doc: IndexDoc) -> IndexDoc:
    """``doc`` with its text as one string, only the part that is indexed
    (``search.analysis.indexed_part``); read from ``text_chunks`` no further than that."""
    if doc.text_chunks is None:
        text = indexed_part(doc.text)
        return doc if text is doc.text else dataclasses.replace(doc, text=text)
    text = indexed_part(doc.whole_text(analysis.MAX_INDEXED_CHARS + 1))
    return dataclasses.replace(doc, text=text, text_chunks=None)


def to_tantivy_parts(
    doc: IndexDoc, *, part_chars: int = PART_CHARS, overlap_chars: int = OVERLAP_CHARS
) -> Iterator[tantivy.Document]:
    """The index entries of ``doc``, one per part of its text (``search.parts``), made one
    at a time from its text stream: a long document never holds more than about two parts
    of text, or the tokens of more than one."""
    number = 0
    for part in split_parts(doc.iter_text(), part_chars=part_chars, overlap_chars=overlap_chars):
        yield _part(doc, part, number, multi=not (number == 0 and part.last))
        number += 1


def to_tantivy(doc: IndexDoc) -> tantivy.Document:
    """The single index entry of a document whose text fits one part (tests)."""
    entries = list(to_tantivy_parts(doc))
    if len(entries) != 1:
        raise ValueError(f"document {doc.doc_id} has {len(entries)} parts")
    return entries[0]


def _part(doc: IndexDoc, part: Part, number: int, *, multi: bool) -> tantivy.Document:
    text = part.text
    out = tantivy.Document()
    out.add_unsigned(DOC_ID, doc.doc_id)
    out.add_unsigned(PART, number)
    out.add_unsigned(MULTI, int(multi))
    out.add_unsigned(CASE_ID, doc.case_id)
    out.add_text(DOC_TYPE, doc.doc_type)
    if doc.year is not None:
        out.add_unsigned(YEAR, doc.year)
    for term in case_number_terms(doc, text):
        out.add_text(CASE_NUMBERS, term)
    grams, units = index_fields(text)
    out.add_text(GRAMS, grams)
    out.add_text(UNITS, units)
    del grams, units  # tantivy holds its own copies
    # Every part carries the title, so a clause that the title matches matches every part.
    for value in (doc.title, doc.filename):
        title_grams, title_units = index_fields(normalize_text(value))
        out.add_text(TITLE_GRAMS, title_grams)
        out.add_text(TITLE_UNITS, title_units)
    out.add_text(TITLE, doc.title)
    out.add_text(CASE_NAME, doc.case_name)
    out.add_text(FILENAME, doc.filename)
    # Stored with the text around it (not indexed), so a snippet near the part's edges
    # has the context it would have in the whole text.
    shown = part.shown
    out.add_bytes(TEXT, shown.encode("utf-8"))
    out.add_unsigned(TEXT_START, part.start)
    out.add_unsigned(MORE, int(part.more))
    return out
