"""Plain text with encoding detection.

The encoding is decided on a sample of the file, by these rules in order:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. NUL bytes in the first ``DETECT_BYTES``: UTF-16 without a BOM; failing that, a few stray
   NULs (at most 2, or one in 1,000 bytes) are passed over and the rules below decide;
3. otherwise the sample is the ``DETECT_BYTES`` from the first non-ASCII byte, wherever it
   is in the file (a CSV can hold hundreds of KiB of digits before its first Chinese
   word); a file of ASCII only is UTF-8;
4. UTF-8, also with a few invalid bytes (see ``_tolerable``);
5. GB18030 (a superset of GBK and GB2312; a lone 0x80 is the euro sign as in cp936, Windows
   Notepad's "ANSI"), also with a few invalid bytes, when the text looks like simplified
   Chinese (most of its Han characters in GB2312);
6. GB18030 without an invalid byte, when its Han characters are nearly all common ones of
   either script (GBK holds traditional characters too: 臺北, 合約書);
   then Big5 (as cp950, the Windows superset), also with a few invalid bytes, when most of its
   Han characters are in Big5's frequent-character level;
7. GB18030 again, when the text reads as Chinese by a looser measure (half of its non-ASCII
   characters Han, half of those in GB2312: short GBK text with traditional characters);
8. Windows-1252, when the sample holds only a few non-ASCII bytes (``_FEW_BYTES``), all
   defined there, and reads as letters and punctuation (an English CSV with one "Café": a
   guesser cannot tell code pages apart on so few bytes);
9. charset-normalizer's best guess, never UTF-16 or UTF-32 (text without NUL bytes is
   neither: an ASCII line in them holds NULs); otherwise the file is refused.

In 5 and 7, GB18030 is not taken when more than a few of the characters it gives are kana or
private-use ones: that is what Big5 read as GB18030 gives (中文 → いゅ, 黃金 → 独).

A character cut off by the end of the sample or of the file is not an error. ``stream``
never holds the file whole: after detection the file is decoded from its start
``BLOCK_BYTES`` at a time; bytes that no character fits become U+FFFD (the original file is
kept unchanged) and their number is logged.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
# The encoding is detected on this much of a file (charset-normalizer looks at no more
# either), from its first non-ASCII byte.
DETECT_BYTES = 256 * 1024
# The file is read and decoded this much at a time.
BLOCK_BYTES = 64 * 1024
# A file whose first this many characters hold more than 1 % control characters is refused.
CONTROL_CHECK_CHARS = 65536


# --- decoding that replaces and counts invalid bytes -----------------------------------

_REPLACE = "juanzong.replace"


class _Tally(threading.local):
    replaced = 0  # invalid bytes replaced on this thread so far


_TALLY = _Tally()


def _replace_and_count(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if exc.encoding == "gb18030" and exc.object[exc.start : exc.start + 1] == b"\x80":
        # cp936 (GBK as Windows writes it) has the euro sign at 0x80; GB18030 has it elsewhere
        # and leaves a lone 0x80 undefined, so nothing else can be meant.
        return "€", exc.start + 1
    _TALLY.replaced += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error(_REPLACE, _replace_and_count)


class _Decoder:
    """An incremental decoder that makes invalid bytes U+FFFD and counts them."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.replaced = 0  # invalid bytes so far
        self._decoder = codecs.getincrementaldecoder(encoding)(_REPLACE)

    def decode(self, data: bytes, *, final: bool = False) -> str:
        before = _TALLY.replaced
        text = self._decoder.decode(data, final)
        self.replaced += _TALLY.replaced - before
        return text


def _decode_sample(data: bytes, encoding: str) -> tuple[str, int]:
    """The text of ``data`` and the number of invalid bytes in it; a character cut off at
    the end is neither (a sample ends anywhere, and so may a damaged file)."""
    decoder = _Decoder(encoding)
    return decoder.decode(data), decoder.replaced


