from __future__ import annotations

import re
from pathlib import Path

import pytest

from demodata.files import write_long_pdf, write_pdf
from ingest.errors import ErrorCode, IngestError
from ingest.extract import extract_document
from ingest.extract.pdf import extract
from juanzong.settings import Settings

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
def test_phrase_wrapped_across_lines_is_joined(tmp_path: Path, settings: Settings, font: str) -> None:
    path = sample_pdf(tmp_path / "a.pdf", font=font)
    raw = extract(path, settings).text
    # Find a line break between two Han characters, as the layout left it.
    wrap = re.search(r"([\u4e00-\u9fff]{3})\n([\u4e00-\u9fff]{3})", raw)
    assert wrap is not None
    phrase = wrap.group(1) + wrap.group(2)
    assert phrase not in raw
    assert phrase in extract_document("pdf", path, settings).text


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
