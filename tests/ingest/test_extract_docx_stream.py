"""The streaming DOCX reader (a large body) against python-docx (an ordinary one): the same
text, to the character, for every DOCX the tests and the demo generator write and for
hand-written tricky ones; the same errors. Each path is forced with the threshold setting."""

from __future__ import annotations

import dataclasses
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest

from bench.memory_bench import _write_long_docx
from demodata.corpus import build_corpus, write_document
from demodata.files import write_docx
from ingest.errors import MSG_DOCX_CORRUPT, ErrorCode, IngestError
from ingest.extract.docx import STREAM_EXTRACTOR, extract, stream
from juanzong.settings import Settings

from .samples import sample_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def whole(settings: Settings) -> Settings:
    """python-docx, whatever the size."""
    return dataclasses.replace(settings, docx_stream_bytes=1 << 40)


@pytest.fixture
def streamed(settings: Settings) -> Settings:
    """The streaming reader, whatever the size."""
    return dataclasses.replace(settings, docx_stream_bytes=0)


def both(path: Path, whole: Settings, streamed: Settings) -> str:
    """The text, after checking that both readers give it (and the same page count)."""
    a, b = extract(path, whole), extract(path, streamed)
    assert (a.extractor, b.extractor) == ("python-docx", STREAM_EXTRACTOR)
    assert b.text == a.text
    assert b.page_count == a.page_count
    return a.text


# --- a DOCX written by hand ----------------------------------------------------------------


