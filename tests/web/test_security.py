"""Security headers, cookies, upload size limit, error pages, no inline script."""

from __future__ import annotations

import io
import re

import pytest

from archive.models import Role
from tests.web.conftest import csrf_token
from web import MULTIPART_OVERHEAD_BYTES, create_app


@pytest.fixture
def lawyer(login, make_user):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")


def test_security_headers_on_pages(client):
    response = client.get("/login")
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_served_locally(client):
    with client.get("/static/css/app.css") as css:
        assert css.status_code == 200
        assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"' in css.get_data(as_text=True)
    with client.get("/static/js/status.js") as js:
        assert js.status_code == 200
        assert js.headers["Content-Type"].startswith("text/javascript")


def test_session_cookie_is_http_only_and_same_site_lax(client, login, make_user):
    make_user("zhangsan")
    response = login("zhangsan")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("juanzong_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1 by default; JUANZONG_COOKIE_SECURE=1 adds it


def test_secure_cookie_when_configured(runtime, settings):
    from dataclasses import replace

    from juanzong.runtime import Runtime

    secure = Runtime(replace(settings, extra={**settings.extra, "JUANZONG_COOKIE_SECURE": "1"}))
    app = create_app(secure, {"TESTING": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    secure.close()


def test_upload_limit_follows_the_setting(app, runtime):
    assert app.config["MAX_CONTENT_LENGTH"] == runtime.settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES
    assert app.config["SECRET_KEY"] == "test-secret"


def test_too_large_request_gets_a_chinese_413_page(runtime, make_user, make_case):
    app = create_app(runtime, {"TESTING": True, "MAX_CONTENT_LENGTH": 4096})
    client = app.test_client()
    make_user("zhangsan")
    case_id = make_case()
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "zhangsan", "password": "password-123", "csrf_token": token})
    response = client.post(
        f"/cases/{case_id}/documents",
        data={
            "csrf_token": csrf_token(client),
            "doc_type": "other",
            "files": (io.BytesIO(b"x" * 10_000), "大.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "<h1>文件过大</h1>" in html
    assert "上传的内容超过了允许的大小上限" in html


def test_unhandled_error_gets_a_chinese_500_page(runtime, make_user):
    app = create_app(runtime, {"TESTING": True, "PROPAGATE_EXCEPTIONS": False})

    def boom() -> str:
        raise RuntimeError("deliberate failure for the test")

    app.add_url_rule("/boom", "boom", boom)
    client = app.test_client()
    make_user("zhangsan")
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "zhangsan", "password": "password-123", "csrf_token": token})
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "<h1>服务器内部错误</h1>" in html
    assert "deliberate failure" not in html


def test_pages_have_no_inline_script_or_style(client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(case_id, status="queued", text=None)
    for url in ["/", "/cases/new", f"/cases/{case_id}", f"/documents/{document_id}", "/search", "/nope"]:
        html = client.get(url).get_data(as_text=True)
        assert html.startswith('<!doctype html>\n<html lang="zh-CN">'), url
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/js/status.js" defer>'], url
        assert "</script>" in html and html.count("</script>") == 1, url
        assert not re.search(r"\son[a-z]+=", html), url
        assert " style=" not in html and "<style" not in html, url
        assert "http://" not in html and "https://" not in html, url  # nothing from a CDN
