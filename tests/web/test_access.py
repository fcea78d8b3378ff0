"""Authorisation on every route: sign-in required, department visibility, read-only roles."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from archive.db import session_scope
from archive.models import Case, Document, Role
from tests.web.conftest import csrf_token

# Every GET route with the ids it needs. test_every_route_is_listed keeps this list complete.
GET_ROUTES = {
    "cases.index": "/",
    "cases.index_alias": "/cases",
    "cases.new": "/cases/new",
    "cases.detail": "/cases/{case_id}",
    "documents.detail": "/documents/{document_id}",
    "documents.status": "/documents/{document_id}/status.json",
    "documents.download": "/documents/{document_id}/download",
    "search.index": "/search?q=合同",
}
POST_ROUTES = {
    "auth.logout": "/logout",
    "cases.new": "/cases/new",
    "documents.upload": "/cases/{case_id}/documents",
    "documents.retry": "/documents/{document_id}/retry",
}
PUBLIC = {"auth.login", "static"}


def test_every_route_is_listed(app):
    get_endpoints = set()
    post_endpoints = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        if "GET" in rule.methods:
            get_endpoints.add(rule.endpoint)
        if "POST" in rule.methods:
            post_endpoints.add(rule.endpoint)
    assert get_endpoints == set(GET_ROUTES)
    assert post_endpoints == set(POST_ROUTES)


@pytest.fixture
def case_and_document(make_case, add_document) -> tuple[int, int]:
    case_id = make_case()
    return case_id, add_document(case_id, status="failed", error_message="无法解析")


@pytest.mark.parametrize("endpoint", sorted(GET_ROUTES))
def test_every_page_requires_sign_in(client, case_and_document, endpoint):
    case_id, document_id = case_and_document
    url = GET_ROUTES[endpoint].format(case_id=case_id, document_id=document_id)
    response = client.get(url)
    if url.endswith(".json"):
        assert response.status_code == 401
        assert response.get_json() == {"error": "请先登录"}
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("endpoint", sorted(POST_ROUTES))
def test_every_post_requires_sign_in(runtime, client, case_and_document, endpoint):
    case_id, document_id = case_and_document
    url = POST_ROUTES[endpoint].format(case_id=case_id, document_id=document_id)
    response = client.post(url, data={"name": "x", "internal_no": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    with session_scope(runtime.sessions) as s:
        assert s.scalar(select(func.count(Case.id))) == 1


def test_unknown_url_of_anonymous_user_goes_to_login(client):
    response = client.get("/no/such/page")
    assert response.status_code == 302


def test_unknown_url_of_signed_in_user_is_chinese_404(client, login, make_user):
    make_user()
    login()
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


# --- department visibility -------------------------------------------------------------------


@pytest.fixture
def other_department(make_case, add_document) -> tuple[int, int]:
    """A case of 诉讼部 with one document; the signed-in lawyer belongs to 法务部."""
    case_id = make_case("诉讼部的机密案件", "SS-2024-009", department="诉讼部")
    return case_id, add_document(case_id, b"secret", filename="机密.txt", status="failed")


@pytest.mark.parametrize(
    "url_template",
    [
        "/cases/{case_id}",
        "/documents/{document_id}",
        "/documents/{document_id}?p=2",
        "/documents/{document_id}/download",
        "/documents/{document_id}/status.json",
        "/search?q=机密&case_id={case_id}",
    ],
)
def test_other_departments_case_is_not_found(client, login, make_user, other_department, url_template):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")
    case_id, document_id = other_department
    response = client.get(url_template.format(case_id=case_id, document_id=document_id))
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "诉讼部的机密案件" not in body and "机密.txt" not in body


def test_other_departments_case_is_not_listed(client, login, make_user, make_case, other_department):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    make_case("本部门的案件", "FW-2024-002")
    login("zhangsan")
    html = client.get("/").get_data(as_text=True)
    assert "本部门的案件" in html
    assert "诉讼部的机密案件" not in html
    assert "共 1 件" in html


@pytest.mark.parametrize("url_template", ["/cases/{case_id}/documents", "/documents/{document_id}/retry"])
def test_posts_to_other_departments_case_are_not_found(
    runtime, client, login, make_user, other_department, url_template
):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")
    case_id, document_id = other_department
    response = client.post(
        url_template.format(case_id=case_id, document_id=document_id),
        data={"csrf_token": csrf_token(client), "doc_type": "other", "files": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    with session_scope(runtime.sessions) as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        assert s.get(Document, document_id).status == "failed"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGEMENT, Role.ARCHIVIST])
def test_roles_that_see_every_case_see_other_departments(client, login, make_user, other_department, role):
    make_user("boss", role=role, department="总经办")
    login("boss")
    case_id, document_id = other_department
    assert client.get(f"/cases/{case_id}").status_code == 200
    assert client.get(f"/documents/{document_id}").status_code == 200
    assert client.get(f"/documents/{document_id}/status.json").get_json()["status"] == "failed"


# --- who may create and upload ---------------------------------------------------------------

EDITORS = [Role.ADMIN, Role.ARCHIVIST, Role.HEAD, Role.LAWYER]
READ_ONLY = [Role.STAFF, Role.MANAGEMENT]


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_cannot_create_cases(runtime, client, login, make_user, role):
    make_user("reader", role=role)
    login("reader")
    assert "新建案件" not in client.get("/").get_data(as_text=True)
    response = client.get("/cases/new")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)
    token = csrf_token(client)
    response = client.post("/cases/new", data={"csrf_token": token, "name": "越权案件", "internal_no": "X-1"})
    assert response.status_code == 403
    with session_scope(runtime.sessions) as s:
        assert s.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize("role", EDITORS)
def test_editor_roles_can_create_cases(runtime, client, login, make_user, role):
    make_user("member", role=Role.STAFF, department="法务部")  # the department has people
    make_user("editor", role=role)
    login("editor")
    assert "新建案件" in client.get("/").get_data(as_text=True)
    assert client.get("/cases/new").status_code == 200
    token = csrf_token(client, "/cases/new")
    response = client.post(
        "/cases/new",
        data={"csrf_token": token, "name": "授权案件", "internal_no": "X-1", "department": "法务部"},
    )
    assert response.status_code == 302
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Case.name)).all() == ["授权案件"]


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_cannot_upload_or_retry(
    runtime, client, login, make_user, make_case, add_document, role
):
    make_user("reader", role=role)
    case_id = make_case()
    document_id = add_document(case_id, status="failed", error_message="无法解析")
    login("reader")
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "上传文档" not in case_page
    assert ">重试<" not in client.get(f"/documents/{document_id}").get_data(as_text=True)
    token = csrf_token(client)
    response = client.post(
        f"/cases/{case_id}/documents",
        data={"csrf_token": token, "doc_type": "other", "files": (io.BytesIO(b"hello"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    response = client.post(f"/documents/{document_id}/retry", data={"csrf_token": token})
    assert response.status_code == 403
    with session_scope(runtime.sessions) as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        assert s.get(Document, document_id).status == "failed"


@pytest.mark.parametrize("role", EDITORS)
def test_editor_roles_can_upload(runtime, client, login, make_user, make_case, role):
    make_user("editor", role=role)
    case_id = make_case()
    login("editor")
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "上传文档" in case_page
    response = client.post(
        f"/cases/{case_id}/documents",
        data={
            "csrf_token": csrf_token(client),
            "doc_type": "other",
            "files": (io.BytesIO("起诉状正文".encode()), "起诉状.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Document.original_filename)).all() == ["起诉状.txt"]


@pytest.mark.parametrize(
    "url",
    [
        "/cases/99999999999999999999999",
        "/documents/99999999999999999999999",
        "/documents/99999999999999999999999/download",
        "/search?q=合同&case_id=99999999999999999999999",
        "/cases/0",
    ],
)
def test_absurd_ids_are_not_found(client, login, make_user, url):
    make_user()
    login()
    assert client.get(url).status_code == 404
