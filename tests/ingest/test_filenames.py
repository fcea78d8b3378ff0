from __future__ import annotations

import unicodedata

import pytest

from ingest.filenames import clean_filename, default_title, extension_of, shortened_note


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("民事判决书.pdf", "民事判决书.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("C:\\Users\\张三\\桌面\\起诉状.docx", "起诉状.docx"),
        ("案卷/证据/合同.pdf", "合同.pdf"),
        ("..", "未命名文件"),
        ("", "未命名文件"),
        ("   ", "未命名文件"),
        ("/", "未命名文件"),
        ("bad\x00name\x07.txt", "badname.txt"),
        ("报告..pdf", "报告.pdf"),
        ("证据\u202egpj.exe", "证据gpj.exe"),
        ("  第一  次\t开庭笔录.txt ", "第一 次 开庭笔录.txt"),
    ],
)
def test_clean_filename(raw: str, expected: str) -> None:
    assert clean_filename(raw) == expected


def test_clean_filename_composes_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Café 合同.pdf")
    assert clean_filename(decomposed) == unicodedata.normalize("NFC", "Café 合同.pdf")


def test_long_name_is_cut_to_255_characters_keeping_the_extension() -> None:
    name = "判" * 300 + ".pdf"
    cleaned = clean_filename(name)
    assert len(cleaned) == 255
    assert cleaned == "判" * 251 + ".pdf"
    assert shortened_note(name) == "文件名过长（304 个字符），已截短为 255 个字符"
    assert shortened_note("../" + "判" * 251 + ".pdf") == ""  # the path is not the name


def test_default_title_and_extension() -> None:
    assert default_title("民事判决书.pdf") == "民事判决书"
    assert default_title("README") == "README"
    assert extension_of("起诉状.DOCX") == "docx"
    assert extension_of("无扩展名") == ""
