"""PDF writers: both font kinds extract back to exactly the generated text."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from demodata import cjkfont
from demodata.files import write_long_pdf, write_pdf
from demodata.text import TextGenerator, document_paragraphs

_WS = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _WS.sub("", text)


def _extract(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def _judgment() -> tuple[str, list[str]]:
    facts = TextGenerator(11).case_facts(cause="买卖合同纠纷")
    return document_paragraphs("legal_doc", facts, random.Random(3), variant="judgment")


def _cjk_fonts(path: Path) -> list:
    """Font dictionaries of page 1 other than the Helvetica reportlab always lists."""
    fonts = PdfReader(path).pages[0]["/Resources"]["/Font"]
    return [f.get_object() for f in fonts.values() if f.get_object()["/BaseFont"] != "/Helvetica"]


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_pdf_text_extracts_exactly(tmp_path: Path, font: str) -> None:
    title, paragraphs = _judgment()
    path = tmp_path / f"判决书-{font}.pdf"

    pages = write_pdf(path, title, paragraphs, font=font)

    assert pages == len(PdfReader(path).pages) >= 2
    assert _squeeze(_extract(path)) == _squeeze(title + "".join(paragraphs))


def test_pdf_markup_characters_and_mixed_text_survive(tmp_path: Path) -> None:
    paragraphs = ["A&B <公司> “引号”‘单引号’——《民法典》第五百七十七条 §3 1,234.00元 ①②③ 〔2023〕"]
    for font in ("cid", "ttf"):
        path = tmp_path / f"{font}.pdf"
        write_pdf(path, "标题&<>", paragraphs, font=font)
        assert _squeeze(_extract(path)) == _squeeze("标题&<>" + paragraphs[0])


def test_ttf_pdf_embeds_a_truetype_font_and_cid_pdf_does_not(tmp_path: Path) -> None:
    write_pdf(tmp_path / "ttf.pdf", "合同", ["甲方乙方"], font="ttf")
    write_pdf(tmp_path / "cid.pdf", "合同", ["甲方乙方"], font="cid")

    ttf_fonts = _cjk_fonts(tmp_path / "ttf.pdf")
    cid_fonts = _cjk_fonts(tmp_path / "cid.pdf")
    ttf_desc = [f["/FontDescriptor"] for f in ttf_fonts]
    cid_desc = [f["/DescendantFonts"][0].get_object() for f in cid_fonts]

    assert [f["/Subtype"] for f in ttf_fonts] == ["/TrueType"]
    assert all("/FontFile2" in d for d in ttf_desc)
    assert all("/ToUnicode" in f for f in ttf_fonts)
    assert [d["/BaseFont"] for d in cid_desc] == ["/STSong-Light"]
    assert all(
        "/FontFile2" not in d["/FontDescriptor"] and "/FontFile" not in d["/FontDescriptor"] for d in cid_desc
    )


def test_pages_hint_spreads_paragraphs_over_pages(tmp_path: Path) -> None:
    paragraphs = [f"第{i}段：原告诉称被告拖欠货款。" for i in range(1, 7)]

    pages = write_pdf(tmp_path / "p.pdf", "测试", paragraphs, font="cid", pages_hint=3)

    reader = PdfReader(tmp_path / "p.pdf")
    assert pages == len(reader.pages) == 3
    assert "第5段" in reader.pages[2].extract_text()
    assert "第5段" not in reader.pages[1].extract_text()


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    title, paragraphs = _judgment()
    for font in ("cid", "ttf"):
        write_pdf(tmp_path / "a.pdf", title, paragraphs, font=font)
        write_pdf(tmp_path / "b.pdf", title, paragraphs, font=font)
        assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_long_pdf_has_the_requested_pages(tmp_path: Path, font: str) -> None:
    path = tmp_path / "long.pdf"

    assert write_long_pdf(path, 6, font=font, seed=5) == 6

    reader = PdfReader(path)
    assert len(reader.pages) == 6
    assert _squeeze(reader.pages[5].extract_text()).endswith("第6页")
    assert len(_squeeze(reader.pages[0].extract_text())) > 1000


def test_long_pdf_page_text_is_used_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    write_long_pdf(path, 2, font="ttf", page_text=lambda i: f"第{i}页正文：本院认为，合同合法有效。")

    texts = [_squeeze(p.extract_text()) for p in PdfReader(path).pages]

    assert texts == ["第0页正文：本院认为，合同合法有效。第1页", "第1页正文：本院认为，合同合法有效。第2页"]


def test_built_font_covers_its_charset_and_allows_embedding(tmp_path: Path) -> None:
    out = cjkfont.build_font("案卷（）。A1", tmp_path / "f.ttf")

    font = TTFont(out)
    cmap = font.getBestCmap()
    assert {chr(cp) for cp in cmap} == set("案卷（）。A1 ")
    assert font["OS/2"].fsType == 0
    assert font["hmtx"][cmap[ord("案")]][0] == 1000
    assert font["hmtx"][cmap[ord("A")]][0] == 500


def test_default_font_covers_every_generated_character() -> None:
    gen = TextGenerator(3)
    text = "".join(gen.sentence_pool(500))
    facts = gen.case_facts(cause="侵害商标权纠纷")
    for doc_type in ("lead_form", "hearing", "closing"):
        title, paragraphs = document_paragraphs(doc_type, facts, random.Random(1))
        text += title + "".join(paragraphs)

    assert set(text) - cjkfont.default_charset() == set()


@pytest.mark.parametrize("font", ["cid", "ttf"])
def test_pdf_encrypted_with_empty_user_password_opens_without_one(tmp_path: Path, font: str) -> None:
    path = tmp_path / "enc.pdf"
    write_pdf(path, "加密文件", ["本院认为，合同有效。"], font=font, user_password="")

    reader = PdfReader(path)

    assert reader.is_encrypted
    assert _squeeze(reader.pages[0].extract_text()) == "加密文件本院认为，合同有效。"


def test_pdf_with_a_real_user_password_needs_it(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    write_pdf(path, "保密文件", ["和解协议内容"], font="ttf", user_password="s3cret")

    with pytest.raises(FileNotDecryptedError):
        PdfReader(path).pages[0].extract_text()
    reader = PdfReader(path)
    assert reader.decrypt("s3cret")
    assert _squeeze(reader.pages[0].extract_text()) == "保密文件和解协议内容"


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JUANZONG_CACHE_DIR", str(tmp_path / "cache"))
    assert cjkfont.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("JUANZONG_CACHE_DIR")
    assert cjkfont.cache_dir() == Path.home() / ".cache" / "juanzong"
