"""The tantivy schema and how an ``IndexDoc`` becomes a tantivy document."""

from __future__ import annotations

import dataclasses

import tantivy

from search.analysis import MAX_INDEXED_CHARS, index_fields, indexed_part, normalize_text
from search.api import IndexDoc
from search.casenumber import CaseNumberError, find_case_numbers, parse_case_number

# Bump when the schema or the analysis changes: a new version starts a fresh, empty
# generation (reindex fills it).
SCHEMA_VERSION = 1

DOC_ID = "doc_id"
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
    # The normalised text, stored for snippets only; a bytes field is not indexed.
    sb.add_bytes_field(TEXT, stored=True)
    return sb.build()


def case_number_terms(doc: IndexDoc) -> list[str]:
    """Canonical case numbers of the document: those of its case, and those found in its
    title and text. A number with a suffix (之一) is also indexed without it, so that the
    bare number finds every document of the case."""
    terms: dict[str, None] = {}
    for raw in doc.court_case_numbers:
        try:
            number = parse_case_number(raw)
        except CaseNumberError:
            continue
        terms[number.canonical] = None
        terms[number.base] = None
    for number in find_case_numbers(doc.title) + find_case_numbers(doc.text):
        terms[number.canonical] = None
        terms[number.base] = None
    return list(terms)


def capped(doc: IndexDoc) -> IndexDoc:
    """``doc`` with its text as one string, only the part that is indexed
    (``search.analysis.indexed_part``); read from ``text_chunks`` no further than that."""
    if doc.text_chunks is None:
        text = indexed_part(doc.text)
        return doc if text is doc.text else dataclasses.replace(doc, text=text)
    text = indexed_part(doc.whole_text(MAX_INDEXED_CHARS + 1))
    return dataclasses.replace(doc, text=text, text_chunks=None)


def to_tantivy(doc: IndexDoc) -> tantivy.Document:
    doc = capped(doc)
    out = tantivy.Document()
    out.add_unsigned(DOC_ID, doc.doc_id)
    out.add_unsigned(CASE_ID, doc.case_id)
    out.add_text(DOC_TYPE, doc.doc_type)
    if doc.year is not None:
        out.add_unsigned(YEAR, doc.year)
    for term in case_number_terms(doc):
        out.add_text(CASE_NUMBERS, term)
    grams, units = index_fields(doc.text)
    out.add_text(GRAMS, grams)
    out.add_text(UNITS, units)
    del grams, units  # tantivy holds its own copies
    for value in (doc.title, doc.filename):
        title_grams, title_units = index_fields(normalize_text(value))
        out.add_text(TITLE_GRAMS, title_grams)
        out.add_text(TITLE_UNITS, title_units)
    out.add_text(TITLE, doc.title)
    out.add_text(CASE_NAME, doc.case_name)
    out.add_text(FILENAME, doc.filename)
    out.add_bytes(TEXT, doc.text.encode("utf-8"))
    return out
