"""One database session per request, opened on first use and closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from juanzong.runtime import Runtime


def current_runtime() -> Runtime:
    return current_app.extensions["juanzong.runtime"]


def get_db() -> Session:
    """The request's session. Views commit explicitly; anything left uncommitted is rolled back."""
    if "db" not in g:
        g.db = current_runtime().sessions()
    return g.db


def _close_db(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db", None)
    if session is not None:
        session.close()


def init_db_session(app: Flask) -> None:
    app.teardown_appcontext(_close_db)
