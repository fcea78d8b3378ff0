"""A home-made TrueType CJK font, so demo PDFs can embed a real TrueType font.

No CJK TrueType font can be downloaded here and none ships with our packages, so we build one with
fontTools: every CJK Unified Ideograph (U+4E00–U+9FFF), ASCII, Latin-1, general and CJK punctuation
and full-width forms. Glyphs are simple outlines (a frame with a bar pattern derived from the code
point; seven-segment digits; characters with the same pattern share a glyph), which is enough for a
viewer to draw something and, above all, for text extraction to map every character code back to its
character through the PDF's ToUnicode map.

The font is written once to the cache directory (``JUANZONG_CACHE_DIR`` or ``~/.cache/juanzong``),
keyed by a hash of its character set and glyph design version, and reused from there.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

log = logging.getLogger(__name__)

FONT_FAMILY = "JuanzongDemoSans"
DESIGN_VERSION = "3"
UPM = 1000
ASCENT = 880
DESCENT = -120

_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, §)
    (0x2010, 0x203B),  # general punctuation (—, ‘’, “”, …, ※)
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x2460, 0x2473),  # circled numbers ①–⑳
    (0x25A0, 0x25CF),  # geometric shapes (□, ■, ○, ●)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〈〉《》「」【】〔〕〇)
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFF01, 0xFF5E),  # full-width forms (，：；（）？！)
)


def default_charset() -> frozenset[str]:
    """Every character the built font covers."""
    return frozenset(chr(cp) for lo, hi in _RANGES for cp in range(lo, hi + 1))


def cache_dir() -> Path:
    """Where generated artefacts are cached: ``JUANZONG_CACHE_DIR`` or ``~/.cache/juanzong``."""
    env = os.environ.get("JUANZONG_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "juanzong"


def _is_wide(ch: str) -> bool:
    cp = ord(ch)
    return cp >= 0x2E80 or 0x2460 <= cp <= 0x24FF or 0x25A0 <= cp <= 0x25FF or ch in "—…※"


def _rect(pen: TTGlyphPen, x0: int, y0: int, x1: int, y1: int, *, clockwise: bool = True) -> None:
    pts = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    if not clockwise:
        pts.reverse()
    pen.moveTo(pts[0])
    for p in pts[1:]:
        pen.lineTo(p)
    pen.closePath()


# Seven-segment layout in a 500-unit advance: a top, b upper right, c lower right, d bottom,
# e lower left, f upper left, g middle.
_SEGMENTS = {
    "a": (90, 640, 410, 700),
    "b": (350, 370, 410, 700),
    "c": (350, 0, 410, 330),
    "d": (90, 0, 410, 60),
    "e": (90, 0, 150, 330),
    "f": (90, 370, 150, 700),
    "g": (90, 320, 410, 380),
}
_DIGITS = {
    "0": "abcdef",
    "1": "bc",
    "2": "abged",
    "3": "abgcd",
    "4": "fgbc",
    "5": "afgcd",
    "6": "afgedc",
    "7": "abc",
    "8": "abcdefg",
    "9": "abcdfg",
}


def _draw(pen: TTGlyphPen, ch: str, advance: int) -> None:
    cp = ord(ch)
    if ch.isspace() or cp in (0x00A0, 0x3000):
        return
    if ch in _DIGITS:
        for seg in _DIGITS[ch]:
            _rect(pen, *_SEGMENTS[seg])
        return
    if advance < UPM:
        # Narrow (Latin and punctuation): a slim frame with one bar chosen by the code point.
        _rect(pen, 80, 0, 420, 700)
        _rect(pen, 140, 60, 360, 640, clockwise=False)
        y = 140 + (cp % 5) * 100
        _rect(pen, 140, y, 360, y + 50)
        return
    # Wide (CJK): a frame, with horizontal and vertical bars picked by the code point's bits.
    _rect(pen, 60, -60, 940, 820)
    _rect(pen, 110, -10, 890, 770, clockwise=False)
    bits = (cp * 2654435761) >> 7
    drawn = False
    for i, y in enumerate((160, 360, 560)):
        if bits >> i & 1:
            _rect(pen, 110, y, 890, y + 50)
            drawn = True
    for i, x in enumerate((260, 475, 690)):
        if bits >> (i + 3) & 1:
            _rect(pen, x, -10, x + 50, 770)
            drawn = True
    if not drawn:
        _rect(pen, 475, -10, 525, 770)


def _shape_key(ch: str) -> str:
    """Glyph name of the outline drawn for ``ch``; characters with the same pattern share one glyph."""
    cp = ord(ch)
    if ch.isspace() or cp in (0x00A0, 0x3000):
        return "space.wide" if _is_wide(ch) else "space"
    if ch in _DIGITS:
        return f"digit{ch}"
    if not _is_wide(ch):
        return f"narrow{cp % 5}"
    bits = ((cp * 2654435761) >> 7) & 0x3F
    return f"wide{bits:02d}"


def build_font(chars: Iterable[str], out: Path) -> Path:
    """Build a TrueType font covering ``chars`` (plus ASCII space) and write it to ``out``.

    Outlines depend on a few bits of the code point, so many characters share a glyph (the cmap maps
    them to the same glyph id): the font stays small and builds in well under a second, and text
    extraction is unaffected because PDFs map each character code back through ToUnicode.
    """
    charset = sorted(set(chars) | {" "})
    glyphs = {}
    metrics: dict[str, tuple[int, int]] = {}
    pen = TTGlyphPen(None)
    _rect(pen, 50, 0, 450, 700)
    _rect(pen, 100, 50, 400, 650, clockwise=False)
    glyphs[".notdef"] = pen.glyph()
    metrics[".notdef"] = (500, 50)
    cmap: dict[int, str] = {}
    for ch in charset:
        name = _shape_key(ch)
        cmap[ord(ch)] = name
        if name not in glyphs:
            advance = UPM if _is_wide(ch) else 500
            pen = TTGlyphPen(None)
            _draw(pen, ch, advance)
            glyphs[name] = pen.glyph()
            metrics[name] = (advance, 0)
    glyph_order = [".notdef", *sorted(n for n in glyphs if n != ".notdef")]
    fb = FontBuilder(UPM, isTTF=True)
    fb.setupGlyphOrder(glyph_order)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    for name, glyph in glyphs.items():
        glyph.recalcBounds(fb.font["glyf"])
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupNameTable(
        {
            "familyName": FONT_FAMILY,
            "styleName": "Regular",
            "uniqueFontIdentifier": f"{FONT_FAMILY}-{DESIGN_VERSION}",
            "fullName": f"{FONT_FAMILY} Regular",
            "psName": f"{FONT_FAMILY}-Regular",
            "version": f"Version {DESIGN_VERSION}.0",
        }
    )
    fb.setupOS2(
        sTypoAscender=ASCENT,
        sTypoDescender=DESCENT,
        usWinAscent=ASCENT,
        usWinDescent=-DESCENT,
        fsType=0,  # installable: embedding and subsetting allowed
    )
    fb.setupPost()
    fb.setupHead(unitsPerEm=UPM)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file, then rename: concurrent builders never see a half-written font.
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".font-", suffix=".ttf")
    os.close(fd)
    try:
        fb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def charset_key(chars: Iterable[str]) -> str:
    text = "".join(sorted(set(chars)))
    return hashlib.sha256(f"{DESIGN_VERSION}\n{text}".encode()).hexdigest()[:16]


@cache
def _font_path_for(key: str, chars: frozenset[str]) -> Path:
    name = f"{FONT_FAMILY}-{key}.ttf"
    for directory in (cache_dir() / "fonts", Path(tempfile.gettempdir()) / "juanzong-fonts"):
        path = directory / name
        if path.exists():
            return path
        try:
            log.info("building demo CJK TrueType font for %d characters at %s", len(chars), path)
            return build_font(chars, path)
        except OSError as exc:  # e.g. a read-only home directory: fall back to the temp directory
            log.warning("cannot write font cache %s (%s); trying the temp directory", path, exc)
    raise OSError("no writable directory for the demo font cache")


def font_path(extra_chars: Iterable[str] = ()) -> Path:
    """Path of a cached TrueType font covering :func:`default_charset` and ``extra_chars``."""
    base = default_charset()
    missing = frozenset(extra_chars) - base
    chars = base | missing
    return _font_path_for(charset_key(chars), chars)
