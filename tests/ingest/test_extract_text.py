from __future__ import annotations

from pathlib import Path

import pytest

from demodata.files import write_text
from ingest.errors import ErrorCode, IngestError
from ingest.extract import extract_document, stream_document
from ingest.extract import text as text_extractor
from ingest.extract.text import detect_encoding, extract, stream
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
