"""Uploading, the document page, retry, status JSON and download."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from archive.db import session_scope
from archive.models import AuditEvent, Document, Role, User
from ingest.errors import MSG_EMPTY
from tests.web.conftest import csrf_token


@pytest.fixture
def lawyer(login, make_user) -> User:
    user = make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")
    return user


def _upload(client, case_id, *files, doc_type="legal_doc", title="", doc_date=""):
    data = {
        "csrf_token": csrf_token(client),
        "doc_type": doc_type,
        "title": title,
        "doc_date": doc_date,
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    return client.post(f"/cases/{case_id}/documents", data=data, content_type="multipart/form-data")


def _flashes(client, case_id) -> list[str]:
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return [part.split("</div>", 1)[0] for part in html.split('role="status">')[1:]]


def _documents(runtime) -> list[Document]:
    with session_scope(runtime.sessions) as s:
        return list(s.scalars(select(Document).order_by(Document.id)))


def test_upload_text_file_creates_a_queued_document(runtime, client, lawyer, make_case):
    case_id = make_case()
    response = _upload(
        client, case_id, ("起诉状.txt", "民事起诉状\n原告：北京华辰科技有限公司".encode()), title="民事起诉状"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case_id}"
    [doc] = _documents(runtime)
    assert (doc.case_id, doc.status, doc.doc_type, doc.title, doc.original_filename, doc.uploaded_by_id) == (
        case_id,
        "queued",
        "legal_doc",
        "民事起诉状",
        "起诉状.txt",
        lawyer.id,
    )
    assert _flashes(client, case_id) == ["起诉状.txt：已上传，等待处理"]


def test_upload_with_a_document_date_files_it_under_that_year(runtime, client, lawyer, make_case):
    from ingest.pipeline import process_document
    from search.api import SearchRequest

    case_id = make_case()
    _upload(client, case_id, ("判决书.txt", "本院认为被告应当支付违约金。".encode()), doc_date="2021-05-12")
    [doc] = _documents(runtime)
    assert doc.doc_date == date(2021, 5, 12)
    process_document(runtime, doc.id)
    result = runtime.index.search(SearchRequest(query="违约金"))
    assert [(h.doc_id, h.year) for h in result.hits] == [(doc.id, 2021)]
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "<dt>文档日期</dt><dd>2021年5月12日</dd>" in page


def test_upload_with_a_malformed_document_date_is_refused(runtime, client, lawyer, make_case):
    case_id = make_case()
    _upload(client, case_id, ("a.txt", "内容".encode()), doc_date="2021-13-45")
    assert _flashes(client, case_id) == ["文档日期格式应为 YYYY-MM-DD，例如 2023-05-12"]
    assert _documents(runtime) == []


def test_same_file_twice_is_reported_as_duplicate(runtime, client, lawyer, make_case):
    case_id = make_case()
    _upload(client, case_id, ("起诉状.txt", "民事起诉状".encode()))
    _flashes(client, case_id)
    _upload(client, case_id, ("起诉状-副本.txt", "民事起诉状".encode()))
    [doc] = _documents(runtime)
    assert _flashes(client, case_id) == [
        f"起诉状-副本.txt：该案件中已有内容相同的文件：“起诉状”（文档编号 {doc.id}），未重复保存"
    ]


def test_batch_upload_reports_each_file_and_one_failure_does_not_stop_others(
    runtime, client, lawyer, make_case
):
    case_id = make_case()
    _upload(client, case_id, ("一.txt", "第一份".encode()), ("空.txt", b""), ("三.txt", "第三份".encode()))
    assert [d.original_filename for d in _documents(runtime)] == ["一.txt", "三.txt"]
    assert _flashes(client, case_id) == [
        "一.txt：已上传，等待处理",
        f"空.txt：{MSG_EMPTY}",
        "三.txt：已上传，等待处理",
    ]


def _raw_upload(client, case_id, disposition_filename: str, content: bytes):
    """A multipart body written by hand: the file name exactly as a browser sends it."""
    boundary = "----jzboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token(client)}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="doc_type"\r\n\r\nlegal_doc\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{disposition_filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n",
    ]
    body = "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        f"/cases/{case_id}/documents", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\案卷\\2023\\起诉状.txt", "起诉状.txt"),  # a browser sending the whole Windows path
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("目录\\\\副本\\\\答辩状.txt", "答辩状.txt"),  # escaped as curl does
        ('引号\\"名\\".txt', '引号"名".txt'),
    ],
)
def test_backslashes_in_a_sent_file_name_separate_folders(runtime, client, lawyer, make_case, sent, kept):
    case_id = make_case()
    response = _raw_upload(client, case_id, sent, "内容".encode())
    assert response.status_code == 302
    [doc] = _documents(runtime)
    assert doc.original_filename == kept


def test_upload_message_tells_of_a_lying_extension_and_a_shortened_name(runtime, client, lawyer, make_case):
    case_id = make_case()
    long_name = "关于" + "合同" * 140 + ".txt"  # 286 characters
    _upload(client, case_id, ("判决书.pdf", "其实是文本".encode()), (long_name, "另一份".encode()))
    lying, shortened = _documents(runtime)
    assert (lying.sniffed_kind, lying.notes) == ("text", "扩展名为 .pdf，实际内容为文本")
    assert shortened.notes == "文件名过长（286 个字符），已截短为 255 个字符"
    assert _flashes(client, case_id) == [
        "判决书.pdf：已上传，等待处理（扩展名为 .pdf，实际内容为文本，按实际内容处理）",
        "关于" + "合同" * 28 + "合…：已上传，等待处理（文件名过长（286 个字符），已截短为 255 个字符）",
    ]


def test_upload_without_a_file_asks_for_one(runtime, client, lawyer, make_case):
    case_id = make_case()
    _upload(client, case_id)
    assert _flashes(client, case_id) == ["请选择要上传的文件。"]
    assert _documents(runtime) == []


def test_upload_with_unknown_document_type_is_refused(runtime, client, lawyer, make_case):
    case_id = make_case()
    _upload(client, case_id, ("a.txt", b"abc"), doc_type="nonsense")
    [message] = _flashes(client, case_id)
    assert message.startswith("未知的文档类型“nonsense”")
    assert _documents(runtime) == []


def test_file_name_with_path_and_markup_is_cleaned_and_escaped(runtime, client, lawyer, make_case):
    case_id = make_case()
    _upload(client, case_id, ("../../etc/<img src=x onerror=alert(1)>起诉状.txt", "内容".encode()))
    [doc] = _documents(runtime)
    assert doc.original_filename == "<img src=x onerror=alert(1)>起诉状.txt"
    flashes = _flashes(client, case_id)
    assert flashes == ["&lt;img src=x onerror=alert(1)&gt;起诉状.txt：已上传，等待处理"]
    for url in (f"/cases/{case_id}", f"/documents/{doc.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in html
        assert "../" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;起诉状.txt" in html


def test_document_page_shows_metadata_and_text(runtime, client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(
        case_id,
        b"x" * 1_258_291,
        filename="民事判决书（2023）.pdf",
        title="民事判决书",
        mime_type="application/pdf",
        page_count=12,
        text="北京市朝阳区人民法院\n民事判决书\n（2023）京0105民初12345号",
    )
    with session_scope(runtime.sessions) as s:
        doc = s.get(Document, document_id)
        doc.uploaded_by_id = lawyer.id
        doc.notes = "扩展名与内容不符"
        doc.created_at = datetime(2026, 12, 3, 6, 5, tzinfo=UTC)
        sha = doc.sha256
    html = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "<h1>民事判决书</h1>" in html
    assert f'<dd class="mono hash">{sha}</dd>' in html
    assert "<dd>1.2 MB（1,258,291 字节）</dd>" in html
    assert "<dd>法律文书</dd>" in html
    assert "<dd>12</dd>" in html
    assert '<span class="badge badge-indexed" data-status="indexed">已索引</span>' in html
    assert "<dd>扩展名与内容不符</dd>" in html
    assert "<dd>张三（zhangsan）</dd>" in html
    assert "<dd>2026年12月3日 14:05</dd>" in html
    assert '<dd title="application/pdf">PDF 文档</dd>' in html
    assert '<dd class="filename">民事判决书（2023）.pdf</dd>' in html
    assert '<pre class="doctext">北京市朝阳区人民法院\n民事判决书\n（2023）京0105民初12345号</pre>' in html
    assert f'href="/documents/{document_id}/download"' in html
    assert "失败原因" not in html
    assert ">重试<" not in html
    assert "data-reload-when-final" not in html


def test_failed_document_shows_reason_and_retry_requeues_it(runtime, client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(case_id, status="failed", error_message="PDF 文件已损坏或不完整")
    html = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert '<dd class="failure">PDF 文件已损坏或不完整</dd>' in html
    assert f'action="/documents/{document_id}/retry"' in html
    response = client.post(f"/documents/{document_id}/retry", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/documents/{document_id}"
    html = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "已重新加入处理队列，请稍候。" in html
    assert '<span class="badge badge-queued" data-status="queued">排队中</span>' in html
    assert 'data-reload-when-final="1"' in html
    with session_scope(runtime.sessions) as s:
        assert s.get(Document, document_id).status == "queued"


def test_retry_of_a_document_that_did_not_fail_changes_nothing(
    runtime, client, lawyer, make_case, add_document
):
    case_id = make_case()
    document_id = add_document(case_id, status="indexed")
    client.post(f"/documents/{document_id}/retry", data={"csrf_token": csrf_token(client)})
    assert "只有处理失败的文档可以重试。" in client.get(f"/documents/{document_id}").get_data(as_text=True)
    with session_scope(runtime.sessions) as s:
        assert s.get(Document, document_id).status == "indexed"


def test_status_json(client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(case_id, status="failed", error_message="文件为空", page_count=None)
    response = client.get(f"/documents/{document_id}/status.json")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": document_id,
        "status": "failed",
        "label": "失败",
        "final": True,
        "page_count": None,
        "error_message": "文件为空",
    }
    assert client.get("/documents/999999/status.json").get_json() == {
        "error": "您要找的页面不存在，或者您没有查看它的权限。"
    }


def test_download_returns_exact_bytes_with_chinese_file_name_and_audit(
    runtime, client, lawyer, make_case, add_document
):
    case_id = make_case()
    original = b"%PDF-1.4\n" + bytes(range(256)) * 40
    document_id = add_document(
        case_id, original, filename="民事判决书（2023）.pdf", mime_type="application/pdf"
    )
    with client.get(f"/documents/{document_id}/download") as response:
        body = response.data
    assert response.status_code == 200
    assert body == original
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(len(original))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"document-{document_id}.pdf\"; filename*=UTF-8''"
        "%E6%B0%91%E4%BA%8B%E5%88%A4%E5%86%B3%E4%B9%A6%EF%BC%882023%EF%BC%89.pdf"
    )
    with session_scope(runtime.sessions) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.download")).one()
        assert (event.user_id, event.object_type, event.object_id) == (
            lawyer.id,
            "document",
            str(document_id),
        )
        assert event.detail == {"filename": "民事判决书（2023）.pdf", "case_id": case_id}


def test_download_of_text_keeps_its_content_type_without_a_charset(client, lawyer, make_case, add_document):
    case_id = make_case()
    original = "合同正文".encode("gb18030")
    document_id = add_document(case_id, original, filename="合同.txt", mime_type="text/plain")
    with client.get(f"/documents/{document_id}/download") as response:
        body = response.data
    assert response.headers["Content-Type"] == "text/plain"
    assert body == original


def test_download_with_missing_original_is_a_chinese_404(runtime, client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(case_id, b"will vanish")
    with session_scope(runtime.sessions) as s:
        runtime.store.delete(s.get(Document, document_id).storage_key)
    response = client.get(f"/documents/{document_id}/download")
    assert response.status_code == 404
    assert "该文档的原件在存储中找不到，请联系档案管理员。" in response.get_data(as_text=True)


XSS = "<script>alert('卷宗')</script>"


def test_case_name_and_file_name_with_script_are_escaped_everywhere(client, lawyer, make_case, add_document):
    case_id = make_case(f"恶意{XSS}案件", "X-<b>1</b>", cause=XSS, owner=XSS, parties=XSS)
    document_id = add_document(case_id, filename=f"{XSS}.txt", title=f"标题{XSS}", text=f"正文{XSS}")
    pages = [
        "/",
        f"/cases/{case_id}",
        f"/documents/{document_id}",
        "/?q=" + "恶意",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<b>1</b>" not in html, url
        assert "&lt;script&gt;alert(&#39;卷宗&#39;)&lt;/script&gt;" in html, url


def test_big_batch_is_summarised_and_lists_only_the_problems(runtime, client, lawyer, make_case):
    case_id = make_case()
    files = [(f"{n}.txt", f"第{n}份材料".encode()) for n in range(6)] + [("空.txt", b"")]
    files.append(("扫描件.pdf", "其实是文本".encode()))  # queued, but with something to say
    _upload(client, case_id, *files)
    assert len(_documents(runtime)) == 7
    assert _flashes(client, case_id) == [
        "共上传 8 个文件：已加入处理队列 7 个，重复 0 个，未接收 1 个，失败 0 个。",
        f"空.txt：{MSG_EMPTY}",
        "扫描件.pdf：已上传，等待处理（扩展名为 .pdf，实际内容为文本，按实际内容处理）",
    ]


def test_document_page_says_when_only_part_of_a_long_text_is_searchable(
    runtime, client, lawyer, make_case, monkeypatch
):
    from ingest.pipeline import process_document

    case_id = make_case()
    _upload(client, case_id, ("长文.txt", "本院认为被告应当支付违约金。".encode()))
    [doc] = _documents(runtime)
    process_document(runtime, doc.id)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "可被检索" not in page
    monkeypatch.setattr("web.documents.MAX_INDEXED_CHARS", 5)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "全文共 14 字，仅前 5 字可被检索；全文仍完整保存。" in page


def _text_section(html: str) -> str:
    return html.split('<section id="text">', 1)[1].split("</section>", 1)[0]


def test_a_long_text_is_shown_a_page_at_a_time(runtime, client, lawyer, make_case, add_document):
    from archive.texts import TEXT_CHUNK_CHARS

    assert TEXT_CHUNK_CHARS == 50_000
    # 120 lines of 1,000 characters (the last without its line break): pages of 50, 50 and 20 lines
    lines = [f"第{n:03d}行" + "原告请求判令被告支付货款及违约金" * 62 + "。" * 2 for n in range(120)]
    assert {len(line) for line in lines} == {999}
    text = "\n".join(lines)
    pages = ["\n".join(lines[:50]) + "\n", "\n".join(lines[50:100]) + "\n", "\n".join(lines[100:])]
    case_id = make_case()
    document_id = add_document(case_id, text=text)
    url = f"/documents/{document_id}"

    def shown(query: str = "") -> tuple[str, list[str]]:
        response = client.get(url + query)
        assert response.status_code == 200
        section = _text_section(response.get_data(as_text=True))
        body = section.split('<pre class="doctext">', 1)[1].split("</pre>", 1)[0]
        pagers = [
            part.split("</nav>", 1)[0]
            for part in section.split('<nav class="pager" aria-label="文本分页">')[1:]
        ]
        return body, [" ".join(p.split()) for p in pagers]

    first = (
        '<span class="disabled">上一页</span> <span class="page-of">第 1 页，共 3 页</span> '
        f'<a href="{url}?p=2#text" rel="next">下一页</a>'
    )
    middle = (
        f'<a href="{url}?p=1#text" rel="prev">上一页</a> <span class="page-of">第 2 页，共 3 页</span> '
        f'<a href="{url}?p=3#text" rel="next">下一页</a>'
    )
    last = (
        f'<a href="{url}?p=2#text" rel="prev">上一页</a> <span class="page-of">第 3 页，共 3 页</span> '
        '<span class="disabled">下一页</span>'
    )
    assert shown() == (pages[0], [first, first])  # above and below the text
    assert shown("?p=2") == (pages[1], [middle, middle])
    assert shown("?p=3") == (pages[2], [last, last])
    for query, expected in (
        ("?p=4", last),
        ("?p=99999999999", last),
        ("?p=0", first),
        ("?p=-1", first),
        ("?p=二", first),
        ("?p=", first),
    ):
        body, pagers = shown(query)
        assert (body, pagers) == (pages[0] if expected is first else pages[2], [expected, expected]), query
    html = client.get(url + "?p=2").get_data(as_text=True)
    assert '<span class="count">119,999 字</span>' in html
    assert "可被检索" not in html


def test_a_short_text_has_no_pages(client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(case_id, text="民事判决书\n本院认为")
    section = _text_section(client.get(f"/documents/{document_id}?p=3").get_data(as_text=True))
    assert '<pre class="doctext">民事判决书\n本院认为</pre>' in section
    assert "文本分页" not in section and "第 1 页" not in section


def test_the_search_that_led_to_a_document_is_marked_in_its_text(
    runtime, client, lawyer, make_case, add_document
):
    case_id = make_case()
    text = "原告<b>请求</b>：判令被告支付违约金。\n被告辩称违约金过高。"
    document_id = add_document(case_id, text=text)
    page = client.get(f"/documents/{document_id}", query_string={"q": "违约金 <b>"}).get_data(as_text=True)
    body = _text_section(page).split('<pre class="doctext">', 1)[1].split("</pre>", 1)[0]
    assert body == (
        # The query's <b> searches the letter b: marked, and the markup around it stays text.
        '原告&lt;<mark id="hit">b</mark>&gt;请求&lt;/<mark>b</mark>&gt;：判令被告支付<mark>违约金</mark>。\n'
        "被告辩称<mark>违约金</mark>过高。"
    )
    assert '已标出检索词“违约金 &lt;b&gt;”：本页 4 处，<a href="#hit">跳到第一处</a>' in page
    plain = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "<mark" not in plain and "已标出检索词" not in plain
    # A query that searches nothing marks nothing and says nothing.
    nothing = client.get(f"/documents/{document_id}", query_string={"q": "？？"}).get_data(as_text=True)
    assert "<mark" not in nothing and "已标出检索词" not in nothing


def test_a_long_document_opens_on_the_page_of_the_first_match(
    runtime, client, lawyer, make_case, add_document
):
    lines = [f"第{n:03d}行" + "原告请求判令被告支付货款" * 82 + "。" for n in range(120)]
    lines[75] = lines[75].replace("货款", "保全费", 1)
    document_id = add_document(make_case(), text="\n".join(lines))
    page = client.get(f"/documents/{document_id}", query_string={"q": "保全费"}).get_data(as_text=True)
    assert '<span class="page-of">第 2 页，共 3 页</span>' in page
    assert '<mark id="hit">保全费</mark>' in page
    # The pager keeps the marking; a page asked for is shown as asked.
    assert f'href="/documents/{document_id}?q=%E4%BF%9D%E5%85%A8%E8%B4%B9&amp;p=3#text"' in page
    first = client.get(f"/documents/{document_id}", query_string={"q": "保全费", "p": 1}).get_data(
        as_text=True
    )
    assert '<span class="page-of">第 1 页，共 3 页</span>' in first
    assert "本页 0 处" in first


def test_search_results_link_to_the_first_match_in_the_document(client, lawyer, make_case, index_documents):
    [doc_id] = index_documents(make_case(), [("判决书", "被告应支付违约金", 2024)])
    html = client.get("/search", query_string={"q": "违约金"}).get_data(as_text=True)
    assert f'<a href="/documents/{doc_id}?q=%E8%BF%9D%E7%BA%A6%E9%87%91#hit">判决书</a>' in html