def _tolerable(replaced: int, non_ascii: int) -> bool:
    """A few invalid bytes among ``non_ascii`` bytes are damage, not another encoding: at
    most 1 % of them, or up to 4 when that is at most one in 8."""
    return replaced <= max(non_ascii // 100, min(4, non_ascii // 8))


# --- what decoded text looks like ------------------------------------------------------


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


def _han(text: str) -> list[str]:
    return [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _big5_frequent(ch: str) -> bool:
    """In Big5's level 1, the 5,401 frequent characters (lead bytes 0xA4–0xC6)."""
    try:
        lead = ch.encode("cp950")[0]
    except UnicodeEncodeError:
        return False
    return 0xA4 <= lead <= 0xC6


def _common_share(han: list[str], common: Callable[[str], bool]) -> float:
    return sum(1 for ch in han if common(ch)) / len(han) if han else 0.0


# Characters GB18030 gives for other encodings' bytes, rare in Chinese case files: kana
# (GB2312 rows 4 and 5) and the private-use area (GBK's user-defined ranges).
_ODD_RANGES = (("\u3040", "\u30ff"), ("\ue000", "\uf8ff"))
_ODD_SHARE = 0.05  # of the non-ASCII characters


def _odd_share(text: str) -> float:
    sample = text[:20000]
    non_ascii = [ch for ch in sample if ord(ch) >= 0x80]
    odd = sum(1 for ch in non_ascii if any(lo <= ch <= hi for lo, hi in _ODD_RANGES))
    return odd / len(non_ascii) if non_ascii else 0.0


def _looks_simplified_chinese(text: str, *, strict: bool) -> bool:
    """GB18030 decodes almost any byte string; Big5, UTF-16 or a Latin code page read as
    GB18030 gives Han characters outside the common GB2312 set. Real GBK/GB18030 text has
    over 80 % inside it. Text without Han characters only counts when no byte was invalid
    and it is all letters, digits, punctuation and symbols (short Big5 read as GB18030 gives
    private-use characters)."""
    if _odd_share(text) > _ODD_SHARE:
        return False
    han = _han(text)
    if not han:
        return strict and _plausible(text) >= 0.99
    return _common_share(han, _in_gb2312) >= 0.8


def _looks_traditional_chinese(text: str) -> bool:
    """Big5 text has over 80 % of its Han characters in Big5's frequent level; GB2312 bytes
    read as Big5 fall all over both levels."""
    return _common_share(_han(text), _big5_frequent) >= 0.8


def _reads_as_chinese(
    text: str, *, common: Callable[[str], bool] = _in_gb2312, share: float = 0.5, min_han: int = 1
) -> bool:
    """Most non-ASCII characters are Han (half at least), ``share`` of those ``common`` ones,
    and hardly any kana or private-use characters: bytes no single-byte code page should
    have (a Latin code page read as GB18030 gives rare Han, Big5 gives kana)."""
    han = _han(text)
    non_ascii = sum(1 for ch in text[:20000] if ord(ch) >= 0x80)
    return (
        len(han) >= min_han
        and len(han) >= 0.5 * non_ascii
        and _common_share(han, common) >= share
        and _odd_share(text) <= _ODD_SHARE
    )


def _common_in_either_script(ch: str) -> bool:
    """In GB2312 or in Big5's frequent level: GBK holds traditional characters too (臺北,
    合約書), and they are common ones."""
    return _in_gb2312(ch) or _big5_frequent(ch)


def _utf16_without_bom(data: bytes) -> str | None:
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        text, replaced = _decode_sample(data, encoding)
        if replaced:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, encoding)
    if best is not None and best[0] >= 0.95:
        return best[1]
    return None


# --- detection -------------------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    encoding: str
    replaced: int = 0  # invalid bytes in the sample
    controls: float = 0.0  # control_ratio of a sample taken past the start of the file


def _bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def detect(data: bytes) -> Detection | None:
    """The encoding of ``data``, a sample of a file or a whole one, or None when it is not
    text (see the module doc for the rules)."""
    if encoding := _bom(data):
        return Detection(encoding)
    if b"\x00" in data:
        if encoding := _utf16_without_bom(data):
            return Detection(encoding)
        # A stray NUL or two in a text (a log, an export): judged without them; the text
        # keeps no NUL (normalisation drops control characters).
        if data.count(b"\x00") > max(2, len(data) // 1000):
            return None
        return _detect_unmarked(data.replace(b"\x00", b""))
    return _detect_unmarked(data)


# Rule 8: so few non-ASCII bytes that no guesser can tell code pages apart.
_FEW_BYTES = 16
# Rule 9: never guessed for text without NUL bytes.
_WIDE_UNICODE = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]


def _detect_unmarked(data: bytes) -> Detection | None:
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not non_ascii:
        return Detection("utf-8")
    text, replaced = _decode_sample(data, "utf-8")
    if _tolerable(replaced, non_ascii):
        return Detection("utf-8", replaced)
    gb_text, gb_replaced = _decode_sample(data, "gb18030")
    gb_fits = _tolerable(gb_replaced, non_ascii)
    if gb_fits and _looks_simplified_chinese(gb_text, strict=gb_replaced == 0):
        return Detection("gb18030", gb_replaced)
    if not gb_replaced and _reads_as_chinese(gb_text, common=_common_in_either_script, share=0.9, min_han=2):
        return Detection("gb18030")
    text, replaced = _decode_sample(data, "cp950")
    if _tolerable(replaced, non_ascii) and _looks_traditional_chinese(text):
        return Detection("cp950", replaced)
    if gb_fits and _reads_as_chinese(gb_text):
        return Detection("gb18030", gb_replaced)
    if non_ascii <= _FEW_BYTES:
        text, replaced = _decode_sample(data, "cp1252")
        if not replaced and _plausible(text) >= 0.99:
            return Detection("cp1252")
    guess = charset_normalizer.from_bytes(data, cp_exclusion=_WIDE_UNICODE).best()
    if guess is None or not guess.encoding:
        return None
    encoding = str(guess.encoding)
    return Detection(encoding, _decode_sample(data, encoding)[1])


def detect_encoding(data: bytes) -> str | None:
    """The encoding of ``data`` (``detect``'s), or None when it is not text."""
    detection = detect(data)
    return detection.encoding if detection else None


def _first_non_ascii(handle: BinaryIO, head: bytes) -> int | None:
    """Where the first non-ASCII byte is: in ``head`` (read from the start) or further on
    (``handle`` is read on a block at a time from where ``head`` ends)."""
    offset, block = 0, head
    while block:
        if found := _NON_ASCII.search(block):
            return offset + found.start()
        offset += len(block)
        block = handle.read(BLOCK_BYTES)
    return None


def _detect_file(handle: BinaryIO) -> Detection | None:
    """The encoding of the file ``handle`` reads from its start (left anywhere)."""
    head = handle.read(DETECT_BYTES)
    if _bom(head) or b"\x00" in head:
        return detect(head)
    start = _first_non_ascii(handle, head)
    if start is None:
        return Detection("utf-8")  # ASCII throughout
    if start == 0 or (start < len(head) and len(head) < DETECT_BYTES):
        return _detect_unmarked(head[start:])  # the whole sample is in hand
    del head
    handle.seek(start)
    sample = handle.read(DETECT_BYTES)
    detection = _detect_unmarked(sample)
    if detection is None:
        return None
    # The start of the file is checked for control characters when decoded; this sample too.
    text = _decode_sample(sample, detection.encoding)[0]
    return Detection(detection.encoding, detection.replaced, control_ratio(text[:CONTROL_CHECK_CHARS]))


# --- reading ---------------------------------------------------------------------------


def _open(path: Path, *, reading: bool = True) -> tuple[str, BinaryIO, list[str], Iterator[str]]:
    """The encoding, the open file, the start of its text (decoded for the check) and the
    rest of it. The encoding is detected, and the start checked, here. ``reading=False``:
    the text is only checked, so invalid bytes are not logged."""
    handle = path.open("rb")
    try:
        detection = _detect_file(handle)
        if detection is None:
            raise IngestError(
                ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"no text encoding fits {path.name}"
            )
        encoding = detection.encoding
        handle.seek(0)
        decoded = _decode(handle, _Decoder(encoding), path.name if reading else None)
        start: list[str] = []
        chars = 0
        for text in decoded:
            start.append(text)
            chars += len(text)
            if chars >= CONTROL_CHECK_CHARS:
                break
        if control_ratio("".join(start)[:CONTROL_CHECK_CHARS]) > 0.01 or detection.controls > 0.01:
            raise IngestError(
                ErrorCode.UNSUPPORTED, MSG_UNKNOWN_ENCODING, f"{encoding} decoding gives control characters"
            )
    except BaseException:
        handle.close()
        raise
    return encoding, handle, start, decoded


def text_encoding(path: Path) -> str | None:
    """The encoding ``stream`` reads ``path`` in, or None when it refuses the file as not
    text (what sniffing asks, so that both agree)."""
    try:
        encoding, handle, _, _ = _open(path, reading=False)
    except IngestError:
        return None
    handle.close()
    return encoding


def stream(path: Path, settings: Settings) -> RawText:
    """The text as decoded, ``\\r\\n`` made ``\\n``, a piece for each block read. The
    encoding is detected, and the first ``CONTROL_CHECK_CHARS`` characters checked, here."""
    encoding, handle, start, decoded = _open(path)
    pieces = _lf_lines(start, decoded, handle)
    weakref.finalize(pieces, handle.close)  # also when the pieces are never read
    return RawText(pieces=pieces, extractor=f"text:{encoding}", page_count=None)


def _decode(handle: BinaryIO, decoder: _Decoder, name: str | None) -> Iterator[str]:
    """The text of the file from where ``handle`` is, decoded block by block (the same text
    as decoding the whole at once); logs how many bytes were invalid (given the file's
    ``name``)."""
    while block := handle.read(BLOCK_BYTES):
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)
    if decoder.replaced and name is not None:
        log.warning(
            "%s: %d invalid byte(s) in %s text replaced by U+FFFD", name, decoder.replaced, decoder.encoding
        )


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
