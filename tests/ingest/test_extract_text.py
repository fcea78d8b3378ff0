from __future__ import annotations

from pathlib import Path

import pytest

from demodata.files import write_text
from ingest.errors import ErrorCode, IngestError
from ingest.extract import extract_document, stream_document
from ingest.extract import text as text_extractor
from ingest.extract.text import detect_encoding, extract, stream
from ingest.sniff import sniff
from juanzong.settings import Settings
from search.analysis import MAX_PIECE_CHARS, normalize_text

TEXT = "民事起诉状\n原告：北京华辰科技有限公司\n诉讼请求：判令被告支付货款人民币1,250,000元。\n"


@pytest.mark.parametrize(
    ("encoding", "extractor"),
    [
        ("utf-8", "text:utf-8"),
        ("utf-8-sig", "text:utf-8-sig"),
        ("gb18030", "text:gb18030"),
        ("gbk", "text:gb18030"),
        ("utf-16", "text:utf-16"),
    ],
)
def test_text_in_each_encoding(tmp_path: Path, settings: Settings, encoding: str, extractor: str) -> None:
    path = tmp_path / "起诉状.txt"
    write_text(path, TEXT, encoding)  # type: ignore[arg-type]
    extracted = extract(path, settings)
    assert extracted.text == TEXT
    assert extracted.extractor == extractor
    assert extracted.page_count is None


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, settings: Settings, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode(encoding))
    extracted = extract(path, settings)
    assert extracted.text == TEXT
    assert extracted.extractor == f"text:{encoding}"


