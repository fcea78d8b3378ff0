"""Uploaded file names, cleaned for DISPLAY only.

A file name is metadata: it is shown to people and sent back on download, and never used to
build a path or an object key (originals live under their SHA-256).
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 255
UNNAMED = "未命名文件"

# Bidirectional overrides/isolates can make "gpj.exe" display as "exe.jpg".
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")


def clean_filename(raw: str | None) -> str:
    """The last path component of ``raw``, NFC, without control characters, ``..`` or
    separators, at most 255 characters (the extension kept); ``未命名文件`` when nothing is left."""
    name = _cleaned(raw)
    if len(name) > MAX_NAME_CHARS:
        stem, ext = split_extension(name)
        name = stem[: MAX_NAME_CHARS - len(ext)].rstrip(" .") + ext
    return name


def shortened_note(raw: str | None) -> str:
    """Chinese note for the user when ``clean_filename`` had to shorten the name, else ``""``."""
    length = len(_cleaned(raw))
    if length <= MAX_NAME_CHARS:
        return ""
    return f"文件名过长（{length} 个字符），已截短为 {MAX_NAME_CHARS} 个字符"


def _cleaned(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _SPACES.sub(" ", name)  # tabs and line breaks become one space
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc").translate(_BIDI)
    name = _DOTS.sub(".", name).strip(" .")
    return name or UNNAMED


def split_extension(name: str) -> tuple[str, str]:
    """``("起诉状", ".pdf")``, the extension as written; a "long" suffix (more than 10
    characters, or with a space) is not taken for an extension."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    ext = name[dot:]
    if len(ext) > 11 or " " in ext:
        return name, ""
    return name[:dot], ext


def extension_of(name: str) -> str:
    """The lower-case extension without the dot (``"pdf"``), or ``""``."""
    return split_extension(name)[1][1:].lower()


def default_title(display_name: str) -> str:
    """The title a document gets when the user gives none: the file name without extension."""
    stem = split_extension(display_name)[0].strip()
    return stem or display_name
