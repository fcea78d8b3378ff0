"""The search page: hits, escaped snippets, facets, filters, paging, visibility and errors."""

from __future__ import annotations

import logging
import re

import pytest

from archive.models import Role
from search import IndexDoc, SearchRequest, SearchResult
from search.analysis import normalize_text
from search.api import SearchError, SearchIndex


@pytest.fixture
def corpus(runtime, make_case, add_document) -> dict[str, int]:
    """Three cases (two of 法务部, one of 诉讼部) and their documents, in the real index."""
    ids = {
        "property": make_case("华辰诉德盛买卖合同纠纷", "FW-1"),
        "labour": make_case("王某劳动争议", "FW-2"),
        "other": make_case("诉讼部的机密案件", "SS-1", department="诉讼部"),
    }
    docs = [
        ("property", "legal_doc", "民事判决书", "被告应于判决生效之日起十日内支付违约金十万元。", 2023),
        ("property", "hearing", "庭审笔录", "审判长：原告主张的违约金如何计算？", 2023),
        ("labour", "legal_doc", "仲裁裁决书", "申请人主张的违约金不予支持。", 2024),
        ("labour", "analysis", "案件分析报告", "<script>alert(1)</script>关于违约金的风险分析", 2024),
        ("other", "legal_doc", "机密判决书", "机密案件同样涉及违约金。", 2024),
    ]
    index_docs = []
    for key, doc_type, title, text, year in docs:
        case_id = ids[key]
        doc_id = add_document(
            case_id, text.encode(), filename=f"{title}.txt", title=title, doc_type=doc_type, text=text
        )
        index_docs.append(
            IndexDoc(
                doc_id=doc_id,
                case_id=case_id,
                case_name={
                    "property": "华辰诉德盛买卖合同纠纷",
                    "labour": "王某劳动争议",
                    "other": "诉讼部的机密案件",
                }[key],
                case_internal_no=key,
                doc_type=doc_type,
                title=title,
                filename=f"{title}.txt",
                text=normalize_text(text),
                year=year,
            )
        )
        ids[title] = doc_id
    runtime.index.upsert(index_docs)
    return ids


@pytest.fixture
def lawyer(login, make_user):
    make_user("zhangsan", role=Role.LAWYER, department="法务部")
    login("zhangsan")


def _titles(html: str) -> list[str]:
    return [part.split("</a>", 1)[0].rsplit(">", 1)[-1] for part in html.split('<article class="hit">')[1:]]


def test_search_page_without_query_shows_help(client, lawyer):
    html = client.get("/search").get_data(as_text=True)
    assert "搜索全部您有权查看的案件文档。" in html
    assert '<article class="hit">' not in html