def test_utf32_with_bom(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-32"))
    assert extract(path, settings).text == TEXT


def test_crlf_becomes_lf(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("第一行\r\n第二行\r\n".encode())
    assert extract(path, settings).text == "第一行\n第二行\n"


def test_big5_is_not_taken_for_gb18030() -> None:
    data = "本院認為，原告與被告之間的買賣合同關係合法有效，被告應當支付貨款。".encode("big5")
    assert detect_encoding(data) != "gb18030"


def test_binary_has_no_encoding() -> None:
    assert detect_encoding(bytes(range(256)) * 8) is None


def test_undecodable_bytes_are_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert err.value.code is ErrorCode.UNSUPPORTED
    assert err.value.message_zh == "无法识别文本编码"


def test_extract_document_normalises_text(tmp_path: Path, settings: Settings) -> None:
    raw = "（２０２３）京0105民初\r\n12345号\r\n\r\n合同　纠纷 \n"
    path = tmp_path / "a.txt"
    write_text(path, raw, "gb18030")
    text = extract_document("text", path, settings).text
    # the characters stay as written (full-width included); blank space collapses
    assert text == normalize_text(raw) == "（２０２３）京0105民初\n12345号\n合同 纠纷"


def test_lines_of_a_text_file_stay_lines(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "起诉状.txt"
    write_text(path, TEXT, "utf-8")
    assert extract_document("text", path, settings).text.split("\n") == [
        "民事起诉状",
        "原告：北京华辰科技有限公司",
        "诉讼请求：判令被告支付货款人民币1,250,000元。",
    ]


def test_whitespace_only_text_is_no_text(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b" \n\t\n")
    with pytest.raises(IngestError) as err:
        extract_document("text", path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.NO_TEXT, "文件中没有可提取的文字")


# --- streaming -------------------------------------------------------------------------

LONG = "民事判决书\r\n原告：北京华辰科技有限公司。\r\n\r\n被告：上海德盛贸易有限公司 Co.\u3000Ltd\r\n" * 8000


@pytest.mark.parametrize(
    ("encoding", "extractor"),
    [
        ("utf-8", "text:utf-8"),
        ("utf-8-sig", "text:utf-8-sig"),
        ("gb18030", "text:gb18030"),
        ("gbk", "text:gb18030"),
        ("utf-16", "text:utf-16"),
        ("utf-16-le", "text:utf-16-le"),
        ("utf-16-be", "text:utf-16-be"),
        ("utf-32", "text:utf-32"),
    ],
)
@pytest.mark.parametrize("block", [1, 3, 7, 4096])
def test_blocks_decode_to_the_whole(
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
    extractor: str,
    block: int,
) -> None:
    # Blocks cut characters and \r\n pairs apart: the text is the same as decoded at once.
    monkeypatch.setattr(text_extractor, "BLOCK_BYTES", block)
    path = tmp_path / "a.txt"
    path.write_bytes(LONG[:3000].encode(encoding))
    raw = stream(path, settings)
    assert (raw.extractor, raw.page_count) == (extractor, None)
    assert "".join(raw.pieces) == LONG[:3000].replace("\r\n", "\n")


def test_a_long_file_is_read_in_blocks(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    write_text(path, LONG, "gb18030")
    assert path.stat().st_size > 2 * text_extractor.DETECT_BYTES
    pieces = list(stream(path, settings).pieces)
    assert len(pieces) > 5
    assert max(map(len, pieces)) <= text_extractor.DETECT_BYTES  # no piece is the whole text
    assert "".join(pieces) == LONG.replace("\r\n", "\n")
    normalised = list(stream_document("text", path, settings).pieces())
    assert all(0 < len(p) <= MAX_PIECE_CHARS for p in normalised)
    assert "".join(normalised) == normalize_text(LONG) == extract_document("text", path, settings).text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_invalid_bytes_past_the_detected_start_are_replaced(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    # The encoding is detected on the first DETECT_BYTES; an invalid byte after them (\xff is
    # invalid in both) becomes U+FFFD, also when a block cuts it from its neighbours.
    monkeypatch.setattr(text_extractor, "BLOCK_BYTES", 5)
    start = "合同纠纷，" * (text_extractor.DETECT_BYTES // 5)
    path = tmp_path / "a.txt"
    path.write_bytes(start.encode(encoding) + b"\xff" + "判决".encode(encoding))
    extracted = extract(path, settings)
    assert (extracted.text, extracted.extractor) == (start + "\ufffd判决", f"text:{encoding}")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (bytes(range(256)) * 8, "no text encoding fits a.txt"),
        (("合同\x01\x02" * 100).encode(), "utf-8 decoding gives control characters"),
    ],
)
def test_undecodable_files_are_refused_before_any_piece(
    tmp_path: Path, settings: Settings, data: bytes, detail: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(IngestError) as err:
        stream_document("text", path, settings)  # not iterated
    assert (err.value.code, err.value.message_zh, err.value.detail_en) == (
        ErrorCode.UNSUPPORTED,
        "无法识别文本编码",
        detail,
    )


def test_blank_text_is_no_text_at_the_end(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b" \r\n\t\r\n\xe2\x80\x8b")
    pieces = stream_document("text", path, settings).pieces()
    with pytest.raises(IngestError) as err:
        next(pieces)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.NO_TEXT, "文件中没有可提取的文字")


# --- damaged files and encodings found in the wild ---------------------------------------

PLEADING = (
    "诉讼请求：判令被告支付货款人民币123456元及违约金。\r\n事实与理由：双方签订买卖合同，被告逾期未付款。\r\n"
) * 10 + "此致北京市朝阳区人民法院"
PLEADING_LF = PLEADING.replace("\r\n", "\n")


def _read(tmp_path: Path, settings: Settings, data: bytes) -> tuple[str, str]:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    extracted = extract(path, settings)
    return extracted.text, extracted.extractor


@pytest.mark.parametrize(("encoding", "extractor"), [("gbk", "text:gb18030"), ("utf-8", "text:utf-8")])
def test_a_file_cut_inside_its_last_character(
    tmp_path: Path, settings: Settings, encoding: str, extractor: str
) -> None:
    # GBK cut like this was read as cp874 (Thai). The half character becomes U+FFFD.
    data = PLEADING.encode(encoding)[:-1]
    assert _read(tmp_path, settings, data) == (PLEADING_LF[:-1] + "\ufffd", extractor)


def test_a_gb18030_file_cut_inside_a_four_byte_character(tmp_path: Path, settings: Settings) -> None:
    data = (PLEADING + "𠀀").encode("gb18030")[:-2]
    assert _read(tmp_path, settings, data) == (PLEADING_LF + "\ufffd", "text:gb18030")


@pytest.mark.parametrize(
    ("encoding", "stray", "extractor"),
    [("gbk", b"\xff", "text:gb18030"), ("utf-8", b"\xa0", "text:utf-8"), ("utf-8", b"\xff", "text:utf-8")],
)
def test_a_stray_byte_early_in_the_file_becomes_one_replacement(
    tmp_path: Path,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    encoding: str,
    stray: bytes,
    extractor: str,
) -> None:
    # Such files were refused as binary. The rest of the text is read as it is.
    cut = len("诉讼请求：判令被告支付货款")
    data = PLEADING[:cut].encode(encoding) + stray + PLEADING[cut:].encode(encoding)
    with caplog.at_level("WARNING", logger="ingest.extract.text"):
        assert _read(tmp_path, settings, data) == (
            PLEADING_LF[:cut] + "\ufffd" + PLEADING_LF[cut:],
            extractor,
        )
    assert caplog.messages == [f"a.txt: 1 invalid byte(s) in {extractor[5:]} text replaced by U+FFFD"]


def test_the_euro_sign_of_windows_notepad_gbk(tmp_path: Path, settings: Settings) -> None:
    # cp936, Notepad's "ANSI" on Chinese Windows, writes € as 0x80, which strict GBK and
    # GB18030 lack: it is the euro sign, not damage.
    text = "和解协议：被告支付违约金€5,000元（欧元折算）。\r\n" * 3
    data = text.replace("€", "\x00").encode("gbk").replace(b"\x00", b"\x80")
    assert _read(tmp_path, settings, data) == (text.replace("\r\n", "\n"), "text:gb18030")


def test_utf8_with_a_latin1_word_keeps_its_encoding(tmp_path: Path, settings: Settings) -> None:
    data = PLEADING.encode("utf-8") + " Café".encode("latin-1")
    assert _read(tmp_path, settings, data) == (PLEADING_LF + " Caf\ufffd", "text:utf-8")


ASCII_ROWS = "".join(
    f"2023-03-{i % 28 + 1:02d},6222020200{i:08d},{i * 13 % 100000}.00,CNY\r\n" for i in range(7000)
)
LATE_ROW = "2023-12-31,622202020099999999,50000.00,CNY,北京某某科技有限公司,货款违约金\r\n"


@pytest.mark.parametrize(("encoding", "extractor"), [("gbk", "text:gb18030"), ("utf-8", "text:utf-8")])
def test_chinese_after_more_ascii_than_the_detection_sample(
    tmp_path: Path, settings: Settings, encoding: str, extractor: str
) -> None:
    # The sample is taken from the first non-ASCII byte: a GBK ledger whose first 256 KiB
    # are digits was read as UTF-8 and its Chinese lost.
    assert len(ASCII_ROWS) > text_extractor.DETECT_BYTES
    data = ASCII_ROWS.encode("ascii") + LATE_ROW.encode(encoding) + b"2024-01-01,0.00\r\n"
    text, extractor_used = _read(tmp_path, settings, data)
    assert extractor_used == extractor
    assert text == (ASCII_ROWS + LATE_ROW + "2024-01-01,0.00\r\n").replace("\r\n", "\n")


def test_chinese_after_ascii_read_in_small_blocks(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_extractor, "DETECT_BYTES", 64)
    monkeypatch.setattr(text_extractor, "BLOCK_BYTES", 7)
    data = ASCII_ROWS[:500].encode() + LATE_ROW.encode("gbk")
    assert _read(tmp_path, settings, data) == (
        (ASCII_ROWS[:500] + LATE_ROW).replace("\r\n", "\n"),
        "text:gb18030",
    )


def test_ascii_only_is_utf8(tmp_path: Path, settings: Settings) -> None:
    assert _read(tmp_path, settings, b"Case 2023-017\r\nfiled\r\n") == (
        "Case 2023-017\nfiled\n",
        "text:utf-8",
    )


def test_ascii_then_binary_is_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ASCII_ROWS.encode() + bytes(range(1, 256)) * 1000)
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.UNSUPPORTED, "无法识别文本编码")


TRADITIONAL = (
    "民事起訴狀\r\n原告：張三，住臺北市。\r\n訴訟請求：判令被告支付貨款新臺幣123456元及違約金。\r\n" * 3
)


@pytest.mark.parametrize("data", [TRADITIONAL.encode("big5"), "合約糾紛".encode("big5")])
def test_big5_is_read_as_big5(tmp_path: Path, settings: Settings, data: bytes) -> None:
    # cp950 is Big5 as Windows writes it (a superset, as GB18030 is of GBK).
    assert _read(tmp_path, settings, data) == (data.decode("big5").replace("\r\n", "\n"), "text:cp950")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("合同纠纷".encode("gbk"), "gb18030"),
        ("合同纠纷".encode("gbk") + b"\xff", "gb18030"),  # stray byte: 1 in 9
        ("合同纠纷".encode() + b"\xff", "utf-8"),  # 1 in 13
        (TRADITIONAL.encode("big5")[:40] + b"\xff" + TRADITIONAL.encode("big5")[40:], "cp950"),
        (PLEADING.encode("utf-16-le"), "utf-16-le"),
        (PLEADING.encode("utf-16-be"), "utf-16-be"),
        (PLEADING.encode("utf-16-le")[:-1], "utf-16-le"),  # cut in the last character
        # few bytes: rule 8
        ("Müller GmbH Vertrag über Lieferung, Zahlung fällig am 1. März.".encode("cp1252"), "cp1252"),
        ("fee €5,000".encode("cp1252"), "gb18030"),  # the same euro sign
    ],
)
def test_detected_encodings(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize(
    "data",
    [
        "Müller fällig März".encode("cp1252") + "合".encode(),  # one UTF-8 character is no UTF-8 file
        ("合同".encode("gbk") + b"\xff") * 3,  # 1 in 5 bytes invalid is no GBK file
    ],
)
def test_many_invalid_bytes_are_no_small_damage(data: bytes) -> None:
    assert detect_encoding(data) not in ("utf-8", "gb18030")


def test_only_the_extraction_logs_invalid_bytes(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff" + PLEADING.encode("gbk") + b"\xff")
    with caplog.at_level("WARNING", logger="ingest.extract.text"):
        assert text_extractor.text_encoding(path) == "gb18030"
        assert caplog.messages == []
        extract(path, settings)
    assert caplog.messages == ["a.txt: 2 invalid byte(s) in gb18030 text replaced by U+FFFD"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # Short Big5: read as GB18030 it gives kana or private-use characters (中文 → いゅ).
        ("中文", "big5"),
        ("陳水扁", "big5"),
        ("高雄市", "big5"),
        ("黃金", "big5"),
        # Short GBK with traditional characters: GB18030, not a Korean or Hong Kong code page.
        ("張三", "gbk"),
        ("律師", "gbk"),
        ("臺北", "gbk"),
        ("合約書", "gbk"),
    ],
)
def test_short_chinese_in_either_script_is_read_right(
    tmp_path: Path, settings: Settings, text: str, encoding: str
) -> None:
    read, extractor = _read(tmp_path, settings, text.encode(encoding))
    assert read == text
    assert extractor == ("text:cp950" if encoding == "big5" else "text:gb18030")


def test_an_ascii_file_with_one_latin_byte_at_its_end_is_not_utf16(
    tmp_path: Path, settings: Settings
) -> None:
    rows = "".join(f"{n},item {n},{n * 3}\n" for n in range(40000))  # about 700 KB of ASCII
    data = rows.encode() + "Café\n".encode("cp1252")
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    extracted = extract(path, settings)
    assert (extracted.text, extracted.extractor) == (rows + "Café\n", "text:cp1252")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_stray_nul_does_not_make_a_text_binary(tmp_path: Path, settings: Settings, encoding: str) -> None:
    lines = "2024-05-06 原告提交证据目录\n2024-05-07 被告提交答辩状\n" * 20
    data = lines.encode(encoding).replace(b"\n", b"\x00\n", 1)
    path = tmp_path / "log.txt"
    path.write_bytes(data)
    assert sniff(path, "log.txt").kind == "text"
    extraction = stream_document("text", path, settings)
    assert extraction.extractor == f"text:{'utf-8' if encoding == 'utf-8' else 'gb18030'}"
    assert "".join(extraction.pieces()) == normalize_text(lines)  # the NUL is dropped there


def test_text_padded_with_nuls_is_still_refused(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "records.txt"
    path.write_bytes(("张三".encode("gbk") + b"\x00" * 20) * 50)
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert err.value.code is ErrorCode.UNSUPPORTED
