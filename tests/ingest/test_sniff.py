from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from demodata.files import write_text
from ingest.errors import ErrorCode, IngestError
from ingest.extract.text import extract, text_encoding
from ingest.sniff import sniff
from juanzong.settings import Settings

from .samples import png_bytes, sample_docx, sample_pdf
from .test_extract_docx_stream import MAIN_CT, hand_docx, p

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_pdf(tmp_path: Path) -> None:
    s = sniff(sample_pdf(tmp_path / "a.pdf"), "判决书.pdf")
    assert (s.kind, s.mime, s.note, s.error) == ("pdf", "application/pdf", "", None)


def test_pdf_header_after_junk_within_first_kilobyte(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"\r\n" * 100 + b"%PDF-1.4\n")
    assert sniff(path, "a.pdf").kind == "pdf"


def test_docx(tmp_path: Path) -> None:
    s = sniff(sample_docx(tmp_path / "a.docx"), "分析报告.docx")
    assert (s.kind, s.mime, s.note, s.supported) == ("docx", DOCX_MIME, "", True)


def test_text(tmp_path: Path) -> None:
    path = tmp_path / "a"
    write_text(path, "开庭笔录\n审判长：现在开庭。\n", "gb18030")
    s = sniff(path, "笔录.txt")
    assert (s.kind, s.mime, s.note, s.supported) == ("text", "text/plain", "", True)


def test_pdf_named_docx_gets_a_note(tmp_path: Path) -> None:
    s = sniff(sample_pdf(tmp_path / "a"), "合同.docx")
    assert (s.kind, s.note, s.supported) == ("pdf", "扩展名为 .docx，实际内容为 PDF", True)


def test_text_named_pdf_gets_a_note(tmp_path: Path) -> None:
    path = tmp_path / "a"
    write_text(path, "代理词全文", "utf-8")
    s = sniff(path, "代理词.pdf")
    assert (s.kind, s.note) == ("text", "扩展名为 .pdf，实际内容为文本")


