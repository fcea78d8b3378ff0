"""The Elasticsearch index definition and how an ``IndexDoc`` becomes an Elasticsearch document.

Matching uses the same pre-computed token streams as the embedded engine
(``search.analysis.index_fields``): ``grams`` (bigrams of consecutive units, with positions)
and ``units`` (single units), split on blank space by the built-in ``whitespace`` analyzer.
Recall and precision are therefore those of the tantivy engine, token for token.

``text`` holds the normalised text itself, for snippets (from ``_source``) and for ranking
only: its analyzer (standard tokenizer, one token per Han character and one per word of
letters or digits, plus the bigrams of neighbouring tokens made by a shingle filter) gives
word-level and bigram relevance. It needs no plugin and no module beyond the server core:
``cjk_bigram`` and ``cjk_width`` live in the analysis-common module, which the
integ-test-zip distribution does not ship, and width folding is already done by
``search.analysis.normalize_text`` before anything reaches the engine.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from search.analysis import index_fields, normalize_text
from search.api import IndexDoc

# The field names are the embedded engine's, so both engines index the same fields.
from search.engines.tantivy_schema import (  # noqa: F401 - re-exported for elastic_query
    CASE_ID,
    CASE_NAME,
    CASE_NUMBERS,
    DOC_ID,
    DOC_TYPE,
    FILENAME,
    GRAMS,
    TEXT,
    TITLE,
    TITLE_GRAMS,
    TITLE_UNITS,
    UNITS,
    YEAR,
    capped,
    case_number_terms,
)

# Bump when the mapping or the analysis changes; ``juanzong reindex`` then builds an index
# of the new version (``<alias>-v<N>-…``) and switches the alias to it.
# 2: CJK radicals folded to ideographs; the case numbers indexed changed (see
#    tantivy_schema.SCHEMA_VERSION 3).
SCHEMA_VERSION = 2


RANKING_ANALYZER = "juanzong_han_words_bigrams"
BIGRAM_FILTER = "juanzong_bigram"
# Deep paging as far as the embedded engine allows it (MAX_PAGE x MAX_PER_PAGE).
MAX_RESULT_WINDOW = 50_000

_TOKENS: dict[str, Any] = {"type": "text", "analyzer": "whitespace"}
_STORED_ONLY: dict[str, Any] = {"type": "keyword", "index": False, "doc_values": False}

SETTINGS: dict[str, Any] = {
    "index": {
        # One shard: exact term-aggregation counts and BM25 statistics over the whole index.
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "max_result_window": MAX_RESULT_WINDOW,
    },
    "analysis": {
        "filter": {
            BIGRAM_FILTER: {
                "type": "shingle",
                "min_shingle_size": 2,
                "max_shingle_size": 2,
                "output_unigrams": True,
                "token_separator": "",
            }
        },
        "analyzer": {
            RANKING_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", BIGRAM_FILTER],
            }
        },
    },
}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    # The token streams are rebuilt from the text on every reindex: not kept in _source.
    "_source": {"excludes": [GRAMS, UNITS, TITLE_GRAMS, TITLE_UNITS]},
    "_meta": {"schema_version": SCHEMA_VERSION, "managed_by": "juanzong"},
    "properties": {
        DOC_ID: {"type": "long"},
        CASE_ID: {"type": "long"},
        DOC_TYPE: {"type": "keyword"},
        YEAR: {"type": "integer"},
        CASE_NUMBERS: {"type": "keyword"},
        GRAMS: {**_TOKENS, "index_options": "positions"},
        UNITS: {**_TOKENS, "index_options": "freqs"},
        TITLE_GRAMS: {**_TOKENS, "index_options": "positions"},
        TITLE_UNITS: {**_TOKENS, "index_options": "freqs"},
        TITLE: _STORED_ONLY,
        CASE_NAME: _STORED_ONLY,
        FILENAME: _STORED_ONLY,
        TEXT: {"type": "text", "analyzer": RANKING_ANALYZER, "index_options": "freqs"},
    },
}


def definition_digest() -> str:
    """A fingerprint of SETTINGS and MAPPINGS, kept in the template's ``_meta``."""
    blob = json.dumps([SETTINGS, MAPPINGS], sort_keys=True, ensure_ascii=True).encode("ascii")
    return hashlib.sha256(blob).hexdigest()[:16]


# What a search reads back for a hit.
HIT_SOURCE = [DOC_ID, CASE_ID, CASE_NAME, DOC_TYPE, TITLE, YEAR, TEXT]


def to_source(doc: IndexDoc) -> dict[str, Any]:
    """The ``_source`` of ``doc`` (its ``_id`` is ``str(doc.doc_id)``); as in the embedded
    engine, only the first ``search.analysis.MAX_INDEXED_CHARS`` characters of the text."""
    doc = capped(doc)
    grams, units = index_fields(doc.text)
    title_grams: list[str] = []
    title_units: list[str] = []
    for value in (doc.title, doc.filename):
        g, u = index_fields(normalize_text(value))
        title_grams.append(g)
        title_units.append(u)
    source: dict[str, Any] = {
        DOC_ID: doc.doc_id,
        CASE_ID: doc.case_id,
        DOC_TYPE: doc.doc_type,
        CASE_NUMBERS: case_number_terms(doc),
        GRAMS: grams,
        UNITS: units,
        TITLE_GRAMS: title_grams,
        TITLE_UNITS: title_units,
        TITLE: doc.title,
        CASE_NAME: doc.case_name,
        FILENAME: doc.filename,
        TEXT: doc.text,
    }
    if doc.year is not None:
        source[YEAR] = doc.year
    return source
