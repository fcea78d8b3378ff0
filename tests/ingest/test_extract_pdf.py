from __future__ import annotations

import gc
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from demodata.files import write_long_pdf, write_pdf
from ingest.errors import ErrorCode, IngestError
from ingest.extract import extract_document, stream_document
from ingest.extract.pdf import extract, join_wrapped_lines, stream
from juanzong.settings import Settings
from search.analysis import MAX_PIECE_CHARS, normalize_text

from .samples import PARAGRAPHS, TITLE, encrypted_pdf, image_only_pdf, sample_pdf


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_text_is_exact_apart_from_whitespace(tmp_path: Path, settings: Settings, font: str) -> None:
    path = tmp_path / "a.pdf"
    pages = write_pdf(path, TITLE, PARAGRAPHS, font=font, pages_hint=2)  # type: ignore[arg-type]
    extracted = extract(path, settings)
    assert _squeeze(extracted.text) == _squeeze(TITLE + "".join(PARAGRAPHS))
    assert (extracted.page_count, extracted.extractor) == (pages, "pypdf")
    assert pages == 2


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_wrapped_sentences_are_joined_and_paragraphs_kept(
    tmp_path: Path, settings: Settings, font: str
) -> None:
    path = sample_pdf(tmp_path / "a.pdf", font=font)
    # The layout wrapped the three paragraphs into 8 or 9 lines, often inside a word.
    layout = PdfReader(path).pages[0].extract_text()
    assert len(layout.splitlines()) >= 9
    assert re.search("[\u4e00-\u9fff]\n[\u4e00-\u9fff]", layout)
    # Stored: the title and each paragraph on a line of its own, exactly as written.
    text = extract_document("pdf", path, settings).text
    assert text.split("\n") == [TITLE, *(normalize_text(p) for p in PARAGRAPHS)]
    assert text.split("\n")[1].startswith(
        "原告北京华辰科技有限公司与被告上海德盛贸易有限公司买卖合同纠纷一案，本院于2023年3月1日立案后"
    )


@pytest.mark.parametrize(
    ("layout", "stored"),
    [
        # a wrap inside a sentence, on either side of a Han character or Chinese punctuation
        ("依法适用普通\n程序", "依法适用普通程序"),
        ("本院于2023年3\n月1日", "本院于2023年3月1日"),
        ("原告，\n被告", "原告，被告"),
        ("《民法典》\n第五百七十七条", "《民法典》第五百七十七条"),
        ("甲方为\nABC公司", "甲方为ABC公司"),
        ("行政法规 \n的规定", "行政法规的规定"),
        # a sentence end stays a break, also before a closing quote or bracket
        ("进行了审理。\n原告", "进行了审理。\n原告"),
        ("是否签订合同？\n原告：是", "是否签订合同？\n原告：是"),
        ("判决如下：\n一、驳回", "判决如下：\n一、驳回"),
        ("他说：“同意。”\n原告", "他说：“同意。”\n原告"),
        ("（见附件！）\n下一段", "（见附件！）\n下一段"),
        # a blank line or an indented line starts a paragraph
        ("民事判决书\n\n原告", "民事判决书\n\n原告"),
        ("民事判决书\n  原告", "民事判决书\n  原告"),
        ("民事判决书\n\u3000\u3000原告", "民事判决书\n\u3000\u3000原告"),
        # two Latin letters or digits: the break stays (a word or number that ends the line)
        ("ABC Co.,\nLtd", "ABC Co.,\nLtd"),
        ("于2\n019年", "于2\n019年"),
        # blank space between two Han characters goes (glyphs placed one by one), other
        # blank space stays; full-width characters stay as they are
        ("民 事 判 决 书", "民事判决书"),
        ("买卖\u3000\u00a0合同", "买卖合同"),
        ("甲方 ABC 公司", "甲方 ABC 公司"),
        ("合同 （三） 违约金", "合同 （三） 违约金"),
        # CJK radicals that a font gives for ideographs become the ideographs
        ("判决⽣效 ⼈民法院", "判决生效人民法院"),
        # numbers and words whose glyphs were placed one by one are joined again: a letter
        # or digit alone on its line, single glyphs one space apart, or split runs with a
        # single glyph that touch Han text
        ("人民币1\n2\n3\n4\n5\n6元", "人民币123456元"),
        ("编号A\nB\nC\n2\n0\n2\n3。", "编号ABC2023。"),
        ("人民币1 2 3 4 5 6 元", "人民币123456 元"),
        ("金额 1 2 3 元", "金额 123 元"),
        ("编号A BC 2023。", "编号ABC2023。"),
        ("人民币1 234 56元", "人民币123456元"),
        ("编号A B C2023", "编号ABC2023"),
        # but not separate numbers and words
        ("共 3 页", "共 3 页"),
        ("单价 100 200 300", "单价 100 200 300"),
        ("金额100 200元", "金额100 200元"),
        ("序号 1 2", "序号 1 2"),
        ("他说I love you", "他说I love you"),
        ("ABC Co Ltd", "ABC Co Ltd"),
        ("2023 年 5 月", "2023 年 5 月"),
        ("共100\n200", "共100\n200"),
    ],
)
def test_join_wrapped_lines(layout: str, stored: str) -> None:
    assert join_wrapped_lines(layout) == stored