def test_png_named_pdf_is_an_unsupported_image(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(png_bytes())
    s = sniff(path, "扫描件.pdf")
    assert (s.kind, s.mime, s.note) == ("image", "image/png", "扩展名为 .pdf，实际内容为图片")
    assert s.error is not None
    assert (s.error.code, s.error.message_zh) == (ErrorCode.UNSUPPORTED, "扫描图片暂不支持")


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_other_images(tmp_path: Path, head: bytes, mime: str) -> None:
    path = tmp_path / "a"
    path.write_bytes(head + b"\x00\xff" * 64)
    s = sniff(path, "scan.jpg")
    assert (s.kind, s.mime) == ("image", mime)
    assert s.error is not None and s.error.message_zh == "扫描图片暂不支持"


def test_legacy_word_document(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    s = sniff(path, "起诉状.doc")
    assert (s.kind, s.note) == ("ole2", "")
    assert s.error is not None
    assert (s.error.code, s.error.message_zh) == (
        ErrorCode.UNSUPPORTED,
        "暂不支持旧版 Office 文件（.doc/.xls），请另存为 DOCX 或 PDF 后再上传",
    )


def test_xlsx_and_plain_zip(tmp_path: Path) -> None:
    xlsx = tmp_path / "a.xlsx"
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    s = sniff(xlsx, "台账.xlsx")
    assert (s.kind, s.error.message_zh if s.error else None) == (
        "xlsx",
        "暂不支持 XLSX 表格，请另存为 DOCX 或 PDF 后再上传",
    )
    plain = tmp_path / "b.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("证据/合同.pdf", "%PDF-1.4")
    s = sniff(plain, "证据.zip")
    assert (s.kind, s.error.message_zh if s.error else None) == (
        "zip",
        "暂不支持 ZIP 压缩包，请解压后上传其中的文件",
    )


def test_rtf(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"{\\rtf1\\ansi\\deff0 hello}")
    s = sniff(path, "a.rtf")
    assert s.kind == "rtf"
    assert s.error is not None and s.error.code is ErrorCode.UNSUPPORTED


def test_binary_named_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(bytes(range(256)) * 16)
    s = sniff(path, "合同.docx")
    assert (s.kind, s.mime, s.note) == ("binary", "application/octet-stream", "")
    assert s.error is not None
    assert (s.error.code, s.error.message_zh) == (
        ErrorCode.CORRUPT,
        "文件扩展名为 .docx，但内容不是有效的 DOCX 文件（可能已损坏）",
    )


def test_binary_named_txt_is_corrupt_and_the_message_has_no_stray_spaces(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(bytes(range(256)) * 16)
    s = sniff(path, "笔录.txt")
    assert s.error is not None
    assert (s.error.code, s.error.message_zh) == (
        ErrorCode.CORRUPT,
        "文件扩展名为 .txt，但内容不是有效的文本文件（可能已损坏）",
    )


def test_binary_with_unknown_name_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(bytes(range(256)) * 16)
    s = sniff(path, "data.bin")
    assert s.error is not None
    assert (s.error.code, s.error.message_zh) == (
        ErrorCode.UNSUPPORTED,
        "暂不支持此文件类型（无法识别的二进制内容）",
    )


def test_truncated_docx_zip_is_corrupt(tmp_path: Path) -> None:
    data = sample_docx(tmp_path / "a.docx").read_bytes()
    path = tmp_path / "b"
    path.write_bytes(data[: len(data) // 2])
    s = sniff(path, "分析报告.docx")
    assert s.kind == "binary"
    assert s.error is not None and s.error.code is ErrorCode.CORRUPT


def bmp_bytes(dib_size: int = 40, *, size_field: int | None = None) -> bytes:
    """A 1×1 24-bit BMP with a DIB header of ``dib_size`` bytes (12: OS/2 core)."""
    pixels = b"\x00\x00\xff\x00"  # one pixel, the row padded to 4 bytes
    if dib_size == 12:
        dib = struct.pack("<IHHHH", 12, 1, 1, 1, 24)
    else:
        dib = struct.pack("<IiiHHIIiiII", dib_size, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
        dib += bytes(dib_size - len(dib))
    offset = 14 + len(dib)
    size = offset + len(pixels) if size_field is None else size_field
    return b"BM" + struct.pack("<IHHI", size, 0, 0, offset) + dib + pixels


@pytest.mark.parametrize(
    "data",
    [bmp_bytes(40), bmp_bytes(12), bmp_bytes(108), bmp_bytes(124), bmp_bytes(40, size_field=0)],
)
def test_bmp(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a"
    path.write_bytes(data)
    s = sniff(path, "扫描件.bmp")
    assert (s.kind, s.mime, s.note) == ("image", "image/bmp", "")
    assert s.error is not None and s.error.message_zh == "扫描图片暂不支持"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("BMW 4S店与张三买卖合同纠纷案件说明\n原告诉称车辆存在质量问题。\n", "utf-8"),
        ("BMW 4S店与张三买卖合同纠纷案件说明\n原告诉称车辆存在质量问题。\n", "gbk"),
        ("BM-2024-017 案件进展记录：已提交证据目录。\n", "utf-8"),
        ("BM", "utf-8"),
    ],
)
def test_text_starting_with_bm_is_no_bitmap(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "a"
    path.write_bytes(text.encode(encoding))
    s = sniff(path, "说明.txt")
    assert (s.kind, s.mime, s.note, s.error) == ("text", "text/plain", "", None)


GBK = "诉讼请求：判令被告支付货款人民币123456元及违约金。\r\n".encode("gbk") * 10
ASCII = b"2023-03-01,622202020000000001,13.00,CNY\r\n" * 7000


@pytest.mark.parametrize(
    "data",
    [
        GBK[:-3],  # cut inside the last character
        GBK[:100] + b"\xff" + GBK[100:],  # a stray byte
        GBK[:51] + b"\xa0" + GBK[51:],
        GBK.decode("gbk").encode()[:99] + b"\xff" + GBK.decode("gbk").encode()[99:],
        GBK.replace("人民币".encode("gbk"), b"\x80"),  # Notepad's euro sign
        ASCII + GBK,  # Chinese past the sniffed head and past the detection sample
        ASCII + GBK.decode("gbk").encode(),
    ],
)
def test_damaged_or_late_text_is_text(tmp_path: Path, data: bytes) -> None:
    # These were refused as "内容不是有效的文本文件".
    path = tmp_path / "a"
    path.write_bytes(data)
    s = sniff(path, "起诉状.txt")
    assert (s.kind, s.mime, s.note, s.error) == ("text", "text/plain", "", None)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 16,
        bytes(range(1, 256)) * 1000,  # no NUL
        ASCII + bytes(range(1, 256)) * 1000,  # binary past an ASCII head
        b"BM" + bytes(range(256)) * 16,
    ],
)
def test_binary_is_not_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a"
    path.write_bytes(data)
    s = sniff(path, "笔录.txt")
    assert (s.kind, s.error.code if s.error else None) == ("binary", ErrorCode.CORRUPT)


@pytest.mark.parametrize(
    "data",
    [
        GBK[:-3],
        GBK + b"\xff" * 40,  # too much damage for GBK
        ASCII + GBK,
        bytes(range(1, 256)) * 1000,
        ("合同\x01\x02" * 100).encode(),
        "Müller fällig".encode("cp1252"),
    ],
)
def test_sniffing_agrees_with_the_text_extractor(tmp_path: Path, settings: Settings, data: bytes) -> None:
    path = tmp_path / "a"
    path.write_bytes(data)
    try:
        extracted = extract(path, settings).extractor
    except IngestError:
        extracted = None
    encoding = text_encoding(path)
    assert extracted == (f"text:{encoding}" if encoding else None)
    assert (sniff(path, "a.txt").kind == "text") == (encoding is not None)


def test_a_word_main_part_under_another_name(tmp_path: Path) -> None:
    path = hand_docx(tmp_path / "a", p("正文"), main="word/document2.xml")
    s = sniff(path, "判决书.docx")
    assert (s.kind, s.mime, s.note, s.supported) == ("docx", DOCX_MIME, "", True)


@pytest.mark.parametrize(
    ("ext", "content_type"),
    [
        ("docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ("dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
        ("dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    ],
)
def test_macro_enabled_documents_and_templates_are_docx(tmp_path: Path, ext: str, content_type: str) -> None:
    path = hand_docx(tmp_path / "a", p("正文"), main_ct=content_type, main="word/main.xml")
    s = sniff(path, f"合同模板.{ext}")
    assert (s.kind, s.note, s.supported) == ("docx", "", True)
    assert sniff(sample_pdf(tmp_path / "b"), f"合同.{ext}").note == f"扩展名为 .{ext}，实际内容为 PDF"


def test_a_package_whose_main_part_is_not_word_is_not_docx(tmp_path: Path) -> None:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    path = hand_docx(tmp_path / "a", p("正文"), main_ct=sheet, main="word/main.xml")
    assert sniff(path, "a.docx").kind == "zip"
    # the sniffer reads the package's relationships only when they are small (a zip bomb)
    big = tmp_path / "big"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(sheet.encode(), MAIN_CT.encode()) + b" " * (1 << 20)
            dst.writestr(info.filename, data)
    assert sniff(big, "a.docx").kind == "zip"
