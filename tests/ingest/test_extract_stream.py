"""Every format streamed: the pieces of ``stream_document`` are the normalised text of the
whole document (``normalize_text`` of what the bare extractor gives), on the demo corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from demodata.corpus import DocSpec, build_corpus, write_document
from ingest.errors import IngestError
from ingest.extract import extractor_for, stream_document, streamer_for
from juanzong.settings import Settings
from search.analysis import MAX_PIECE_CHARS, normalize_text

KIND = {"pdf-cid": "pdf", "pdf-ttf": "pdf", "docx": "docx", "txt-utf8": "text", "txt-gb18030": "text"}
DOCS = [doc for case in build_corpus(seed=2024, n_cases=2) for doc in case.docs]


def test_the_corpus_has_every_format() -> None:
    assert {doc.format for doc in DOCS} == set(KIND)


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: f"{doc.format}-{doc.doc_type}-{doc.variant}")
def test_stream_is_the_normalised_whole(tmp_path: Path, settings: Settings, doc: DocSpec) -> None:
    path = write_document(doc, tmp_path / doc.filename)
    kind = KIND[doc.format]
    bare = extractor_for(kind)(path, settings)
    raw = list(streamer_for(kind)(path, settings).pieces)
    extraction = stream_document(kind, path, settings)
    pieces = list(extraction.pieces())
    assert "".join(raw) == bare.text
    assert "".join(pieces) == normalize_text(bare.text)
    assert all(0 < len(p) <= MAX_PIECE_CHARS for p in pieces)
    assert (extraction.page_count, extraction.extractor) == (bare.page_count, bare.extractor)
    if kind == "pdf":
        assert len(raw) == bare.page_count  # a page a piece
    if kind == "docx":
        assert len(raw) > len(doc.paragraphs)  # a block a piece (title, paragraphs, rows)


def test_unknown_kind_is_unsupported(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(IngestError) as err:
        stream_document("image", tmp_path / "a.png", settings)
    assert (err.value.code.value, err.value.message_zh) == ("unsupported", "暂不支持此文件类型")
