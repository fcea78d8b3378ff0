"""Sending an original back with its Chinese file name intact (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")
_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
# RFC 5987 attr-char, beyond letters and digits (urllib.parse.quote keeps "_.-~" already).
_ATTR_CHAR_EXTRA = "!#$&+^`|"


def _clean(filename: str) -> str:
    """The name without path parts or control characters (never trust what is stored blindly)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name.strip() or "document"


def ascii_fallback(filename: str, document_id: int) -> str:
    """A plain-ASCII name for old clients: the name itself if it is plain ASCII, otherwise
    ``document-<id>`` with the original extension."""
    name = _clean(filename)
    if _PRINTABLE_ASCII.match(name) and '"' not in name and "\\" not in name:
        return name
    suffix = PurePosixPath(name).suffix
    return f"document-{document_id}{suffix.lower() if _SAFE_SUFFIX.match(suffix) else ''}"


def content_disposition(filename: str, document_id: int) -> str:
    """``attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded UTF-8>``."""
    name = _clean(filename)
    encoded = quote(name, safe=_ATTR_CHAR_EXTRA, encoding="utf-8")
    return f"attachment; filename=\"{ascii_fallback(name, document_id)}\"; filename*=UTF-8''{encoded}"


def safe_content_type(mime_type: str | None) -> str:
    """The stored MIME type when it is well formed, otherwise ``application/octet-stream``."""
    value = (mime_type or "").strip().lower()
    return value if _MIME.match(value) else "application/octet-stream"
