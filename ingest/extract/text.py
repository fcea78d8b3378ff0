"""Plain text with encoding detection.

Order: a byte-order mark; strict UTF-8; UTF-16 without a BOM (text never holds NUL bytes, so
NULs mean a 16-bit encoding); strict GB18030 (which covers GBK and GB2312) when the result
looks like simplified Chinese; charset-normalizer's best guess; otherwise the file is refused.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
from pathlib import Path

import charset_normalizer

from ingest.errors import MSG_UNKNOWN_ENCODING, ErrorCode, IngestError
from ingest.extract.base import Extracted
from juanzong.settings import Settings

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")


def _decodes(data: bytes, encoding: str, *, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=final)
    except (UnicodeDecodeError, LookupError):
        return None


def control_ratio(text: str) -> float:
    """Share of control characters other than tabs and line breaks (binary data has many)."""
    if not text:
        return 0.0
    n = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
    return n / len(text)


def _plausible(text: str) -> float:
    """Share of letters that are printable and not in a private-use or unassigned area."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in _ALLOWED_CONTROLS or cat[0] in "LNPZS":
            good += 1
    return good / len(text)


def _looks_simplified_chinese(text: str) -> bool:
    """GB18030 decodes almost any byte string; Big5 or UTF-16 read as GB18030 gives Han
    characters outside the common GB2312 set. Real GBK/GB18030 text has over 80 % inside it."""
    han = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return control_ratio(text) < 0.01
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(han) >= 0.8


def _utf16_without_bom(data: bytes, *, final: bool) -> str | None:
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _decodes(data, encoding, final=final)
        if text is None:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, encoding)
    if best is not None and best[0] >= 0.95:
        return best[1]
    return None


def detect_encoding(data: bytes, *, final: bool = True) -> str | None:
    """The encoding of ``data`` or None when it is not text. ``final=False`` for a sample cut
    from a longer file (a character split at the end is not an error)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if _decodes(data, "utf-8", final=final) is not None:
        return "utf-8"
    if b"\x00" in data:
        return _utf16_without_bom(data, final=final)
    text = _decodes(data, "gb18030", final=final)
    if text is not None and _looks_simplified_chinese(text):
        return "gb18030"
    guess = charset_normalizer.from_bytes(data[: 256 * 1024]).best()
    if guess is not None and guess.encoding:
        return str(guess.encoding)
    return None


def extract(path: Path, settings: Settings) -> Extracted:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    if encoding is None:
        raise IngestError(ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"no text encoding fits {path.name}")
    text = data.decode(encoding, errors="replace")
    del data
    if control_ratio(text[:65536]) > 0.01:
        raise IngestError(
            ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"{encoding} decoding gives control characters"
        )
    return Extracted(text=text.replace("\r\n", "\n"), page_count=None, extractor=f"text:{encoding}")