def test_page_numbers_stay_on_lines_of_their_own(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long.pdf"
    # Each page ends with its number under a full stop; the next starts with a Han character.
    write_long_pdf(path, 2, font="cid", page_text=lambda i: "甲乙丙丁" * 60 + "。")
    text = extract_document("pdf", path, settings).text
    assert text == "\n".join(["甲乙丙丁" * 60 + "。", "第1页", "甲乙丙丁" * 60 + "。", "第2页"])


def test_empty_user_password_is_opened(tmp_path: Path, settings: Settings) -> None:
    path = encrypted_pdf(sample_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", user_password="")
    assert _squeeze(extract(path, settings).text) == _squeeze(TITLE + "".join(PARAGRAPHS))


def test_real_user_password_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = encrypted_pdf(sample_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", user_password="s3cret")
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.ENCRYPTED, "文件已加密，需要密码才能打开")


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9])
def test_truncated_pdf_is_corrupt(tmp_path: Path, settings: Settings, keep: float) -> None:
    data = sample_pdf(tmp_path / "a.pdf").read_bytes()
    path = tmp_path / "b.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.CORRUPT, "PDF 文件已损坏或不完整")


def test_garbage_after_the_header_is_corrupt(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.CORRUPT, "PDF 文件已损坏或不完整")


def test_pdf_without_text_layer(tmp_path: Path, settings: Settings) -> None:
    path = image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (
        ErrorCode.NO_TEXT,
        "未检测到文字层（可能是扫描件），暂不支持 OCR",
    )


