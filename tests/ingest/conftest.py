"""Fixtures for the ingest tests: a case to upload into, and helpers that upload bytes or
files and run the extraction step in-process (the worker's job, without a worker)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.models import Document
from archive.texts import iter_text
from ingest.pipeline import process_document
from ingest.service import IngestResult, ingest_path, ingest_stream
from juanzong.runtime import Runtime

CASE_NUMBER = "（2023）京0105民初12345号"


@pytest.fixture
def case_id(runtime: Runtime) -> int:
    with session_scope(runtime.sessions) as s:
        case = create_case(
            s,
            CaseInput(
                name="北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷",
                internal_no="JZ-2023-017",
                cause="买卖合同纠纷",
                department="法务部",
                court_numbers=CASE_NUMBER,
            ),
        )
        return case.id


@pytest.fixture
def upload(runtime: Runtime, case_id: int) -> Callable[..., IngestResult]:
    """``upload(b"..." or Path, filename=None, doc_type=...)``."""

    def _upload(
        content: bytes | Path, filename: str | None = None, *, doc_type: DocType = DocType.LEGAL_DOC
    ) -> IngestResult:
        if isinstance(content, Path):
            if filename is None:
                return ingest_path(runtime, case_id=case_id, path=content, doc_type=doc_type, user=None)
            content = content.read_bytes()
        return ingest_stream(
            runtime,
            case_id=case_id,
            stream=io.BytesIO(content),
            filename=filename or "upload.bin",
            doc_type=doc_type,
            user=None,
        )

    return _upload


@pytest.fixture
def process(runtime: Runtime) -> Callable[[int], Document]:
    """Run the extraction step for a document and return its row afterwards."""

    def _process(document_id: int) -> Document:
        process_document(runtime, document_id)
        return load_document(runtime, document_id)

    return _process


def load_document(rt: Runtime, document_id: int) -> Document:
    with rt.sessions() as s:
        doc = s.get(Document, document_id)
        assert doc is not None
        _ = doc.text  # load it before the session closes
        return doc


def stored_text(rt: Runtime, document_id: int) -> str:
    """A document's stored text, joined from its chunks (for assertions on short texts)."""
    return "".join(iter_text(rt.sessions, document_id))
