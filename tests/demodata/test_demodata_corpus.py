"""The demo corpus: enough cases and documents, every type and format, deterministic, real files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from archive.cases import CaseInput
from archive.doctypes import DocType
from demodata.corpus import EXTENSIONS, FORMATS, build_corpus, write_corpus, write_document

CASE_NUMBER = re.compile(r"（20\d\d）[京沪粤浙苏川鄂津]\d{2,4}(民初|民终|执)\d+号")
_WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(seed=2024, n_cases=12)


def test_corpus_size_and_coverage(corpus) -> None:
    docs = [d for case in corpus for d in case.docs]

    assert len(corpus) == 12
    assert len(docs) >= 60
    assert {d.doc_type for d in docs} == {t.value for t in DocType}
    assert {d.format for d in docs} == set(FORMATS)
    assert {d.variant for d in docs if d.doc_type == "legal_doc"} >= {"judgment", "complaint", "contract"}
    assert len({case.department for case in corpus}) >= 2
    assert len({case.cause for case in corpus}) == 12
    assert len({case.internal_no for case in corpus}) == 12


def test_corpus_is_deterministic(corpus) -> None:
    assert build_corpus(seed=2024, n_cases=12) == corpus
    assert build_corpus(seed=2025, n_cases=12) != corpus


def test_case_fields(corpus) -> None:
    for case in corpus:
        f = case.facts
        assert case.name == f"{f.plaintiff.name}诉{f.defendant.name}{case.cause}案"
        assert re.fullmatch(r"FW-20\d\d-\d{4}", case.internal_no)
        assert case.parties == f"原告：{f.plaintiff.name}\n被告：{f.defendant.name}"
        numbers = case.court_numbers.split("\n")
        assert len(numbers) in (1, 2) and all(CASE_NUMBER.fullmatch(n) for n in numbers)
        assert case.case_input() == CaseInput(
            name=case.name,
            internal_no=case.internal_no,
            cause=case.cause,
            department=case.department,
            owner=case.owner,
            parties=case.parties,
            court_numbers=case.court_numbers,
        )


def test_documents_mention_their_case(corpus) -> None:
    for case in corpus:
        f = case.facts
        names = [d.filename for d in case.docs]
        assert len(set(names)) == len(names)
        for doc in case.docs:
            assert doc.filename.endswith(EXTENSIONS[doc.format])
            assert f.plaintiff.name in doc.text and f.defendant.name in doc.text
            assert any(n in doc.text for n in f.court_numbers)
            assert "人民币" in doc.text
        judgment = next(d for d in case.docs if d.variant == "judgment")
        assert judgment.filename.startswith(f"民事判决书{f.first_number}.")


def test_write_document_matches_its_spec(tmp_path: Path, corpus) -> None:
    by_format = {d.format: d for c in corpus for d in c.docs}
    for fmt, doc in sorted(by_format.items()):
        path = write_document(doc, tmp_path / doc.filename)
        if fmt.startswith("pdf"):
            text = "".join(p.extract_text() for p in PdfReader(path).pages)
            assert _WS.sub("", text) == _WS.sub("", doc.title + "".join(doc.paragraphs))
        elif fmt == "docx":
            document = docx.Document(str(path))
            assert [p.text for p in document.paragraphs] == [doc.title, *doc.paragraphs]
            assert document.tables[0].cell(1, 1).paragraphs[0].text == doc.table_rows[1][1]
            assert document.sections[0].header.paragraphs[0].text == doc.header_text
        else:
            encoding = "utf-8" if fmt == "txt-utf8" else "gb18030"
            assert path.read_bytes().decode(encoding) == doc.text


@pytest.mark.slow
def test_write_full_corpus(tmp_path: Path, corpus) -> None:
    written = write_corpus(corpus, tmp_path / "a")

    assert [case for case, _ in written] == corpus
    paths = [p for _, docs in written for _, p in docs]
    assert len(paths) == sum(len(c.docs) for c in corpus)
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert {p.parent.name for p in paths} == {c.internal_no for c in corpus}
    assert Counter(p.suffix for p in paths).keys() == {".pdf", ".docx", ".txt"}

    again = write_corpus(corpus[:1], tmp_path / "b")
    for (_, first), (_, second) in zip(written[:1], again, strict=True):
        assert [p.read_bytes() for _, p in first] == [p.read_bytes() for _, p in second]
