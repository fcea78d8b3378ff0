"""Real sample files for the ingest tests, made on the fly (demodata writes the normal ones)."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from demodata.files import write_docx, write_pdf

TITLE = "民事判决书"
PARAGRAPHS = [
    "原告北京华辰科技有限公司与被告上海德盛贸易有限公司买卖合同纠纷一案，本院于2023年3月1日立案后，"
    "依法适用普通程序，公开开庭进行了审理。原告的委托诉讼代理人王立新、被告的委托诉讼代理人到庭参加诉讼。",
    "本院认为，原告与被告签订的《设备采购合同》系双方真实意思表示，内容不违反法律、行政法规的强制性规定，"
    "合法有效。被告未按约定支付货款，应当承担继续履行及支付逾期付款违约金的责任。",
    "依照《中华人民共和国民法典》第五百七十七条、第六百二十六条之规定，判决如下：被告于本判决生效之日起十日内"
    "向原告支付货款人民币1,250,000元。案件受理费16,050元，由被告负担。",
]


def sample_pdf(path: Path, *, font: str = "cid") -> Path:
    write_pdf(path, TITLE, PARAGRAPHS, font=font)  # type: ignore[arg-type]
    return path


def encrypted_pdf(source: Path, path: Path, *, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    with open(path, "wb") as f:
        writer.write(f)
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scan': a page with drawings and no text layer."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    return path


def sample_docx(path: Path) -> Path:
    write_docx(
        path,
        "案件分析报告",
        ["一、案件基本情况：原告主张被告拖欠货款。", "二、争议焦点：违约金计算标准是否过高。"],
        table_rows=[["证据名称", "证明目的"], ["设备采购合同", "双方存在买卖合同关系"]],
        header_text="北京华辰科技有限公司法务部",
        footer_text="内部资料 注意保密",
        nested_table=True,
        nested_rows=[["明细编号", "证明内容"], ["1-1", "增值税专用发票十二张"]],
    )
    return path


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bomb_docx(path: Path, *, megabytes: int = 300) -> Path:
    """A zip whose word/document.xml inflates to ``megabytes`` MiB of zeros (~1000:1).

    Written with a generator of identical deflate blocks (each 1 MiB of zeros compressed once,
    with a full flush so every block is the same), never holding the data in memory, and with
    no time spent compressing 300 MiB.
    """
    chunk = b"\0" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty final block

    def blocks() -> Iterator[bytes]:
        for _ in range(megabytes):
            yield block
        yield tail

    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    size = megabytes << 20
    csize = len(block) * megabytes + len(tail)
    name = b"word/document.xml"
    with open(path, "wb") as f:
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, size, len(name), 0)
        f.write(local + name)
        for b in blocks():
            f.write(b)
        cd_offset = f.tell()
        central = struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            csize,
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        f.write(central + name)
        cd_size = f.tell() - cd_offset
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, cd_size, cd_offset, 0))
    with zipfile.ZipFile(path) as zf:  # a well-formed zip, as declared
        assert zf.getinfo("word/document.xml").file_size == size
    return path
