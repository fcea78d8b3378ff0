from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest

from ingest.errors import ErrorCode, IngestError
from ingest.extract import stream_document
from ingest.extract.docx import extract, stream
from juanzong.settings import Settings
from search.analysis import MAX_PIECE_CHARS

from .samples import sample_docx, zip_bomb_docx


def test_body_tables_nested_tables_header_and_footer(tmp_path: Path, settings: Settings) -> None:
    extracted = extract(sample_docx(tmp_path / "a.docx"), settings)
    assert extracted.extractor == "python-docx"
    assert extracted.text == (
        "北京华辰科技有限公司法务部\n"
        "案件分析报告\n"
        "一、案件基本情况：原告主张被告拖欠货款。\n"
        "二、争议焦点：违约金计算标准是否过高。\n"
        "证据名称 | 证明目的\n"
        "设备采购合同 | 双方存在买卖合同关系\n"
        "明细编号 | 证明内容\n"
        "1-1 | 增值税专用发票十二张\n"
        "内部资料 注意保密"
    )


def test_paragraphs_and_tables_keep_document_order(tmp_path: Path, settings: Settings) -> None:
    d = docx.Document()
    d.add_paragraph("甲：表格之前")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "乙：表格左"
    table.cell(0, 1).text = "丙：表格右"
    d.add_paragraph("丁：表格之后")
    path = tmp_path / "a.docx"
    d.save(str(path))
    assert extract(path, settings).text == "甲：表格之前\n乙：表格左 | 丙：表格右\n丁：表格之后"


def test_empty_cells_are_left_out_of_a_row(tmp_path: Path, settings: Settings) -> None:
    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    for col, value in enumerate(["序号", "证据名称", "证明目的"]):
        table.cell(0, col).text = value
    table.cell(1, 0).text = " 1 "
    table.cell(1, 2).text = "合同成立"
    path = tmp_path / "a.docx"
    d.save(str(path))
    assert extract(path, settings).text == "序号 | 证据名称 | 证明目的\n1 | 合同成立"


def test_headers_of_every_section_once(tmp_path: Path, settings: Settings) -> None:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "第一节页眉"
    d.add_paragraph("正文一")
    d.add_section()  # linked to the previous header: the same text, once
    d.add_paragraph("正文二")
    third = d.add_section()
    third.header.is_linked_to_previous = False
    third.header.paragraphs[0].text = "第三节页眉"
    d.add_paragraph("正文三")
    path = tmp_path / "a.docx"
    d.save(str(path))
    assert extract(path, settings).text == "第一节页眉\n第三节页眉\n正文一\n正文二\n正文三"


def _rezip(source: Path, path: Path, replace: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    dst.writestr(info.filename, data)
            else:
                dst.writestr(info.filename, src.read(info.filename))
    return path


def test_page_count_from_app_xml(tmp_path: Path, settings: Settings) -> None:
    source = sample_docx(tmp_path / "a.docx")
    app = b'<?xml version="1.0"?><Properties xmlns="x"><Pages>7</Pages></Properties>'
    assert extract(_rezip(source, tmp_path / "b.docx", {"docProps/app.xml": app}), settings).page_count == 7
    no_pages = b'<?xml version="1.0"?><Properties xmlns="x"><Words>12</Words></Properties>'
    path = _rezip(source, tmp_path / "c.docx", {"docProps/app.xml": no_pages})
    assert extract(path, settings).page_count is None


def test_not_a_zip_is_corrupt(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes("这不是一个 DOCX 文件".encode())
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.CORRUPT, "DOCX 文件已损坏或不完整")


def test_zip_without_document_xml_is_corrupt(tmp_path: Path, settings: Settings) -> None:
    path = _rezip(sample_docx(tmp_path / "a.docx"), tmp_path / "b.docx", {"word/document.xml": None})
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.CORRUPT, "DOCX 文件已损坏或不完整")


def test_broken_document_xml_is_corrupt(tmp_path: Path, settings: Settings) -> None:
    path = _rezip(
        sample_docx(tmp_path / "a.docx"), tmp_path / "b.docx", {"word/document.xml": b"<w:document"}
    )
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert err.value.code is ErrorCode.CORRUPT