def test_search_shows_visible_hits_with_facets(client, lawyer, corpus):
    response = client.get("/search", query_string={"q": "违约金"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "找到 4 个文档" in html
    assert sorted(_titles(html)) == ["仲裁裁决书", "庭审笔录", "案件分析报告", "民事判决书"]
    assert "机密" not in html  # another department's case is filtered inside the engine
    assert f'<a href="/cases/{corpus["property"]}">华辰诉德盛买卖合同纠纷</a>' in html
    assert '<span class="doctype">法律文书</span>' in html
    assert "<mark>违约金</mark>" in html
    for label, count in [
        ("法律文书", 2),
        ("庭审记录", 1),
        ("案件分析报告", 1),
        ("华辰诉德盛买卖合同纠纷", 2),
        ("王某劳动争议", 2),
        ("2023年", 2),
        ("2024年", 2),
    ]:
        label_html = f'<span class="facet-label" title="{label}">{label}</span>'
        assert f'{label_html}\n          <span class="facet-count">{count}</span>' in html


def test_snippet_of_a_document_containing_script_is_escaped(client, lawyer, corpus):
    html = client.get("/search", query_string={"q": "风险分析"}).get_data(as_text=True)
    assert _titles(html) == ["案件分析报告"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于违约金的<mark>风险分析</mark>" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"doc_type": "legal_doc"}, ["仲裁裁决书", "民事判决书"]),
        ({"doc_type": ["legal_doc", "hearing"]}, ["仲裁裁决书", "庭审笔录", "民事判决书"]),
        ({"year": "2023"}, ["庭审笔录", "民事判决书"]),
        ({"year": "2024", "doc_type": "legal_doc"}, ["仲裁裁决书"]),
        ({"doc_type": "bogus"}, ["仲裁裁决书", "庭审笔录", "案件分析报告", "民事判决书"]),
    ],
)
def test_facet_filters(client, lawyer, corpus, params, expected):
    html = client.get("/search", query_string={"q": "违约金", **params}).get_data(as_text=True)
    assert sorted(_titles(html)) == expected


def test_facet_link_toggles_the_filter(client, lawyer, corpus):
    html = client.get("/search", query_string={"q": "违约金", "doc_type": "legal_doc"}).get_data(as_text=True)
    assert 'href="/search?q=%E8%BF%9D%E7%BA%A6%E9%87%91" class="facet-link selected"' in html
    assert (
        'href="/search?q=%E8%BF%9D%E7%BA%A6%E9%87%91&amp;doc_type=legal_doc&amp;doc_type=hearing"' not in html
    )
    assert 'href="/search?q=%E8%BF%9D%E7%BA%A6%E9%87%91&amp;doc_type=legal_doc&amp;year=2023"' in html


def test_search_within_one_case(client, lawyer, corpus):
    case_id = corpus["labour"]
    html = client.get("/search", query_string={"q": "违约金", "case_id": case_id}).get_data(as_text=True)
    assert sorted(_titles(html)) == ["仲裁裁决书", "案件分析报告"]
    assert f'仅在案件 <a href="/cases/{case_id}">王某劳动争议</a> 中搜索' in html
    assert f'<input type="hidden" name="case_id" value="{case_id}">' in html


def test_search_within_another_departments_case_is_not_found(client, lawyer, corpus):
    assert client.get("/search", query_string={"q": "违约金", "case_id": corpus["other"]}).status_code == 404
    assert client.get("/search", query_string={"q": "违约金", "case_id": "abc"}).status_code == 404


def test_archivist_sees_every_department(client, login, make_user, corpus):
    make_user("archivist", role=Role.ARCHIVIST, department="档案室")
    login("archivist")
    html = client.get("/search", query_string={"q": "违约金"}).get_data(as_text=True)
    assert "找到 5 个文档" in html
    assert "诉讼部的机密案件" in html


def test_no_hits_says_so_without_an_empty_filter_panel(client, lawyer, corpus):
    # 机密案件 exists only in 诉讼部's case: a 法务部 lawyer is told where the search looked.
    html = client.get("/search", query_string={"q": "机密案件"}).get_data(as_text=True)
    assert "找到 0 个文档" in html
    assert '<p class="empty">没有找到符合条件的文档。搜索范围为本部门（法务部）的案件。</p>' in html
    assert '<div class="search-layout no-facets">' in html
    assert '<aside class="facets"' not in html
    assert 'class="to-filters"' not in html


def test_no_hits_for_whom_sees_every_case_has_no_department_note(client, login, make_user, corpus):
    make_user("archivist", role=Role.ARCHIVIST, department="档案室")
    login("archivist")
    html = client.get("/search", query_string={"q": "不存在的词语"}).get_data(as_text=True)
    assert '<p class="empty">没有找到符合条件的文档。</p>' in html
    html = client.get("/search", query_string={"q": "机密案件"}).get_data(as_text=True)
    assert _titles(html) == ["机密判决书"]
    assert '<div class="search-layout">' in html
    assert '<aside class="facets" id="filters" aria-label="筛选">' in html
    # On a phone the filters come after the results; a link at the top leads to them.
    assert '<a class="to-filters" href="#filters">筛选：文档类型、案件、年份 ↓</a>' in html


def test_paging(client, lawyer, make_case, index_documents):
    docs = [(f"补充协议{n:02d}", f"第{n}号补充协议约定了违约金", 2024) for n in range(23)]
    index_documents(make_case(), docs)
    first = client.get("/search", query_string={"q": "补充协议"}).get_data(as_text=True)
    second = client.get("/search", query_string={"q": "补充协议", "page": 2}).get_data(as_text=True)
    assert "找到 23 个文档，第 1/2 页" in first
    assert len(_titles(first)) == 20 and len(_titles(second)) == 3
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert 'href="/search?q=%E8%A1%A5%E5%85%85%E5%8D%8F%E8%AE%AE&amp;page=2" rel="next">下一页</a>' in first
    past_the_end = client.get("/search", query_string={"q": "补充协议", "page": 999})
    assert past_the_end.status_code == 302
    assert past_the_end.headers["Location"] == "/search?q=%E8%A1%A5%E5%85%85%E5%8D%8F%E8%AE%AE&page=2"


def test_year_filter_lists_years_newest_first_whatever_their_counts(
    client, lawyer, make_case, index_documents
):
    years = [2021, 2023, 2023, 2022, 2022, 2022]
    index_documents(
        make_case(), [(f"材料{n}", f"第{n}份材料涉及违约金", year) for n, year in enumerate(years)]
    )
    html = client.get("/search", query_string={"q": "违约金"}).get_data(as_text=True)
    labels = re.findall(
        r'<span class="facet-label"[^>]*>(\d{4}年)</span>\s*<span class="facet-count">(\d+)</span>', html
    )
    assert labels == [("2023年", "2"), ("2022年", "3"), ("2021年", "1")]


@pytest.mark.parametrize(
    ("query", "message"),
    [("？？？", "请输入检索词（汉字、字母或数字）"), ("-合同", "请至少输入一个不带“-”的检索词")],
)
def test_query_error_shows_its_chinese_message(client, lawyer, corpus, query, message):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert f'<div class="form-error" role="alert">{message}</div>' in response.get_data(as_text=True)


TOO_MANY_TERMS = "违约金 甲一 乙二 丙三 丁四 戊五 己六 庚七 辛八 壬九 癸十 子一 丑二"
TRUNCATED_NOTICE = (
    '<div class="flash flash-warning query-truncated" role="status">\n'
    "      <p>检索条件过多：只使用了前 12 个，未使用 “丑二”。</p>\n"
    "      <p>搜索结果按上述已使用的部分查找，可能包含不符合完整查询的文档。</p>\n"
    "    </div>"
)


def test_a_truncated_query_is_told_above_the_results(client, lawyer, corpus):
    html = client.get("/search", query_string={"q": TOO_MANY_TERMS}).get_data(as_text=True)
    assert TRUNCATED_NOTICE in html
    assert "没有找到符合条件的文档。" in html  # 甲一 … 子一 are in no document


def test_a_query_within_the_limits_has_no_truncation_notice(client, lawyer, corpus):
    html = client.get("/search", query_string={"q": "违约金"}).get_data(as_text=True)
    assert "query-truncated" not in html


def test_a_query_longer_than_the_page_reads_is_told_as_cut(client, lawyer, corpus):
    html = client.get("/search", query_string={"q": "违约金 " + "合同" * 500}).get_data(as_text=True)
    assert "<p>查询过长：只使用了前 200 个字符，其后的内容未参与检索。</p>" in html
    assert 'maxlength="800"' in html


class _BrokenEngine(SearchIndex):
    """An engine whose server is down: every search raises SearchError (the port's failure)."""

    def search(self, request: SearchRequest) -> SearchResult:
        raise SearchError("connection refused by search server")

    def upsert(self, docs):  # pragma: no cover - not used
        raise SearchError("down")

    def delete(self, doc_ids):  # pragma: no cover - not used
        raise SearchError("down")

    def count(self) -> int:  # pragma: no cover - not used
        raise SearchError("down")

    def doc_ids(self) -> set[int]:  # pragma: no cover - not used
        raise SearchError("down")

    def clear(self) -> None:  # pragma: no cover - not used
        raise SearchError("down")


def test_engine_failure_says_search_is_unavailable_and_logs_english(client, lawyer, runtime, caplog):
    runtime.index = _BrokenEngine()
    with caplog.at_level(logging.ERROR, logger="web.searching"):
        response = client.get("/search", query_string={"q": "违约金"})
    assert response.status_code == 503
    assert '<div class="form-error" role="alert">搜索服务暂时不可用</div>' in response.get_data(as_text=True)
    assert [r.getMessage() for r in caplog.records] == ["search engine failed for query '违约金'"]


def test_case_name_and_title_with_script_are_escaped_in_results_and_facets(
    runtime, client, lawyer, make_case, add_document
):
    xss = "<script>alert('卷宗')</script>"
    case_id = make_case(f"恶意{xss}案件", "X-1")
    text = "本合同的违约金条款"
    doc_id = add_document(case_id, text.encode(), filename=f"{xss}.txt", title=f"标题{xss}", text=text)
    runtime.index.upsert(
        [
            IndexDoc(
                doc_id=doc_id,
                case_id=case_id,
                case_name=f"恶意{xss}案件",
                case_internal_no="X-1",
                doc_type="other",
                title=f"标题{xss}",
                filename=f"{xss}.txt",
                text=normalize_text(text),
                year=2024,
            )
        ]
    )
    html = client.get("/search", query_string={"q": "违约金"}).get_data(as_text=True)
    assert "找到 1 个文档" in html
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&#39;卷宗&#39;)&lt;/script&gt;"
    assert f">标题{escaped}</a>" in html  # the hit's title
    assert f">恶意{escaped}案件</a>" in html  # the hit's case
    assert f'title="恶意{escaped}案件">恶意{escaped}案件</span>' in html  # the case facet


def test_a_hit_found_by_its_case_s_registered_number_says_so(client, lawyer, make_case, index_documents):
    case_id = make_case(court_numbers="（2023）京0105民初12345号")
    texts = {"民事判决书": "（2023）京0105民初12345号 原告诉称……", "证据清单": "证据一：买卖合同"}
    docs = [(title, text, 2023) for title, text in texts.items()]
    index_documents(case_id, docs, court_numbers=("（2023）京0105民初12345号",))
    html = client.get("/search", query_string={"q": "(2023)京0105民初12345"}).get_data(as_text=True)
    hits = {
        _titles(part)[0]: part
        for part in ['<article class="hit">' + p for p in html.split('<article class="hit">')[1:]]
    }
    assert sorted(hits) == ["民事判决书", "证据清单"]
    note = '<span class="via-case-number">本案登记的法院案号与检索词相符</span>'
    assert note in hits["证据清单"]
    assert note not in hits["民事判决书"]  # its own text holds the number, marked in the snippet
    assert "<mark>" in hits["民事判决书"]
    other = client.get("/search", query_string={"q": "买卖合同"}).get_data(as_text=True)
    assert "本案登记的法院案号" not in other
