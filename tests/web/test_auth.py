"""Signing in and out; CSRF on every form; the sign-in redirect."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from archive.db import session_scope
from archive.models import AuditEvent, Case, Document, User
from tests.web.conftest import PASSWORD, csrf_token


def test_login_page_is_chinese_and_has_a_csrf_token(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "登录卷宗" in html
    assert 'name="csrf_token"' in html


def test_login_success_redirects_to_cases_and_records_audit(runtime, client, login, make_user):
    user = make_user("zhangsan")
    response = login("zhangsan")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "张三" in page and "律师" in page and "退出" in page
    with session_scope(runtime.sessions) as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert actions == ["user.login"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("zhangsan", "wrong-password"), ("nobody", PASSWORD), ("ZHANGSAN", PASSWORD)],
)
def test_login_errors_say_wrong_user_name_or_password(client, login, make_user, username, password):
    make_user("zhangsan")
    response = login(username, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "用户名或密码错误" in html
    assert client.get("/").status_code == 302  # still signed out


def test_login_with_empty_fields_asks_for_both(login, make_user):
    make_user("zhangsan")
    response = login("", "")
    assert response.status_code == 200
    assert "请输入用户名和密码" in response.get_data(as_text=True)


def test_inactive_user_cannot_sign_in(runtime, login, make_user):
    user = make_user("zhangsan")
    with session_scope(runtime.sessions) as s:
        s.get(User, user.id).active = False
    assert "用户名或密码错误" in login("zhangsan").get_data(as_text=True)


def test_deactivated_user_is_signed_out_on_next_request(runtime, client, login, make_user):
    user = make_user("zhangsan")
    login("zhangsan")
    assert client.get("/").status_code == 200
    with session_scope(runtime.sessions) as s:
        s.get(User, user.id).active = False
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/cases/new", "/cases/new"),
        ("/search?q=%E5%90%88%E5%90%8C", "/search?q=%E5%90%88%E5%90%8C"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_redirect_only_to_local_paths(client, make_user, next_url, expected):
    make_user("zhangsan")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"username": "zhangsan", "password": PASSWORD, "csrf_token": token, "next": next_url},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_anonymous_request_is_sent_to_login_with_next(client):
    response = client.get("/search?q=合同")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/search?q%3D%E5%90%88%E5%90%8C"


def test_logout_signs_out(client, login, make_user):
    make_user("zhangsan")
    login("zhangsan")
    token = csrf_token(client)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_logout_by_get_is_not_allowed(client, login, make_user):
    make_user("zhangsan")
    login("zhangsan")
    response = client.get("/logout")
    assert response.status_code == 405
    assert "操作不允许" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_login_post_without_csrf_token_is_rejected(client, make_user):
    make_user("zhangsan")
    client.get("/login")
    response = client.post("/login", data={"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 400
    assert "页面已过期或缺少安全校验信息" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "url_template",
    ["/logout", "/cases/new", "/cases/{case_id}/documents", "/documents/{document_id}/retry"],
)
def test_every_form_post_without_csrf_token_is_rejected(
    runtime, client, login, make_user, make_case, add_document, url_template
):
    make_user("zhangsan")
    case_id = make_case()
    document_id = add_document(case_id, status="failed", error_message="无法解析")
    login("zhangsan")
    url = url_template.format(case_id=case_id, document_id=document_id)
    data = {"name": "新案件", "internal_no": "FW-NEW", "doc_type": "other"}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "页面已过期或缺少安全校验信息" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still signed in: the POST did nothing
    response = client.post(url, data={**data, "csrf_token": "forged-token"})
    assert response.status_code == 400
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Case.internal_no)).all() == ["FW-2024-001"]
        assert s.get(Document, document_id).status == "failed"
        assert s.scalar(select(func.count(Document.id))) == 1