def test_long_pdf_page_by_page(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long.pdf"
    write_long_pdf(path, 12, font="cid", page_text=lambda i: f"第{i + 1}份证据材料的说明文字。" * 20)
    extracted = extract(path, settings)
    assert extracted.page_count == 12
    text = _squeeze(extracted.text)
    for n in range(1, 13):
        assert f"第{n}页" in text
    assert text.count("证据材料的说明文字") == 12 * 20


# --- streaming -------------------------------------------------------------------------


def _unreadable_pages(source: Path, path: Path, pages: set[int]) -> Path:
    """A copy of ``source`` whose ``pages`` (0-based) have a content stream pypdf cannot
    parse (a hex string with a character that is not hex: PdfStreamError)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for number in pages:
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf <zz> Tj ET")
        writer.pages[number][NameObject("/Contents")] = writer._add_object(stream)
    with open(path, "wb") as f:
        writer.write(f)
    return path


def _layout_text(path: Path) -> str:
    """What the extractor did before it streamed: every page's text at once."""
    return "\n".join(join_wrapped_lines(page.extract_text()) for page in PdfReader(path).pages)


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_stream_gives_a_page_a_piece(tmp_path: Path, settings: Settings, font: str) -> None:
    path = tmp_path / "long.pdf"
    write_long_pdf(path, 6, font=font, seed=3)  # type: ignore[arg-type]
    raw = stream(path, settings)
    assert (raw.page_count, raw.extractor) == (6, "pypdf")
    pieces = list(raw.pieces)
    assert len(pieces) == 6
    assert not pieces[0].startswith("\n") and all(p.startswith("\n") for p in pieces[1:])
    assert [p.rstrip().rsplit("\n", 1)[-1] for p in pieces] == [f"第{n}页" for n in range(1, 7)]
    assert "".join(pieces) == _layout_text(path)

    extraction = stream_document("pdf", path, settings)
    assert (extraction.page_count, extraction.extractor) == (6, "pypdf")
    normalised = list(extraction.pieces())
    assert len(normalised) >= 6
    assert all(0 < len(p) <= MAX_PIECE_CHARS for p in normalised)
    assert (
        "".join(normalised)
        == normalize_text(_layout_text(path))
        == extract_document("pdf", path, settings).text
    )


def test_unreadable_pages_are_skipped(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "a.pdf"
    write_long_pdf(source, 3, font="cid", page_text=lambda i: f"第{i + 1}份材料。")
    path = _unreadable_pages(source, tmp_path / "b.pdf", {1})
    with caplog.at_level(logging.WARNING, logger="ingest.extract.pdf"):
        pieces = list(stream(path, settings).pieces)
    assert pieces == ["第1份材料。\n第1页\n", "\n第3份材料。\n第3页\n"]
    assert "b.pdf page 2 unreadable" in caplog.text
    assert extract_document("pdf", path, settings).text == "第1份材料。\n第1页\n第3份材料。\n第3页"


def test_errors_of_opening_are_raised_before_any_piece(tmp_path: Path, settings: Settings) -> None:
    encrypted = encrypted_pdf(sample_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", user_password="s3cret")
    truncated = tmp_path / "c.pdf"
    truncated.write_bytes(sample_pdf(tmp_path / "a.pdf").read_bytes()[:2000])
    for path, code, message in [
        (encrypted, ErrorCode.ENCRYPTED, "文件已加密，需要密码才能打开"),
        (truncated, ErrorCode.CORRUPT, "PDF 文件已损坏或不完整"),
    ]:
        with pytest.raises(IngestError) as err:
            stream_document("pdf", path, settings)  # not iterated
        assert (err.value.code, err.value.message_zh) == (code, message)


@pytest.mark.parametrize(
    ("make", "code", "message", "detail"),
    [
        (
            "scan",
            ErrorCode.NO_TEXT,
            "未检测到文字层（可能是扫描件），暂不支持 OCR",
            "1 pages without a text layer",
        ),
        ("unreadable", ErrorCode.CORRUPT, "PDF 文件已损坏或不完整", "none of the 2 pages could be read"),
    ],
)
def test_errors_known_at_the_end_are_raised_by_the_pieces(
    tmp_path: Path, settings: Settings, make: str, code: ErrorCode, message: str, detail: str
) -> None:
    if make == "scan":
        path = image_only_pdf(tmp_path / "scan.pdf")
    else:
        write_long_pdf(tmp_path / "a.pdf", 2, font="cid", page_text=lambda i: "材料。")
        path = _unreadable_pages(tmp_path / "a.pdf", tmp_path / "b.pdf", {0, 1})
    extraction = stream_document("pdf", path, settings)  # opens fine
    received: list[str] = []
    with pytest.raises(IngestError) as err:
        for piece in extraction.pieces():
            received.append(piece)
    assert (err.value.code, err.value.message_zh, err.value.detail_en) == (code, message, detail)
    assert received == []
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.detail_en) == (code, detail)


def _open_handles(path: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if fd.exists() and fd.resolve() == path.resolve())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_the_file_is_read_through_one_handle_closed_when_done(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long.pdf"
    write_long_pdf(path, 3, font="cid", seed=1)
    raw = stream(path, settings)
    assert _open_handles(path) == 1  # pypdf reads the file as it goes, not a copy in memory
    del raw  # never iterated
    assert _open_handles(path) == 0
    pieces = stream_document("pdf", path, settings).pieces()
    next(pieces)
    del pieces  # left half-way
    assert _open_handles(path) == 0
    assert "".join(stream_document("pdf", path, settings).pieces())
    assert _open_handles(path) == 0


# --- the page tree, walked a page at a time ----------------------------------------------


def _nested(source: Path, path: Path) -> Path:
    """``source`` (7 pages) with its pages in a nested tree, 1 [2 [3 4 5] 6] 7, and their
    /Resources taken away: they inherit them from the root, or from the inner node."""
    writer = PdfWriter(clone_from=PdfReader(source))
    pages = [page.indirect_reference for page in writer.pages]
    resources = writer.pages[0]["/Resources"]
    for ref in pages:
        del ref.get_object()["/Resources"]

    def node(kids: list, **attributes: object) -> object:
        entries = {
            "/Type": NameObject("/Pages"),
            "/Kids": ArrayObject(kids),
            "/Count": NumberObject(len(kids)),
        }
        entries |= {f"/{key}": value for key, value in attributes.items()}
        return writer._add_object(DictionaryObject({NameObject(k): v for k, v in entries.items()}))

    inner = node(pages[2:5], Resources=resources, Rotate=NumberObject(90))
    outer = node([pages[1], inner, pages[5]])
    root = writer.root_object["/Pages"]
    root[NameObject("/Kids")] = ArrayObject([pages[0], outer, pages[6]])
    root[NameObject("/Resources")] = resources
    with open(path, "wb") as f:
        writer.write(f)
    return path


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_nested_tree_with_inherited_resources_gives_the_same_text(
    tmp_path: Path, settings: Settings, font: str
) -> None:
    flat = tmp_path / "flat.pdf"
    write_long_pdf(flat, 7, font=font, seed=2)  # type: ignore[arg-type]
    nested = _nested(flat, tmp_path / "nested.pdf")
    assert "/Resources" not in PdfReader(nested).get_object(PdfReader(nested).pages[0].indirect_reference)
    raw = stream(nested, settings)
    pieces = list(raw.pieces)
    assert raw.page_count == 7
    assert [p.rstrip().rsplit("\n", 1)[-1] for p in pieces] == [f"第{n}页" for n in range(1, 8)]
    assert "".join(pieces) == extract(flat, settings).text == _layout_text(nested)


# Hand-written PDFs: 1 the catalog, 2 the root /Pages node, 3 Helvetica, 4 Courier with two
# letters renamed (A shows as Z, B as Y): a page drawn in /F1 says which /F1 it inherited.
_FONTS = {
    3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding << /Type /Encoding "
    b"/BaseEncoding /WinAnsiEncoding /Differences [65 /Z 66 /Y] >> >>",
}
_PLAIN = b" /Resources << /Font << /F1 3 0 R >> >> /MediaBox [0 0 612 792]"
_SWAPPED = b" /Resources << /Font << /F1 4 0 R >> >>"


def _hand_pdf(path: Path, pages_node: bytes, objects: dict[int, bytes]) -> Path:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: pages_node, **_FONTS, **objects}
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def _content(words: str) -> bytes:
    data = b"BT /F1 12 Tf 72 700 Td (%s) Tj ET" % words.encode()
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def test_pages_inherit_from_the_nearest_node_in_document_order(tmp_path: Path, settings: Settings) -> None:
    # root (Helvetica) → [node A (Courier renamed, no /Type), page "AB 1", null, 7, << >>,
    # an inline page "AB 5"]; A → [page "AB 2", node B, page "AB 4" with its own Helvetica];
    # B (rotated) → [page "AB 3"]. Entries that are not pages are skipped, as pypdf does.
    path = _hand_pdf(
        tmp_path / "tree.pdf",
        b"<< /Type /Pages /Kids [5 0 R 6 0 R null 7 << >> << /Type /Page /Contents 15 0 R >>] "
        b"/Count 5 /Rotate 90" + _PLAIN + b" >>",
        {
            5: b"<< /Kids [7 0 R 8 0 R 9 0 R] /Count 3" + _SWAPPED + b" >>",
            6: b"<< /Type /Page /Contents 11 0 R >>",
            7: b"<< /Type /Page /Contents 12 0 R >>",
            8: b"<< /Type /Pages /Kids [10 0 R] /Count 1 /Rotate 0 >>",
            9: b"<< /Type /Page /Contents 14 0 R" + _PLAIN + b" >>",
            10: b"<< /Type /Page /Contents 13 0 R >>",
            11: _content("AB 1"),
            12: _content("AB 2"),
            13: _content("AB 3"),
            14: _content("AB 4"),
            15: _content("AB 5"),
        },
    )
    raw = stream(path, settings)
    assert raw.page_count == 5
    assert list(raw.pieces) == ["ZY 2", "\nZY 3", "\nAB 4", "\nAB 1", "\nAB 5"]
    assert extract(path, settings).text == _layout_text(path)


_THREE_PAGES = {
    5: b"<< /Type /Page /Contents 8 0 R >>",
    6: b"<< /Type /Page /Contents 9 0 R >>",
    7: b"<< /Type /Page /Contents 10 0 R >>",
    8: _content("page one"),
    9: _content("page two"),
    10: _content("page three"),
}


@pytest.mark.parametrize(
    "count", [b"/Count 3", b"/Count 1", b"/Count 40", b"/Count 0", b"/Count -2", b"/Count (x)", b""]
)
def test_the_page_count_is_the_pages_found_whatever_count_says(
    tmp_path: Path, settings: Settings, count: bytes
) -> None:
    path = _hand_pdf(
        tmp_path / "a.pdf",
        b"<< /Type /Pages /Kids [5 0 R 6 0 R 7 0 R] " + count + _PLAIN + b" >>",
        _THREE_PAGES,
    )
    raw = stream(path, settings)
    assert (raw.page_count, list(raw.pieces)) == (3, ["page one", "\npage two", "\npage three"])
    assert len(PdfReader(path).pages) == 3


@pytest.mark.parametrize(
    ("kids", "nodes"),
    [
        (b"[5 0 R 2 0 R]", {}),  # the root lists itself
        (
            b"[11 0 R]",
            {11: b"<< /Type /Pages /Kids [5 0 R 12 0 R] >>", 12: b"<< /Type /Pages /Kids [11 0 R] >>"},
        ),
    ],
)
def test_a_cycle_in_kids_is_corrupt_before_any_piece(
    tmp_path: Path, settings: Settings, kids: bytes, nodes: dict[int, bytes]
) -> None:
    path = _hand_pdf(
        tmp_path / "a.pdf",
        b"<< /Type /Pages /Kids " + kids + b" /Count 1" + _PLAIN + b" >>",
        _THREE_PAGES | nodes,
    )
    with pytest.raises(PdfReadError, match="cyclic"):
        len(PdfReader(path).pages)
    with pytest.raises(IngestError) as err:
        stream(path, settings)
    assert (err.value.code, err.value.message_zh, err.value.detail_en) == (
        ErrorCode.CORRUPT,
        "PDF 文件已损坏或不完整",
        "page tree unreadable: PdfReadError('Detected cyclic page references.')",
    )


@pytest.mark.parametrize("depth", [100, 101])
def test_a_tree_deeper_than_pypdf_allows_is_corrupt(tmp_path: Path, settings: Settings, depth: int) -> None:
    nodes = {11 + level: b"<< /Type /Pages /Kids [%d 0 R] >>" % (12 + level) for level in range(depth - 2)}
    nodes[11 + depth - 2] = b"<< /Type /Pages /Kids [5 0 R] >>"
    path = _hand_pdf(
        tmp_path / "a.pdf", b"<< /Type /Pages /Kids [11 0 R]" + _PLAIN + b" >>", _THREE_PAGES | nodes
    )
    if depth == 100:  # the page is at depth 100: pypdf's limit
        assert list(stream(path, settings).pieces) == ["page one"]
        return
    with pytest.raises(LimitReachedError):
        len(PdfReader(path).pages)
    with pytest.raises(IngestError) as err:
        stream(path, settings)
    assert (err.value.code, err.value.detail_en) == (
        ErrorCode.CORRUPT,
        "page tree unreadable: LimitReachedError('Maximum page tree depth reached: 101 > 100.')",
    )


def _pages_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, DictionaryObject) and o.get("/Type") == "/Page")


