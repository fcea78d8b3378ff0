"""DOCX writer: body, table, nested table, header and footer read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx

from demodata.files import write_docx

ROWS = [("诉讼地位", "名称"), ("原告", "北京华信科技有限公司"), ("被告", "上海恒达贸易有限公司")]


def test_docx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "起诉状.docx"
    write_docx(
        path,
        "民事起诉状",
        ["原告诉称，被告拖欠货款。", "此致北京市朝阳区人民法院"],
        table_rows=ROWS,
        header_text="（2023）京0105民初12345号",
        footer_text="内部资料",
        nested_table=True,
        nested_rows=[("明细", "金额"), ("货款", "人民币1,234,567.00元")],
    )

    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    table = document.tables[0]
    nested = table.cell(1, 1).tables[0]

    assert body == ["民事起诉状", "原告诉称，被告拖欠货款。", "此致北京市朝阳区人民法院"]
    assert [[c.paragraphs[0].text for c in row.cells] for row in table.rows] == [list(r) for r in ROWS]
    assert [[c.text for c in row.cells] for row in nested.rows] == [
        ["明细", "金额"],
        ["货款", "人民币1,234,567.00元"],
    ]
    assert document.sections[0].header.paragraphs[0].text == "（2023）京0105民初12345号"
    assert document.sections[0].footer.paragraphs[0].text == "内部资料"


def test_default_nested_table_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    write_docx(path, "证据目录", ["正文"], table_rows=ROWS, nested_table=True)

    document = docx.Document(str(path))
    nested = document.tables[0].cell(1, 1).tables[0]

    assert nested.cell(1, 1).text == "合同原件及签收记录"
    assert document.sections[0].footer.paragraphs[0].text == "第 页"


def test_docx_without_table_has_no_table(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    write_docx(path, "结案报告", ["一、案件概况"])

    document = docx.Document(str(path))

    assert document.tables == []
    assert [p.text for p in document.paragraphs] == ["结案报告", "一、案件概况"]


def test_docx_bytes_are_deterministic(tmp_path: Path) -> None:
    for name in ("a.docx", "b.docx"):
        write_docx(
            tmp_path / name, "合同", ["第一条"], table_rows=ROWS, header_text="页眉", nested_table=True
        )

    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