def test_zip_bomb_by_ratio(tmp_path: Path, settings: Settings) -> None:
    path = zip_bomb_docx(tmp_path / "bomb.docx", megabytes=300)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(IngestError) as err:
        extract(path, settings)
    assert (err.value.code, err.value.message_zh) == (ErrorCode.ZIP_BOMB, "文件疑似压缩炸弹，已拒绝处理")


def test_zip_bomb_by_total_size(tmp_path: Path, settings: Settings) -> None:
    small_limit = dataclasses.replace(settings, max_docx_uncompressed_bytes=20_000)
    path = sample_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 20_000
    with pytest.raises(IngestError) as err:
        extract(path, small_limit)
    assert err.value.code is ErrorCode.ZIP_BOMB
    assert extract(path, settings).text.startswith("北京华辰科技有限公司法务部")


def test_content_controls_are_read(tmp_path: Path, settings: Settings) -> None:
    d = docx.Document()
    d.add_paragraph("前言")
    body = d.element.body
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    sdt = etree.fromstring(
        f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:p><w:r><w:t>控件中的文字</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, sdt)  # before w:sectPr
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "a.docx"
    path.write_bytes(buf.getvalue())
    assert extract(path, settings).text == "前言\n控件中的文字"


# --- streaming -------------------------------------------------------------------------


def test_stream_gives_a_block_a_piece(tmp_path: Path, settings: Settings) -> None:
    path = sample_docx(tmp_path / "a.docx")
    raw = stream(path, settings)
    assert (raw.extractor, raw.page_count) == ("python-docx", 1)
    assert list(raw.pieces) == [
        "北京华辰科技有限公司法务部",
        "\n案件分析报告",
        "\n一、案件基本情况：原告主张被告拖欠货款。",
        "\n二、争议焦点：违约金计算标准是否过高。",
        "\n证据名称 | 证明目的",
        # a row is one block, a nested table in its cell included
        "\n设备采购合同 | 双方存在买卖合同关系\n明细编号 | 证明内容\n1-1 | 增值税专用发票十二张",
        "\n内部资料 注意保密",
    ]
    extraction = stream_document("docx", path, settings)
    assert "".join(extraction.pieces()) == extract(path, settings).text
    assert extraction.extractor == "python-docx"


def test_a_long_paragraph_comes_in_bounded_pieces(tmp_path: Path, settings: Settings) -> None:
    d = docx.Document()
    d.add_paragraph("前言")
    d.add_paragraph("证据" * MAX_PIECE_CHARS)
    path = tmp_path / "a.docx"
    d.save(str(path))
    pieces = list(stream_document("docx", path, settings).pieces())
    # the normaliser cuts the paragraph every MAX_PIECE_CHARS, holding one character back
    assert [len(p) for p in pieces] == [1, MAX_PIECE_CHARS, MAX_PIECE_CHARS, 1, 1]
    assert "".join(pieces) == "前言\n" + "证据" * MAX_PIECE_CHARS


def test_errors_are_raised_before_any_piece(tmp_path: Path, settings: Settings) -> None:
    not_zip = tmp_path / "a.docx"
    not_zip.write_bytes("这不是一个 DOCX 文件".encode())
    broken = _rezip(
        sample_docx(tmp_path / "s.docx"), tmp_path / "b.docx", {"word/document.xml": b"<w:document"}
    )
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", megabytes=300)
    for path, code, message in [
        (not_zip, ErrorCode.CORRUPT, "DOCX 文件已损坏或不完整"),
        (broken, ErrorCode.CORRUPT, "DOCX 文件已损坏或不完整"),
        (bomb, ErrorCode.ZIP_BOMB, "文件疑似压缩炸弹，已拒绝处理"),
    ]:
        with pytest.raises(IngestError) as err:
            stream_document("docx", path, settings)  # not iterated
        assert (err.value.code, err.value.message_zh) == (code, message)
