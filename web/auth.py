"""Signing in and out, and the guard that keeps every other page behind a sign-in."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from archive import audit
from archive.models import User
from archive.users import authenticate
from web.access import SignedInUser
from web.db import get_db
from web.extensions import login_manager
from web.forms import LoginForm

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

# Endpoints anyone may reach; every other endpoint (and every unknown URL) needs a signed-in user.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})

LOGIN_ERROR = "用户名或密码错误"


def wants_json() -> bool:
    return request.path.endswith(".json")


@login_manager.user_loader
def _load_user(user_id: str) -> SignedInUser | None:
    if not user_id.isdigit():
        return None
    record = get_db().get(User, int(user_id))
    if record is None or not record.active:
        return None
    return SignedInUser(record)


@login_manager.unauthorized_handler
def _unauthorized() -> Response | tuple[Response, int]:
    if wants_json():
        return jsonify(error="请先登录"), 401
    if request.path == url_for("cases.index") and not request.query_string:
        return redirect(url_for("auth.login"))
    flash("请先登录。", "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


def _require_sign_in() -> Response | tuple[Response, int] | None:
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return _unauthorized()


def init_app(app: Flask) -> None:
    app.before_request(_require_sign_in)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("cases.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        db = get_db()
        user = authenticate(db, form.username.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(SignedInUser(user))
            audit.record(
                db,
                user_id=user.id,
                action="user.login",
                object_type="user",
                object_id=user.id,
                ip=request.remote_addr or "",
            )
            db.commit()
            log.info("user %s signed in", user.username)
            return redirect(next_url or url_for("cases.index"))
        log.warning("failed sign-in for user name %r from %s", form.username.data, request.remote_addr)
        error = LOGIN_ERROR
    elif request.method == "POST":
        error = "请输入用户名和密码"
    return render_template("auth/login.html", form=form, error=error, next_url=next_url)


@bp.post("/logout")
def logout() -> Response:
    # CSRFProtect has already checked the token: nobody can be signed out by another site.
    log.info("user %s signed out", current_user.username)
    logout_user()
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
