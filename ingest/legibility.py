"""Whether an extracted text can be read at all.

A PDF whose fonts lack a Unicode mapping (no ToUnicode CMap, a custom encoding) still "has
text": pypdf gives glyph codes, which come out as private-use characters, replacement
characters, black squares or Latin-1 letters (the GBK bytes of 上海市 read as ÉÏº£ÊÐ). Such a
document is indexed like any other, but nobody will find it by its words; the document page
says so (a note), so that the user knows to look at the original or have it OCRed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Characters that in a Chinese case file's text mean the extraction could not map glyphs to
# characters: U+FFFD, black and white squares (what some writers put for a missing glyph),
# the private-use areas, and the Latin-1 supplement (GBK bytes read as Latin-1).
_UNREADABLE = re.compile("[\ufffd\u25a0\u25a1\ue000-\uf8ff\U000f0000-\U0010ffff\u0080-\u00ff]")
_SPACE = re.compile(r"\s")
# At least this many visible characters before a text is judged (a form with a few "□").
MIN_CHARS = 40
# More than this share of the visible characters unreadable: the text as a whole is.
UNREADABLE_SHARE = 0.3

NOTE_UNREADABLE = (
    "提取的文字大多无法识别（可能是 PDF 字体缺少编码映射），按文字搜索可能找不到本文档，请查看原件"
)


class Legibility:
    """Counts, as the pieces of a text stream past, how many of its visible characters are
    unreadable (nothing is held)."""

    def __init__(self) -> None:
        self.visible = 0
        self.unreadable = 0

    def watch(self, pieces: Iterator[str]) -> Iterator[str]:
        for piece in pieces:
            self.visible += len(piece) - len(_SPACE.findall(piece))
            self.unreadable += len(_UNREADABLE.findall(piece))
            yield piece

    @property
    def mostly_unreadable(self) -> bool:
        return self.visible >= MIN_CHARS and self.unreadable > UNREADABLE_SHARE * self.visible


def with_note(notes: str, note: str, present: bool) -> str:
    """``notes`` (joined by ；) with ``note`` in it or not, the others kept in their order."""
    kept = [n for n in notes.split("；") if n and n != note] if notes else []
    return "；".join([*kept, note] if present else kept)