def test_pages_read_are_not_kept(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long.pdf"
    write_long_pdf(path, 12, font="cid", seed=1)
    before = _pages_alive()
    pieces = stream(path, settings).pieces
    assert _pages_alive() == before  # counting the pages kept none
    for _ in range(8):
        next(pieces)
    # the page being read (its dictionary and pypdf's page made of it), not the 8 read
    # (nor all 12, as pypdf's page list would hold)
    assert _pages_alive() - before <= 2
    assert len(list(pieces)) == 4


def _filled_form(path: Path) -> Path:
    """A fillable 登记表 whose values were typed in afterwards (not flattened): two text
    fields, a check box and a choice field with two picks."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    empty = path.with_name("form-empty.pdf")
    c = Canvas(str(empty), invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(50, 780, "案源信息登记表")
    c.drawString(50, 740, "当事人：")
    c.drawString(50, 700, "合同编号：")
    c.acroForm.textfield(name="party", x=130, y=735, width=300, height=20, value="")
    c.acroForm.textfield(name="no", x=130, y=695, width=300, height=20, value="")
    c.acroForm.checkbox(name="urgent", x=130, y=655, checked=True)
    c.acroForm.listbox(name="kind", x=130, y=560, width=200, height=60, options=["a", "b", "c"], value="a")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=str(empty))
    writer.update_page_form_field_values(
        writer.pages[0], {"party": "北京某某科技有限公司", "no": "HT20230042"}, auto_regenerate=False
    )
    for annot in writer.pages[0]["/Annots"]:
        field = annot.get_object()
        if field.get("/T") == "kind":
            field[NameObject("/V")] = ArrayObject([TextStringObject("诉讼"), TextStringObject("仲裁")])
    writer.write(str(path))
    return path


def test_values_typed_into_a_form_are_extracted(tmp_path: Path, settings: Settings) -> None:
    text = extract(_filled_form(tmp_path / "form.pdf"), settings).text
    # Each value a paragraph of its own after the page's text; the check box's /Yes is no text.
    assert (
        text == "案源信息登记表当事人：\n合同编号：\n\n\n北京某某科技有限公司\n\nHT20230042\n\n诉讼\n\n仲裁"
    )


def test_page_joining_never_gives_a_line_twice_or_drops_one() -> None:
    """Random pages of body lines, running headers and footers and page numbers (a cover page
    without a footer among them): joined, they hold exactly the characters they were given."""
    import random
    from collections import Counter

    from ingest.extract.pdf import _join_pages

    body = [
        "原告张三诉被告李四买卖合",
        "同纠纷一案，本院受理后依法",
        "审理。",
        "本院认为，合同有效。",
        "被告辩称",
    ]
    body += ["二、案件受理费100元", "审判长 王五", "本判决书与原本核对无异", "1", "2 3", "A"]
    furniture = ["北京市朝阳区人民法院", "本判决书与原本核对无异", ""]

    def chars(text: str) -> Counter[str]:
        return Counter(ch for ch in text if not ch.isspace())

    rng = random.Random(20261204)
    for _ in range(3000):
        n = rng.randint(1, 5)
        pages = []
        for i in range(n):
            lines = [rng.choice(furniture)] if rng.random() < 0.5 else []
            lines += [rng.choice(body) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.6:
                lines.append(rng.choice([f"第 {i + 1} 页 共 {n} 页", str(i + 1), f"- {i + 1} -", *furniture]))
            pages.append("\n".join(lines))
        assert chars("".join(_join_pages(iter(pages)))) == chars("".join(pages)), pages


def test_a_page_after_a_cover_without_footer_is_not_given_twice() -> None:
    from ingest.extract.pdf import _join_pages

    pages = [
        "民事判决书\n原告张三诉被告李四买卖合",
        "同纠纷一案，本院受理后依法公开开庭进行了审理，\n本案现已审理终\n本判决书与原本核对无异",
        "结。本院认为，合同有效。\n本判决书与原本核对无异",
    ]
    # Page 1 has no footer to compare with: page 2's footer is taken for text when page 2's
    # first lines are pulled onto page 1; page 2 then gives only what is left of it.
    assert "".join(_join_pages(iter(pages))) == (
        "民事判决书原告张三诉被告李四买卖合同纠纷一案，本院受理后依法公开开庭进行了审理，本案现已审理终"
        "本判决书与原本核对无异\n\n结。本院认为，合同有效。\n本判决书与原本核对无异"
    )


def test_a_page_whose_first_line_was_pulled_keeps_its_blank_lines() -> None:
    from ingest.extract.pdf import _join_pages

    pages = ["甲方应当支付货", "款。\n\n二、违约责任\n乙方逾期付款的，应当支付违约金。"]
    assert (
        "".join(_join_pages(iter(pages)))
        == "甲方应当支付货款。\n\n二、违约责任乙方逾期付款的，应当支付违约金。"
    )
