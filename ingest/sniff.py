"""The real type of a file, from its CONTENT; the name only adds a note when it disagrees."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import MSG_IMAGE, ErrorCode, IngestError
from ingest.extract.text import text_encoding
from ingest.filenames import extension_of

HEAD_BYTES = 64 * 1024
SUPPORTED_KINDS = frozenset({"pdf", "docx", "text"})

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "ole2": "application/x-ole-storage",
    "rtf": "application/rtf",
    "text": "text/plain",
    "binary": "application/octet-stream",
}
# What people call each kind (used in notes and messages).
KIND_LABEL = {
    "pdf": "PDF",
    "docx": "DOCX",
    "xlsx": "XLSX 表格",
    "pptx": "PPTX 演示文稿",
    "zip": "ZIP 压缩包",
    "ole2": "旧版 Office 文件",
    "rtf": "RTF",
    "image": "图片",
    "text": "文本",
    "binary": "无法识别的二进制数据",
}
# The kind a file name's extension promises.
EXTENSION_KIND = {
    "pdf": "pdf",
    **dict.fromkeys(("docx", "docm", "dotx", "dotm"), "docx"),
    "xlsx": "xlsx",
    "pptx": "pptx",
    "zip": "zip",
    "doc": "ole2",
    "xls": "ole2",
    "ppt": "ole2",
    "rtf": "rtf",
    "txt": "text",
    "text": "text",
    "csv": "text",
    "md": "text",
    "log": "text",
    **dict.fromkeys(("png", "jpg", "jpeg", "tif", "tiff", "gif", "bmp", "webp"), "image"),
}
_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# The sizes of the DIB headers a BMP's BITMAPFILEHEADER can be followed by (core, info, the
# two Adobe ones, OS/2 2.x, V4, V5).
_BMP_DIB_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HINT = "，请另存为 DOCX 或 PDF 后再上传"


@dataclass(frozen=True)
class Sniffed:
    kind: str  # pdf | docx | xlsx | pptx | zip | ole2 | rtf | image | text | binary
    mime: str
    note: str = ""  # Chinese, e.g. "扩展名为 .docx，实际内容为 PDF"
    error: IngestError | None = None  # set when the kind cannot be processed

    @property
    def supported(self) -> bool:
        return self.error is None


def _zip_kind(path: Path) -> str | None:
    from ingest.extract.docx import is_word_package  # python-docx: only when a zip comes

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            # The main part is the one _rels/.rels names (Word may save word/document2.xml);
            # .docm, .dotx and .dotm are read as DOCX (their macros are never run).
            if "word/document.xml" in names or is_word_package(zf):
                return "docx"
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _is_bmp(head: bytes) -> bool:
    """A BITMAPFILEHEADER: "BM", the file size, 4 reserved zero bytes, the offset of the
    pixels (past both headers), then a DIB header of a known size. Text can start with "BM"
    ("BMW 4S店…") but never holds NULs."""
    if len(head) < 18 or not head.startswith(b"BM") or head[6:10] != bytes(4):
        return False
    size, offset, dib = (int.from_bytes(head[i : i + 4], "little") for i in (2, 10, 14))
    return dib in _BMP_DIB_SIZES and offset >= 14 + dib and (size == 0 or size >= offset)


def _content_kind(path: Path, head: bytes) -> tuple[str, str]:
    if head.startswith(b"%PDF-"):
        return "pdf", MIME["pdf"]
    if head.startswith(_ZIP):
        kind = _zip_kind(path)
        return (kind, MIME[kind]) if kind else ("binary", MIME["binary"])
    if head.startswith(_OLE2):
        return "ole2", MIME["ole2"]
    if head.startswith(b"{\\rtf"):
        return "rtf", MIME["rtf"]
    for magic, mime in _IMAGES:
        if head.startswith(magic):
            return "image", mime
    if _is_bmp(head):
        return "image", "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp"
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header
        return "pdf", MIME["pdf"]
    if text_encoding(path) is not None:  # what the text extractor reads, and nothing else
        return "text", MIME["text"]
    return "binary", MIME["binary"]


def _word(label: str) -> str:
    """A kind's label inside a Chinese sentence: Latin ones get a space either side (“有效的 PDF
    文件”), Chinese ones none (“有效的文本文件”)."""
    return f" {label} " if label[0].isascii() else label


def _unsupported(kind: str, mime: str, claimed: str | None, ext: str) -> IngestError:
    if kind == "image":
        return IngestError(ErrorCode.UNSUPPORTED, MSG_IMAGE, f"image {mime}")
    if kind == "ole2":
        return IngestError(
            ErrorCode.UNSUPPORTED, "暂不支持旧版 Office 文件（.doc/.xls）" + _HINT, "legacy OLE2 file"
        )
    if kind == "zip":
        return IngestError(
            ErrorCode.UNSUPPORTED, "暂不支持 ZIP 压缩包，请解压后上传其中的文件", "zip archive"
        )
    if kind in ("xlsx", "pptx", "rtf"):
        label = _word(KIND_LABEL[kind]).rstrip()
        return IngestError(ErrorCode.UNSUPPORTED, f"暂不支持{label}" + _HINT, f"{kind} file")
    if claimed in SUPPORTED_KINDS:
        # Unrecognisable bytes behind a name that promises something we read: a broken file.
        return IngestError(
            ErrorCode.CORRUPT,
            f"文件扩展名为 .{ext}，但内容不是有效的{_word(KIND_LABEL[claimed])}文件（可能已损坏）",
            f"binary content named .{ext}",
        )
    return IngestError(ErrorCode.UNSUPPORTED, "暂不支持此文件类型（无法识别的二进制内容）", "binary file")


def sniff(path: Path, display_name: str) -> Sniffed:
    """Sniff ``path``; ``display_name`` (already cleaned) is only compared with the result."""
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    kind, mime = _content_kind(path, head)
    ext = extension_of(display_name)
    claimed = EXTENSION_KIND.get(ext)
    note = ""
    if claimed is not None and claimed != kind and kind != "binary":
        label = KIND_LABEL[kind]
        note = f"扩展名为 .{ext}，实际内容为{_word(label).rstrip()}"
    error = None if kind in SUPPORTED_KINDS else _unsupported(kind, mime, claimed, ext)
    return Sniffed(kind=kind, mime=mime, note=note, error=error)
