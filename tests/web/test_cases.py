"""The case list, the create form and the case page."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from archive.db import session_scope
from archive.models import AuditEvent, Case, Role
from tests.web.conftest import csrf_token


@pytest.fixture
def lawyer(login, make_user):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")


def _post_case(client, **fields):
    data = {"csrf_token": csrf_token(client, "/cases/new"), "department": "法务部", **fields}
    return client.post("/cases/new", data=data)


def test_create_form_shows_every_field_with_department_prefilled(client, lawyer):
    html = client.get("/cases/new").get_data(as_text=True)
    for label in ("名称", "内部编号", "案由", "承办部门", "负责人", "当事人", "法院案号"):
        assert f">{label}" in html
    assert 'id="department" maxlength="64" name="department" readonly type="text" value="法务部"' in html


def test_create_case_redirects_to_its_page(runtime, client, lawyer):
    response = _post_case(
        client,
        name="北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷",
        internal_no="JZ-2023-017",
        cause="买卖合同纠纷",
        owner="张三",
        parties="原告：北京华辰科技有限公司\n被告：上海德盛贸易有限公司\n",
    )
    with session_scope(runtime.sessions) as s:
        case = s.scalars(select(Case)).one()
        assert (case.name, case.internal_no, case.cause, case.department, case.owner) == (
            "北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷",
            "JZ-2023-017",
            "买卖合同纠纷",
            "法务部",
            "张三",
        )
        assert case.parties == "原告：北京华辰科技有限公司\n被告：上海德盛贸易有限公司"
        assert s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
            "user.login",
            "case.create",
        ]
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "已创建案件“北京华辰科技有限公司诉上海德盛贸易有限公司买卖合同纠纷”。" in page
    assert "<div>原告：北京华辰科技有限公司</div><div>被告：上海德盛贸易有限公司</div>" in page
    assert "本案还没有文档。" in page


def test_create_case_with_court_number_shows_it(runtime, client, lawyer):
    response = _post_case(
        client, name="案号测试", internal_no="JZ-1", court_numbers="（2023）京0105民初12345号"
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="mono">（2023）京0105民初12345号</div>' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "internal_no": "JZ-9"}, "案件名称不能为空"),
        ({"name": "   ", "internal_no": "JZ-9"}, "案件名称不能为空"),
        ({"name": "无编号案件", "internal_no": ""}, "内部编号不能为空"),
        ({"name": "重复编号案件", "internal_no": "FW-2024-001"}, "内部编号“FW-2024-001”已被其他案件使用"),
        (
            {"name": "别的部门", "internal_no": "JZ-9", "department": "诉讼部"},
            "您只能为本部门（法务部）创建案件",
        ),
    ],
)
def test_create_case_errors_are_shown_on_the_form(runtime, client, lawyer, make_case, fields, message):
    make_case()  # FW-2024-001
    response = _post_case(client, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<div class="form-error" role="alert">{message}</div>' in html
    assert f'value="{fields["internal_no"]}"' in html  # what was typed is kept
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Case.internal_no)).all() == ["FW-2024-001"]


def test_archivist_may_create_a_case_for_any_department(runtime, client, login, make_user):
    make_user("archivist", role=Role.ARCHIVIST, department="档案室")
    make_user("wangfang", role=Role.LAWYER, department="诉讼部")
    login("archivist")
    form = client.get("/cases/new").get_data(as_text=True)
    assert '<datalist id="departments"><option value="诉讼部"></datalist>' in form
    response = _post_case(client, name="诉讼部案件", internal_no="SS-1", department="诉讼部")
    assert response.status_code == 302
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Case.department)).all() == ["诉讼部"]


def test_a_case_is_not_filed_in_a_department_nobody_belongs_to(runtime, client, login, make_user):
    make_user("archivist", role=Role.ARCHIVIST, department="档案室")
    make_user("wangfang", role=Role.LAWYER, department="诉讼部")
    make_user("zhaolei", role=Role.HEAD, department="法务部")
    login("archivist")
    response = _post_case(client, name="无人部门的案件", internal_no="SS-2", department="诉讼")
    assert response.status_code == 400
    assert (
        "承办部门“诉讼”没有成员，请选择现有部门：法务部、诉讼部"
        "（新部门需先添加成员：juanzong user create … --department 部门名）"
    ) in response.get_data(as_text=True)
    with session_scope(runtime.sessions) as s:
        assert s.scalars(select(Case.id)).all() == []


def test_case_list_shows_columns_counts_and_dates(runtime, client, lawyer, make_case, add_document):
    case_id = make_case(cause="买卖合同纠纷", owner="李四")
    add_document(case_id, b"one", filename="a.txt")
    add_document(case_id, b"two", filename="b.txt")
    with session_scope(runtime.sessions) as s:
        s.get(Case, case_id).created_at = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # 12月3日 in Beijing
    html = client.get("/").get_data(as_text=True)
    for header in ("名称", "内部编号", "案由", "承办部门", "负责人", "阶段", "文档数", "创建日期"):
        assert f"<th>{header}</th>" in html or f'<th class="num">{header}</th>' in html
    assert f'<a href="/cases/{case_id}">北京某科技有限公司诉某物业公司合同纠纷</a>' in html
    assert '<td class="nowrap mono">FW-2024-001</td>' in html
    assert "<td>买卖合同纠纷</td>" in html
    assert '<td class="nowrap">李四</td>' in html
    assert '<span class="stage stage-accepted">案件受理</span>' in html
    assert '<td class="num">2</td>' in html
    assert '<td class="nowrap">2026年12月3日</td>' in html
    assert "共 1 件" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("物业", ["物业合同纠纷"]),
        ("FW-2024-00", ["物业合同纠纷", "劳动争议"]),
        ("FW-2024-002", ["劳动争议"]),
        ("劳动", ["劳动争议"]),
        ("不存在", []),
        ("%", []),
    ],
)
def test_case_list_filter_by_name_or_number(client, lawyer, make_case, query, expected):
    make_case("物业合同纠纷", "FW-2024-001")
    make_case("劳动争议", "FW-2024-002")
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    shown = [name for name in ("物业合同纠纷", "劳动争议") if f">{name}</a>" in html]
    assert sorted(shown) == sorted(expected)
    assert f"共 {len(expected)} 件" in html


def test_case_list_filter_by_court_number_variant(client, lawyer, make_case):
    make_case("物业合同纠纷", "FW-2024-001", court_numbers="（2023）京0105民初12345号")
    make_case("劳动争议", "FW-2024-002")
    html = client.get("/", query_string={"q": "(2023)京0105民初12345"}).get_data(as_text=True)
    assert ">物业合同纠纷</a>" in html and ">劳动争议</a>" not in html


def test_case_list_pages(client, lawyer, make_case):
    for n in range(35):
        make_case(f"案件{n:02d}", f"FW-{n:03d}")
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "共 35 件" in first
    assert first.count('<a href="/cases/') == 30
    assert second.count('<a href="/cases/') == 5
    assert '<a href="/?page=2" rel="next">下一页</a>' in first
    assert '<a href="/?page=1" rel="prev">上一页</a>' in second
    assert client.get("/?page=999").get_data(as_text=True).count('<a href="/cases/') == 5
    assert client.get("/?page=abc").status_code == 200
    # Unicode digits that int() refuses (superscripts) are not a page number either.
    superscript = client.get("/?page=²").get_data(as_text=True)
    assert superscript.count('<a href="/cases/') == 30


def test_case_page_shows_documents_with_badges(client, lawyer, make_case, add_document):
    case_id = make_case()
    document_id = add_document(
        case_id,
        b"x" * 876_544,
        filename="起诉状.pdf",
        title="民事起诉状",
        doc_type="legal_doc",
        page_count=12,
    )
    add_document(case_id, b"bad", filename="坏文件.pdf", status="failed", page_count=None)
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert '<td class="nowrap">法律文书</td>' in html
    assert f'<a href="/documents/{document_id}">民事起诉状</a>' in html
    assert '<td class="filename">起诉状.pdf</td>' in html
    assert '<td class="num nowrap">856 KB</td>' in html
    assert '<td class="num" data-field="page_count">12</td>' in html
    assert '<span class="badge badge-indexed" data-status="indexed">已索引</span>' in html
    assert '<span class="badge badge-failed" data-status="failed">失败</span>' in html
    assert f'data-status-url="/documents/{document_id}/status.json"' in html
    assert f'name="case_id" value="{case_id}"' in html  # search within this case
    for label in ("案源信息登记表", "法律文书", "结案报告", "其他相关材料"):
        assert f">{label}</option>" in html


@pytest.mark.parametrize("path", ["/cases", "/cases/"])
def test_cases_path_leads_to_the_case_list(client, lawyer, path):
    response = client.get(path, query_string={"q": "合同"})
    assert response.status_code == 301
    assert response.headers["Location"] == "/?q=%E5%90%88%E5%90%8C"


@pytest.mark.parametrize("query", ["endpoint=x", "_method=POST", "_external=1&_anchor=x", "q=%E5%90%88&q=2"])
def test_cases_path_passes_any_query_on_as_it_came(client, lawyer, query):
    response = client.get(f"/cases?{query}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/?{query}"


def test_cases_path_needs_a_login_like_every_page(client):
    response = client.get("/cases")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_case_page_lists_documents_in_file_order_by_their_own_date(runtime, client, lawyer, make_case):
    from archive.models import Document

    case_id = make_case()
    dated = [
        ("三月函件", "2023-03-01"),
        ("无日期备忘", ""),
        ("一月起诉状", "2023-01-05"),
        ("二月答辩状", "2023-02-10"),
    ]
    for name, day in dated:
        client.post(
            f"/cases/{case_id}/documents",
            data={
                "csrf_token": csrf_token(client),
                "doc_type": "other",
                "title": name,
                "doc_date": day,
                "files": [(io.BytesIO(name.encode()), f"{name}.txt")],
            },
            content_type="multipart/form-data",
        )
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    titles = re.findall(r'<a href="/documents/\d+">([^<]+)</a>', html)
    assert titles == ["一月起诉状", "二月答辩状", "三月函件", "无日期备忘"]
    assert '<td class="nowrap">2023年1月5日</td>' in html
    with session_scope(runtime.sessions) as s:
        assert s.query(Document).filter(Document.doc_date == date(2023, 2, 10)).count() == 1
