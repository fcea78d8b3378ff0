"""Small helpers for reading page numbers and building links that keep the other query arguments."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for

MAX_PAGE = 10_000


def page_arg(name: str = "page") -> int:
    """The requested page number, 1 when missing or not a sensible number."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True, int("²") fails
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (None removes one; a list repeats it)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == [] or value == "":
            args.pop(key, None)
        elif isinstance(value, list | tuple | set | frozenset):
            args[key] = [str(v) for v in value]
        else:
            args[key] = [str(value)]
    base = url_for(request.endpoint or "cases.index", **(request.view_args or {}))
    query = urlencode([(k, v) for k, vs in args.items() for v in vs])
    return f"{base}?{query}" if query else base


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to show around ``page``; None marks a gap (…)."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
