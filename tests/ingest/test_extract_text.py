from __future__ import annotations

from pathlib import Path

import pytest

from demodata.files import write_text
from ingest.errors import ErrorCode, IngestError
from ingest.extract import extract_document
from ingest.extract.text import detect_encoding, extract
from juanzong.settings import Settings
from search.analysis import normalize_text

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
