"""The Flask web UI: app factory, one blueprint per area, Jinja templates (zh-CN), static files.

Thin: a view parses the request, checks who may do it (``web.access``), calls a service, renders.
Nothing happens at import time; ``create_app`` builds and wires everything.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask

from juanzong.runtime import Runtime, get_runtime

log = logging.getLogger(__name__)

# Room for the multipart envelope and the small form fields around an upload.
MULTIPART_OVERHEAD_BYTES = 1024 * 1024


def create_app(runtime: Runtime | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web application on ``runtime`` (default: the process runtime)."""
    from web import auth, cases, documents, errors, formatting, searching, security
    from web.db import init_db_session
    from web.extensions import csrf, login_manager

    rt = runtime if runtime is not None else get_runtime()
    app = Flask(__name__)
    secure = rt.settings.extra.get("JUANZONG_COOKIE_SECURE", "").lower() in ("1", "true", "yes")
    app.config.from_mapping(
        SECRET_KEY=rt.settings.secret_key,
        MAX_CONTENT_LENGTH=rt.settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        SESSION_COOKIE_NAME="juanzong_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["juanzong.runtime"] = rt
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    init_db_session(app)
    login_manager.init_app(app)
    # The sign-in guard runs before the CSRF check, so an anonymous POST is sent to the login page.
    auth.init_app(app)
    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(searching.bp)
    log.info("web app created (data dir %s)", rt.settings.data_dir)
    return app


__all__ = ["create_app"]
