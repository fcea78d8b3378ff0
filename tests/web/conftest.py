"""Web fixtures: ``app``, ``client``, ``login``, and helpers that put cases and documents in place.

CSRF protection stays ON: helpers read the token from a rendered form, as a browser would.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from archive.cases import CaseInput, create_case
from archive.db import session_scope
from archive.models import Document
from archive.storage import content_key
from archive.texts import save_text
from juanzong.runtime import Runtime
from web import create_app

PASSWORD = "password-123"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app(runtime: Runtime) -> Flask:
    return create_app(runtime, {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, url: str = "/") -> str:
    """The CSRF token from the first form on ``url`` (every signed-in page has the 退出 form)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    match = _TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., TestResponse]:
    """Sign in through the real form: ``login("zhangsan")``."""

    def _login(username: str = "zhangsan", password: str = PASSWORD) -> TestResponse:
        token = csrf_token(client, "/login")
        return client.post("/login", data={"username": username, "password": password, "csrf_token": token})

    return _login


@pytest.fixture
def make_case(runtime: Runtime) -> Callable[..., int]:
    """Create a case directly through the service; returns its id."""

    def _make(
        name: str = "北京某科技有限公司诉某物业公司合同纠纷",
        internal_no: str = "FW-2024-001",
        *,
        department: str = "法务部",
        cause: str = "合同纠纷",
        owner: str = "张三",
        parties: str = "",
        court_numbers: str = "",
    ) -> int:
        with session_scope(runtime.sessions) as s:
            case = create_case(
                s,
                CaseInput(
                    name=name,
                    internal_no=internal_no,
                    cause=cause,
                    department=department,
                    owner=owner,
                    parties=parties,
                    court_numbers=court_numbers,
                ),
            )
            return case.id

    return _make


@pytest.fixture
def add_document(runtime: Runtime, tmp_path: Path) -> Callable[..., int]:
    """Put an original in the real store and record its document row, as ingest leaves it.

    For page tests that must not depend on the ingest pipeline; uploads go through ingest."""

    def _add(
        case_id: int,
        data: bytes = "合同正文".encode(),
        *,
        filename: str = "合同.txt",
        title: str | None = None,
        doc_type: str = "legal_doc",
        mime_type: str = "text/plain",
        status: str = "indexed",
        text: str | None = None,
        error_message: str | None = None,
        page_count: int | None = 1,
    ) -> int:
        digest = hashlib.sha256(data).hexdigest()
        key = content_key(digest)
        spool = tmp_path / f"spool-{digest}"
        spool.write_bytes(data)
        runtime.store.put_file(key, spool, content_type=mime_type)
        with session_scope(runtime.sessions) as s:
            doc = Document(
                case_id=case_id,
                doc_type=doc_type,
                title=title or filename.rsplit(".", 1)[0],
                original_filename=filename,
                sha256=digest,
                size=len(data),
                storage_key=key,
                mime_type=mime_type,
                sniffed_kind={"application/pdf": "pdf"}.get(mime_type, "text"),
                page_count=page_count,
                status=status,
                error_message=error_message,
            )
            s.add(doc)
            s.flush()
            document_id = doc.id
        if text is not None:
            save_text(runtime.sessions, document_id, [text], extractor="test")
        return document_id

    return _add


@pytest.fixture
def index_documents(runtime: Runtime, add_document: Callable[..., int]) -> Callable[..., list[int]]:
    """Store documents in a case and index them in one go; returns their ids.
    ``index_documents(case_id, [(title, text, year), …], court_numbers=(…))``."""
    from search import IndexDoc
    from search.analysis import normalize_text

    def _index(
        case_id: int,
        docs: list[tuple[str, str, int]],
        *,
        doc_type: str = "other",
        court_numbers: tuple[str, ...] = (),
    ) -> list[int]:
        ids: list[int] = []
        entries: list[IndexDoc] = []
        for title, text, year in docs:
            filename = f"{title}.txt"
            doc_id = add_document(
                case_id, text.encode(), filename=filename, title=title, doc_type=doc_type, text=text
            )
            ids.append(doc_id)
            entries.append(
                IndexDoc(
                    doc_id=doc_id,
                    case_id=case_id,
                    case_name="案",
                    case_internal_no="FW-2024-001",
                    doc_type=doc_type,
                    title=title,
                    filename=filename,
                    text=normalize_text(text),
                    year=year,
                    court_case_numbers=court_numbers,
                )
            )
        runtime.index.upsert(entries)
        return ids

    return _index