def p(text: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def sect(*refs: tuple[str, str, str], title_pg: bool = False) -> str:
    """A w:sectPr with (header|footer, type, rId) references."""
    inner = "".join(f"<w:{kind}Reference w:type='{type_}' r:id='{rid}'/>" for kind, type_, rid in refs)
    return f"<w:sectPr>{inner}{'<w:titlePg/>' if title_pg else ''}</w:sectPr>"


def hand_docx(
    path: Path,
    body: str,
    parts: dict[str, str] | None = None,
    *,
    prolog: str = "",
    main_ct: str = MAIN_CT,
    main: str = "word/document.xml",
    document_xml: bytes | None = None,
    related: dict[str, tuple[str, str, str | None]] | None = None,
) -> Path:
    """A minimal package: ``body`` inside w:body of the main part ``main``; ``parts`` maps
    rId → header or footer XML (``<w:hdr>…`` or ``<w:ftr>…``), written as
    word/header<rId>.xml or word/footer<rId>.xml. ``related`` maps rId → (relationship type,
    target, XML or None for no part) for any other part of the main part (its namespaces
    added to its first tag; a content type given for footnotes, endnotes and comments)."""
    parts = parts or {}
    overrides = [f"<Override PartName='/{main}' ContentType='{main_ct}'/>"]
    rels = []
    files: dict[str, bytes] = {}
    for rid, (reltype, target, xml) in (related or {}).items():
        mode = " TargetMode='External'" if target.startswith("http") else ""
        rels.append(f"<Relationship Id='{rid}' Type='{REL}/{reltype}' Target='{target}'{mode}/>")
        if xml is not None:
            files[f"word/{target}"] = re.sub(r"^(<\w+:\w+)", rf"\1 xmlns:w='{W}' xmlns:r='{R}'", xml).encode()
        if xml is not None and reltype in ("footnotes", "endnotes", "comments"):
            ct = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{reltype}+xml"
            overrides.append(f"<Override PartName='/word/{target}' ContentType='{ct}'/>")
    for rid, xml in parts.items():
        kind = "header" if xml.startswith("<w:hdr") else "footer"
        name = f"{kind}{rid}.xml"
        files[f"word/{name}"] = xml.replace(">", f" xmlns:w='{W}' xmlns:r='{R}'>", 1).encode()
        ct = HEADER_CT if kind == "header" else FOOTER_CT
        overrides.append(f"<Override PartName='/word/{name}' ContentType='{ct}'/>")
        rels.append(f"<Relationship Id='{rid}' Type='{REL}/{kind}' Target='{name}'/>")
    content_types = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
        "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
        "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
        "<Default Extension='xml' ContentType='application/xml'/>"
        "<Default Extension='html' ContentType='text/html'/>" + "".join(overrides) + "</Types>"
    )
    package_rels = (
        "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
        f"<Relationship Id='rId1' Type='{REL}/officeDocument' Target='{main}'/>"
        "</Relationships>"
    )
    document_rels = (
        "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
        + "".join(rels)
        + "</Relationships>"
    )
    if document_xml is None:
        document_xml = (
            f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>{prolog}"
            f"<w:document xmlns:w='{W}' xmlns:r='{R}' xmlns:mc='{MC}'><w:body>{body}</w:body></w:document>"
        ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", package_rels)
        zf.writestr(main, document_xml)
        folder, name = main.rsplit("/", 1)
        zf.writestr(f"{folder}/_rels/{name}.rels", document_rels)
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def hdr(*paragraphs: str) -> str:
    return "<w:hdr>" + "".join(p(t) for t in paragraphs) + "</w:hdr>"


def ftr(*paragraphs: str) -> str:
    return "<w:ftr>" + "".join(p(t) for t in paragraphs) + "</w:ftr>"


def cell(*content: str) -> str:
    return "<w:tc>" + "".join(content) + "</w:tc>"


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def table(*rows: str) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(rows) + "</w:tbl>"


def sdt(*content: str) -> str:
    return "<w:sdt><w:sdtPr/><w:sdtContent>" + "".join(content) + "</w:sdtContent></w:sdt>"


# --- every DOCX the tests and the demo write --------------------------------------------


def test_the_sample_docx(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    text = both(sample_docx(tmp_path / "a.docx"), whole, streamed)
    assert text.startswith("北京华辰科技有限公司法务部\n案件分析报告\n")


DEMO_DOCX = [doc for case in build_corpus() for doc in case.docs if doc.format == "docx"]


@pytest.mark.parametrize("doc", DEMO_DOCX, ids=lambda doc: doc.filename)
def test_every_demo_docx(tmp_path: Path, whole: Settings, streamed: Settings, doc) -> None:  # noqa: ANN001
    both(write_document(doc, tmp_path / doc.filename), whole, streamed)


def test_the_bench_docx(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    text = both(_write_long_docx(tmp_path / "long.docx", 30), whole, streamed)
    assert len(text) > 30 * 1000


def test_demo_writer_variants(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    for i, kwargs in enumerate(
        [
            {},
            {"table_rows": [["甲", "乙"]], "nested_table": True},
            {"nested_table": True},
            {"header_text": "页眉", "footer_text": ""},
            {"header_text": "同一文字", "footer_text": "同一文字"},
        ]
    ):
        path = tmp_path / f"{i}.docx"
        write_docx(path, "标题", ["正文一", "", "  ", "正文二"], **kwargs)
        both(path, whole, streamed)


def test_python_docx_built_documents(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    """As the tests of the python-docx path build them: sections, linked headers, content controls."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "第一节页眉"
    d.sections[0].first_page_header.paragraphs[0].text = "首页页眉（无 titlePg）"
    d.add_paragraph("正文一")
    d.add_section()
    d.add_paragraph("正文二")
    third = d.add_section()
    third.header.is_linked_to_previous = False
    third.header.paragraphs[0].text = "第三节页眉"
    third.even_page_footer.paragraphs[0].text = "偶数页页脚"
    third.footer.is_linked_to_previous = False  # empty: nothing
    d.add_paragraph("正文三\t制表符")
    d.add_paragraph().add_run("换行前").add_break()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "左"
    table.cell(1, 1).add_table(rows=1, cols=2).cell(0, 1).text = "嵌套"
    path = tmp_path / "a.docx"
    d.save(str(path))
    assert both(path, whole, streamed) == (
        "第一节页眉\n首页页眉（无 titlePg）\n第三节页眉\n"
        "正文一\n正文二\n正文三\t制表符\n换行前\n\n左\n嵌套\n偶数页页脚"
    )


# --- tricky ones, written by hand ----------------------------------------------------------


def test_nested_tables_and_content_controls(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    inner = table(row(cell(p("内1")), cell(p("内2"))), row(sdt(cell(p("控件单元格")))))
    body = (
        p("开头")
        + table(
            row(cell(p("甲"), p("甲二")), cell(p(""))),
            sdt(row(cell(sdt(p("单元格控件"))), cell(inner))),
        )
        + sdt(p("正文控件"), table(row(cell(p("控件中的表")))))
        + sdt()  # an empty control
        + "<w:sdt><w:sdtPr/></w:sdt>"  # one without content
        + p("结尾")
    )
    text = both(hand_docx(tmp_path / "a.docx", body), whole, streamed)
    assert text == ("开头\n甲\n甲二\n单元格控件 | 内1 | 内2\n控件单元格\n正文控件\n控件中的表\n结尾")


def test_alternate_content_revisions_hyperlinks_and_fields(
    tmp_path: Path, whole: Settings, streamed: Settings
) -> None:
    body = (
        "<w:p><mc:AlternateContent><mc:Choice Requires='wps'><w:r><w:t>选择</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>后备</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"
        "<w:p><w:r><w:t>原有</w:t></w:r><w:ins w:id='1' w:author='a'><w:r><w:t>插入</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>删除</w:delText></w:r></w:del></w:p>"
        "<w:p><w:hyperlink r:id='rId99'><w:r><w:t>链接文字</w:t></w:r></w:hyperlink></w:p>"
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>7</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:fldSimple w:instr=' DATE '><w:r><w:t>2024年1月1日</w:t></w:r></w:fldSimple></w:p>"
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t>丁</w:t></w:r></w:p>"
        "<!-- a comment --><?pi data?>"
        "<w:bookmarkStart w:id='0' w:name='b'/><w:bookmarkEnd w:id='0'/>"
        + p("  ")  # blank: left out
        + p("")
    )
    text = both(hand_docx(tmp_path / "a.docx", body), whole, streamed)
    assert text == "选择\n原有插入\n链接文字\n72024年1月1日\n甲\t乙\n丙\n丁"


def test_hyphens_tabs_and_symbols_in_runs(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    """A non-breaking hyphen is "-", an absolute position tab a tab; a soft hyphen and a
    symbol-font character are nothing."""
    body = (
        "<w:p><w:r><w:t>合同编号AY</w:t><w:noBreakHyphen/><w:t>2020</w:t><w:noBreakHyphen/>"
        "<w:t>0103</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>联系电话010</w:t><w:noBreakHyphen/><w:t>12345678</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>账号6222</w:t><w:ptab w:relativeTo='margin' w:alignment='right' w:leader='none'/>"
        "<w:t>0200</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>不可</w:t><w:softHyphen/><w:t>见</w:t><w:sym w:font='Wingdings' w:char='F0FE'/>"
        "<w:t>符号</w:t></w:r></w:p>"
        # in a fallback (the same content again, for older readers): nothing
        "<w:p><w:r><w:t>选择</w:t></w:r><mc:AlternateContent><mc:Choice Requires='wps'/><mc:Fallback>"
        "<w:r><w:t>后备</w:t><w:noBreakHyphen/><w:tab/><w:br/></w:r></mc:Fallback></mc:AlternateContent></w:p>"
    )
    text = both(hand_docx(tmp_path / "a.docx", body), whole, streamed)
    assert text == "合同编号AY-2020-0103\n联系电话010-12345678\n账号6222\t0200\n不可见符号\n选择"


def test_custom_xml_and_smart_tags_are_looked_through(
    tmp_path: Path, whole: Settings, streamed: Settings
) -> None:
    def custom(*content: str) -> str:
        return "<w:customXml w:element='x'><w:customXmlPr/>" + "".join(content) + "</w:customXml>"

    body = (
        custom(p("保密条款全文"), custom(p("嵌套的自定义")))
        + "<w:p>"
        + custom("<w:r><w:t>第三人</w:t></w:r>")
        + "<w:smartTag w:uri='urn:x' w:element='place'><w:r><w:t>赵某</w:t></w:r></w:smartTag></w:p>"
        + table(
            custom(row(cell(p("自定义行文字")))),
            row(custom(cell(p("自定义单元格"))), sdt(custom(cell(p("控件中的自定义单元格"))))),
            sdt(custom(row(cell(p("控件中的自定义行"))))),
        )
        + sdt(custom(table(row(cell(p("控件中的自定义表格"))))))
        + custom()  # empty
        + p("结尾")
    )
    text = both(hand_docx(tmp_path / "a.docx", body), whole, streamed)
    assert text == (
        "保密条款全文\n嵌套的自定义\n第三人赵某\n自定义行文字\n自定义单元格 | 控件中的自定义单元格\n"
        "控件中的自定义行\n控件中的自定义表格\n结尾"
    )


def test_tracked_changes_keep_the_current_text(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    """Insertions and text moved here are read; deletions and text moved away are not (the
    document as it reads now, each moved paragraph once)."""
    body = (
        "<w:p><w:r><w:t>被告应支付</w:t></w:r>"
        "<w:ins w:id='1' w:author='a'><w:r><w:t>违约金</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>赔偿金</w:delText></w:r></w:del>"
        "<w:del w:id='3' w:author='a'><w:r><w:t>误用w:t的删除</w:t></w:r></w:del>"
        "<w:r><w:t>五万元</w:t></w:r></w:p>"
        "<w:moveFromRangeStart w:id='4' w:name='m'/>"
        "<w:p><w:moveFrom w:id='5'><w:r><w:t>移动的段落甲</w:t></w:r></w:moveFrom></w:p>"
        "<w:moveFromRangeEnd w:id='4'/>" + p("中间段落") + "<w:moveToRangeStart w:id='6' w:name='m'/>"
        "<w:p><w:moveTo w:id='7'><w:r><w:t>移动的段落甲</w:t></w:r></w:moveTo></w:p>"
        "<w:moveToRangeEnd w:id='6'/>"
        # an inserted paragraph is marked in its paragraph mark: an ordinary paragraph
        "<w:p><w:pPr><w:rPr><w:ins w:id='8' w:author='a'/></w:rPr></w:pPr>"
        "<w:ins w:id='9' w:author='a'><w:r><w:t>插入的段落</w:t></w:r></w:ins></w:p>"
        # a deleted paragraph: all its text deleted
        "<w:p><w:pPr><w:rPr><w:del w:id='10' w:author='a'/></w:rPr></w:pPr>"
        "<w:del w:id='11' w:author='a'><w:r><w:delText>删除的段落</w:delText></w:r></w:del></w:p>"
        # blocks inside a tracked insertion or move (as some writers put them) are read, inside
        # a deletion or a move away they are not
        "<w:ins w:id='12' w:author='a'>" + p("插入中的段落") + "</w:ins>"
        "<w:moveTo w:id='13' w:author='a'>" + table(row(cell(p("移来的表格")))) + "</w:moveTo>"
        "<w:del w:id='14' w:author='a'>" + p("删除中的段落") + "</w:del>"
        "<w:moveFrom w:id='15' w:author='a'>"
        + p("移走的段落")
        + "</w:moveFrom>"
        + table(row(cell(p("行中")), "<w:ins w:id='16' w:author='a'>" + cell(p("插入的单元格")) + "</w:ins>"))
    )
    text = both(hand_docx(tmp_path / "a.docx", body), whole, streamed)
    assert text == (
        "被告应支付违约金五万元\n中间段落\n移动的段落甲\n插入的段落\n插入中的段落\n移来的表格\n"
        "行中 | 插入的单元格"
    )


def notes(kind: str, *notes: tuple[str | None, str]) -> str:
    """A footnotes (``kind`` footnote), endnotes or comments part: (w:type, XML) a note,
    Word's two separator notes first for footnotes and endnotes."""
    separators = (
        f"<w:{kind} w:type='separator' w:id='-1'><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>"
        f"<w:{kind} w:type='continuationSeparator' w:id='0'><w:p><w:r><w:continuationSeparator/>"
        f"</w:r></w:p></w:{kind}>"
    )
    inner = "".join(
        f"<w:{kind} w:id='{i}'" + (f" w:type='{t}'" if t else "") + f">{xml}</w:{kind}>"
        for i, (t, xml) in enumerate(notes, start=1)
    )
    return f"<w:{kind}s>" + (separators if kind != "comment" else "") + inner + f"</w:{kind}s>"


FOOTNOTES = notes(
    "footnote",
    (None, p("参见最高人民法院指导案例第九号")),
    ("normal", p("第二个脚注") + table(row(cell(p("脚注表格左")), cell(p("脚注表格右"))))),
    ("continuationNotice", p("（接下页）")),
)
ENDNOTES = notes("endnote", (None, p("尾注所引司法解释") + p("尾注第二段")))
COMMENTS = notes("comment", (None, p("此处需补充证据")), (None, p("") + sdt(p("批注二"))))


def test_footnotes_endnotes_and_comments(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    """Order: headers, body, footnotes, endnotes, footers, comments; no separator notes."""
    body = (
        "<w:p><w:commentRangeStart w:id='1'/><w:r><w:t>本案争议焦点</w:t></w:r><w:commentRangeEnd w:id='1'/>"
        "<w:r><w:footnoteReference w:id='1'/></w:r><w:r><w:endnoteReference w:id='1'/></w:r>"
        "<w:r><w:commentReference w:id='1'/></w:r></w:p>"
        + sect(("header", "default", "rIdH"), ("footer", "default", "rIdF"))
    )
    related = {  # in no particular order: the text's order is fixed
        "rId9": ("comments", "comments.xml", COMMENTS),
        "rId7": ("endnotes", "endnotes.xml", ENDNOTES),
        "rId8": ("footnotes", "footnotes.xml", FOOTNOTES),
    }
    path = hand_docx(tmp_path / "a.docx", body, {"rIdH": hdr("页眉"), "rIdF": ftr("页脚")}, related=related)
    assert both(path, whole, streamed) == (
        "页眉\n本案争议焦点\n参见最高人民法院指导案例第九号\n第二个脚注\n脚注表格左 | 脚注表格右\n"
        "尾注所引司法解释\n尾注第二段\n页脚\n此处需补充证据\n批注二"
    )


def test_which_notes_parts_are_read(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    related: dict[str, tuple[str, str, str | None]] = {
        "rId1": ("footnotes", "http://example.com/notes.xml", None),  # external: not read
        "rId2": ("footnotes", "footnotes.xml", FOOTNOTES),  # the first internal one
        "rId3": ("footnotes", "footnotes2.xml", notes("footnote", (None, p("第二个脚注部件")))),
        "rId4": ("endnotes", "footnotes.xml", None),  # the same part again: once
        "rId5": ("comments", "document.xml", None),  # the main part: never
    }
    path = hand_docx(tmp_path / "a.docx", p("正文"), related=related)
    assert both(path, whole, streamed) == (
        "正文\n参见最高人民法院指导案例第九号\n第二个脚注\n脚注表格左 | 脚注表格右"
    )
    # a comments part of another content type (python-docx keeps it as bytes) reads the same
    path = hand_docx(tmp_path / "b.docx", p("正文"), related={"rId1": ("comments", "c.xml", COMMENTS)})
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").replace(b"comments+xml", b"other+xml")
    path = _replace_member(path, tmp_path / "c.docx", "[Content_Types].xml", types)
    assert both(path, whole, streamed) == "正文\n此处需补充证据\n批注二"


def test_large_notes_take_the_streaming_reader(tmp_path: Path, settings: Settings) -> None:
    """What picks the reader is the size of the main part with its notes and comments."""
    threshold = dataclasses.replace(settings, docx_stream_bytes=100_000)
    many = notes("footnote", *((None, p(f"第{i}个脚注")) for i in range(1000)))
    path = hand_docx(tmp_path / "a.docx", p("正文"), related={"rId1": ("footnotes", "f.xml", many)})
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("word/document.xml").file_size < 1000
        assert zf.getinfo("word/f.xml").file_size > 100_000
    raw = stream(path, threshold)
    assert raw.extractor == STREAM_EXTRACTOR
    assert "".join(raw.pieces) == "正文\n" + "\n".join(f"第{i}个脚注" for i in range(1000))


def test_an_alt_chunk_is_not_read(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    """An imported chunk (HTML, RTF, another DOCX) is not read, and breaks nothing."""
    html = "<html><body><p>附件导入的证据清单</p></body></html>"
    path = hand_docx(
        tmp_path / "a.docx",
        p("正文") + "<w:altChunk r:id='rId7'/>" + p("结尾"),
        related={"rId7": ("aFChunk", "chunk.html", html)},
    )
    assert both(path, whole, streamed) == "正文\n结尾"


def test_sections_and_their_headers(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    parts = {
        "rIdH1": hdr("节一页眉"),
        "rIdF1": hdr("节一首页页眉"),
        "rIdE1": hdr("节一偶数页页眉"),
        "rIdH3": hdr("节一页眉"),  # another part, the same text: once
        "rIdH4": hdr(""),  # empty
        "rIdE4": hdr("节四偶数页页眉"),
        "rIdf1": ftr("页脚一"),
        "rIdf4": ftr("页脚四", "第二行"),
    }
    body = (
        p(
            "第一节",
            "<w:pPr>"
            + sect(
                ("header", "default", "rIdH1"),
                ("header", "first", "rIdF1"),
                ("header", "even", "rIdE1"),
                ("footer", "default", "rIdf1"),
            )
            + "</w:pPr>",
        )
        + p("第二节（沿用前节）", "<w:pPr>" + sect() + "</w:pPr>")
        # a sectPr in a table's paragraph is not a section for python-docx
        + table(row(cell(p("表中", "<w:pPr>" + sect(("header", "default", "rIdE4")) + "</w:pPr>"))))
        + p(
            "第三节",
            "<w:pPr>" + sect(("header", "default", "rIdH3"), ("header", "default", "rIdE1")) + "</w:pPr>",
        )
        # nor is one in a content control's paragraph
        + sdt(p("控件中", "<w:pPr>" + sect(("header", "default", "rIdE4")) + "</w:pPr>"))
        + p("第四节")
        + sect(
            ("footer", "default", "rIdf4"),
            ("header", "even", "rIdE4"),
            ("header", "default", "rIdH4"),
            ("header", "odd", "rIdH1"),  # not a type python-docx reads
            title_pg=True,
        )
    )
    text = both(hand_docx(tmp_path / "a.docx", body, parts), whole, streamed)
    assert text == (
        "节一页眉\n节一首页页眉\n节一偶数页页眉\n节四偶数页页眉\n"
        "第一节\n第二节（沿用前节）\n表中\n第三节\n控件中\n第四节\n"
        "页脚一\n页脚四\n第二行"
    )


def test_a_body_without_sectpr_and_an_empty_body(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    assert both(hand_docx(tmp_path / "a.docx", p("只有正文")), whole, streamed) == "只有正文"
    assert both(hand_docx(tmp_path / "b.docx", ""), whole, streamed) == ""


def test_headers_with_tables_and_controls(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    parts = {
        "rId1": "<w:hdr>" + table(row(cell(p("页眉左")), cell(p("页眉右")))) + sdt(p("页眉控件")) + "</w:hdr>"
    }
    text = both(
        hand_docx(tmp_path / "a.docx", p("正文") + sect(("header", "default", "rId1")), parts),
        whole,
        streamed,
    )
    assert text == "页眉左 | 页眉右\n页眉控件\n正文"


def test_no_external_entity_is_ever_read(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容")
    prolog = f"<!DOCTYPE w:document [<!ENTITY xxe SYSTEM '{secret.as_uri()}'><!ENTITY inner '内部实体'>]>"
    body = "<w:p><w:r><w:t>前&xxe;后&inner;</w:t></w:r></w:p>" + p("正文")
    text = both(hand_docx(tmp_path / "a.docx", body, prolog=prolog), whole, streamed)
    assert "机密" not in text and "内部实体" not in text
    assert text == "前\n正文"


def test_the_body_is_streamed_one_child_at_a_time(tmp_path: Path, streamed: Settings) -> None:
    """Blocks come while the body is read: the tree holds the current child only."""
    from ingest.extract import docx as module

    path = hand_docx(tmp_path / "a.docx", "".join(p(f"第{i}段") for i in range(200)) + sect())
    seen: list[list[int]] = []
    real = module.block_texts

    def spy(child):  # noqa: ANN001, ANN202
        seen.append([len(c) for c in child.itersiblings(preceding=True)])
        return real(child)

    module.block_texts = spy
    try:
        pieces = list(stream(path, streamed).pieces)
    finally:
        module.block_texts = real
    assert len(pieces) == 200
    # Before each child: at most the one before it, already emptied (lxml builds the
    # elements of the chunk it has read ahead, so what follows may be there already).
    assert seen[0] == [] and all(s == [0] for s in seen[1:])


# --- errors ---------------------------------------------------------------------------------


def _corrupt_on_both(path: Path, whole: Settings, streamed: Settings) -> None:
    for settings in (whole, streamed):
        with pytest.raises(IngestError) as err:
            stream(path, settings)  # raised before any piece
        assert (err.value.code, err.value.message_zh) == (ErrorCode.CORRUPT, MSG_DOCX_CORRUPT)


def test_broken_xml_is_corrupt_before_any_piece(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    good = hand_docx(tmp_path / "good.docx", "".join(p(f"段{i}") for i in range(1000)))
    with zipfile.ZipFile(good) as zf:
        xml = zf.read("word/document.xml")
    for i, broken in enumerate(
        [xml[: len(xml) * 2 // 3], xml.replace(b"</w:p>", b"</w:x>", 900), b"<w:document"]
    ):
        _corrupt_on_both(hand_docx(tmp_path / f"b{i}.docx", "", document_xml=broken), whole, streamed)


def test_a_missing_header_part_is_corrupt(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    path = hand_docx(tmp_path / "a.docx", p("正文") + sect(("header", "default", "rIdNone")))
    _corrupt_on_both(path, whole, streamed)


def test_a_broken_header_is_corrupt(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    path = hand_docx(
        tmp_path / "a.docx", p("正文") + sect(("header", "default", "rId1")), {"rId1": "<w:hdr><w:p>"}
    )
    _corrupt_on_both(path, whole, streamed)


def test_not_a_word_document_is_corrupt(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    _corrupt_on_both(hand_docx(tmp_path / "a.docx", p("正文"), main_ct=sheet), whole, streamed)
    glossary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"
    _corrupt_on_both(hand_docx(tmp_path / "b.docx", p("正文"), main_ct=glossary), whole, streamed)


def test_a_main_part_named_by_the_package_relationships(
    tmp_path: Path, whole: Settings, streamed: Settings
) -> None:
    """Some Word saves name the main part word/document2.xml; _rels/.rels says which it is."""
    body = p("判决书正文违约责任") + sect(("header", "default", "rId1"))
    path = hand_docx(tmp_path / "a.docx", body, {"rId1": hdr("页眉")}, main="word/document2.xml")
    with zipfile.ZipFile(path) as zf:
        assert "word/document.xml" not in zf.namelist()
    assert both(path, whole, streamed) == "页眉\n判决书正文违约责任"
    # the size that picks the reader is the main part's
    big = hand_docx(tmp_path / "b.docx", p("正文" * 1000), main="word/document2.xml")
    assert stream(big, dataclasses.replace(whole, docx_stream_bytes=1000)).extractor == STREAM_EXTRACTOR


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("a.docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ("a.dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
        ("a.dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    ],
)
def test_macro_enabled_documents_and_templates(
    tmp_path: Path, whole: Settings, streamed: Settings, name: str, content_type: str
) -> None:
    """Read as a .docx is (their macros are never run)."""
    body = p("合同模板违约责任") + sect(("footer", "default", "rId1"))
    path = hand_docx(tmp_path / name, body, {"rId1": ftr("页脚")}, main_ct=content_type)
    assert both(path, whole, streamed) == "合同模板违约责任\n页脚"
    # python-docx's own entry point still refuses them (our registration is narrow)
    with pytest.raises(ValueError, match="not a Word file"):
        docx.Document(str(path))


def _replace_member(source: Path, path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == name else src.read(info.filename))
    return path


def test_broken_or_missing_notes_are_corrupt(tmp_path: Path, whole: Settings, streamed: Settings) -> None:
    broken = notes("footnote", *((None, p(f"脚注{i}")) for i in range(500)))[:-100]
    for i, related in enumerate(
        [
            {"rId1": ("footnotes", "footnotes.xml", broken)},
            {"rId1": ("comments", "comments.xml", "<w:comments><w:comment>")},
            {"rId1": ("endnotes", "missing.xml", None)},
        ]
    ):
        path = hand_docx(tmp_path / f"{i}.docx", "".join(p(f"段{j}") for j in range(100)), related=related)
        _corrupt_on_both(path, whole, streamed)


def test_a_package_without_relationships_is_corrupt(
    tmp_path: Path, whole: Settings, streamed: Settings
) -> None:
    source = hand_docx(tmp_path / "a.docx", p("正文"))
    path = tmp_path / "b.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename != "_rels/.rels":
                dst.writestr(info.filename, src.read(info.filename))
    _corrupt_on_both(path, whole, streamed)


def test_the_default_threshold_takes_each_path(tmp_path: Path, settings: Settings) -> None:
    small = sample_docx(tmp_path / "a.docx")
    assert stream(small, settings).extractor == "python-docx"
    rng = random.Random(1)
    paragraphs = (
        "".join(rng.choice("诉讼请求事实理由证据判决如下") for _ in range(500)) for _ in range(2000)
    )
    big_path = hand_docx(tmp_path / "big.docx", "".join(p(t) for t in paragraphs))
    with zipfile.ZipFile(big_path) as zf:
        assert zf.getinfo("word/document.xml").file_size > settings.docx_stream_bytes
    assert stream(big_path, settings).extractor == STREAM_EXTRACTOR
