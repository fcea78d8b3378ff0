"""Text writer: every encoding decodes back to exactly the text written."""

from __future__ import annotations

from pathlib import Path

import pytest

from demodata.files import TEXT_ENCODINGS, write_text

TEXT = "民事判决书\n（2023）京0105民初12345号\r\n原告：北京华信科技有限公司。金额：人民币1,234,567.00元。\n"


@pytest.mark.parametrize(
    ("encoding", "decoder", "prefix"),
    [
        ("utf-8", "utf-8", b"\xe6"),
        ("utf-8-sig", "utf-8-sig", b"\xef\xbb\xbf"),
        ("gb18030", "gb18030", "民".encode("gb18030")),
        ("gbk", "gbk", "民".encode("gbk")),
        ("utf-16", "utf-16", b"\xff\xfe"),
    ],
)
def test_text_round_trip(tmp_path: Path, encoding: str, decoder: str, prefix: bytes) -> None:
    path = tmp_path / "t.txt"

    write_text(path, TEXT, encoding)

    data = path.read_bytes()
    assert data.startswith(prefix)
    assert data.decode(decoder) == TEXT


def test_all_encodings_are_listed() -> None:
    assert TEXT_ENCODINGS == ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16")


def test_gb18030_holds_characters_gbk_cannot(tmp_path: Path) -> None:
    rare = "𠀀"  # CJK Extension B: in GB18030, not in GBK
    write_text(tmp_path / "a.txt", rare, "gb18030")

    assert (tmp_path / "a.txt").read_bytes().decode("gb18030") == rare
    with pytest.raises(UnicodeEncodeError):
        write_text(tmp_path / "b.txt", rare, "gbk")


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported encoding"):
        write_text(tmp_path / "x.txt", "文本", "big5")  # type: ignore[arg-type]
