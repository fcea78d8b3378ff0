"""Plain text with encoding detection.

Order: a byte-order mark; strict UTF-8; UTF-16 without a BOM (text never holds NUL bytes, so
NULs mean a 16-bit encoding); strict GB18030 (which covers GBK and GB2312) when the result
looks like simplified Chinese; charset-normalizer's best guess; otherwise the file is refused.

``stream`` never holds the file whole: the encoding is detected on its first
``DETECT_BYTES`` (the whole file when it is shorter), then the file is decoded incrementally
``BLOCK_BYTES`` at a time (bytes that no character fits become U+FFFD). So a byte that is
invalid in the detected encoding but lies past the first ``DETECT_BYTES`` no longer changes
the choice of encoding: it is replaced.
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from ingest.errors import MSG_UNKNOWN_ENCODING, ErrorCode, IngestError
from ingest.extract.base import Extracted, RawText
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
# The encoding is detected on this much of the start of a file (charset-normalizer looks at
# no more either).
DETECT_BYTES = 256 * 1024
# The file is read and decoded this much at a time.
BLOCK_BYTES = 64 * 1024
# A file whose first this many characters hold more than 1 % control characters is refused.
CONTROL_CHECK_CHARS = 65536


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


def stream(path: Path, settings: Settings) -> RawText:
    """The text as decoded, ``\\r\\n`` made ``\\n``, a piece for each block read. The
    encoding is detected, and the first ``CONTROL_CHECK_CHARS`` characters checked, here."""
    handle = path.open("rb")
    try:
        head = handle.read(DETECT_BYTES)
        whole = len(head) < DETECT_BYTES
        encoding = detect_encoding(head, final=whole)
        if encoding is None:
            raise IngestError(
                ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"no text encoding fits {path.name}"
            )
        decoded = _decode(handle, head, encoding)
        del head
        # The start of the text, decoded now for the check (normally the head is enough).
        start: list[str] = []
        chars = 0
        for text in decoded:
            start.append(text)
            chars += len(text)
            if chars >= CONTROL_CHECK_CHARS:
                break
        if control_ratio("".join(start)[:CONTROL_CHECK_CHARS]) > 0.01:
            raise IngestError(
                ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"{encoding} decoding gives control characters"
            )
    except BaseException:
        handle.close()
        raise
    pieces = _lf_lines(start, decoded, handle)
    weakref.finalize(pieces, handle.close)  # also when the pieces are never read
    return RawText(pieces=pieces, extractor=f"text:{encoding}", page_count=None)


def _decode(handle: BinaryIO, head: bytes, encoding: str) -> Iterator[str]:
    """The text of ``head`` and of the rest of the file, decoded block by block (the same
    text as decoding the whole at once)."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    text = decoder.decode(head)
    del head  # not kept while the rest is read
    yield text
    while block := handle.read(BLOCK_BYTES):
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _lf_lines(start: list[str], decoded: Iterator[str], handle: BinaryIO) -> Iterator[str]:
    """``start`` then ``decoded``, every ``\\r\\n`` made ``\\n`` (also one cut between two
    blocks: a final ``\\r`` waits for the next block); closes ``handle`` at the end."""
    try:
        cr = False
        while True:
            text = start.pop(0) if start else next(decoded, None)  # start: let go as given
            if text is None:
                break
            if cr:
                text = "\r" + text
            cr = text.endswith("\r")
            if cr:
                text = text[:-1]
            yield text.replace("\r\n", "\n")
        if cr:
            yield "\r"
    finally:
        handle.close()


def extract(path: Path, settings: Settings) -> Extracted:
    """The whole text (``stream`` joined)."""
    return stream(path, settings).extracted()
