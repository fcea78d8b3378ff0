"""Conformance suite for search.api.SearchIndex: every engine must pass it unchanged.

To add an engine, append one entry to ENGINE_FACTORIES (a pytest.param of a factory that
takes a fresh temporary directory and returns an empty index; mark it
``pytest.mark.service("elasticsearch")`` if it needs a server).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search import analysis
from search.analysis import normalize_text
from search.api import FacetCount, IndexDoc, QueryError, SearchIndex, SearchRequest
from search.engines.tantivy_engine import TantivyIndex
from tests.services.elastic_support import throwaway_elastic_index

EngineFactory = Callable[[Path], SearchIndex]

ENGINE_FACTORIES = [
    pytest.param(lambda tmp: TantivyIndex(tmp / "index"), id="tantivy"),
    # Every document of more than 20 characters in parts: the same answers as in one piece.
    pytest.param(
        lambda tmp: TantivyIndex(tmp / "index", part_chars=20, overlap_chars=20), id="tantivy-in-parts"
    ),
    pytest.param(throwaway_elastic_index, id="elasticsearch", marks=pytest.mark.service("elasticsearch")),
]


def doc(
    doc_id: int,
    case_id: int,
    doc_type: str,
    title: str,
    text: str,
    year: int | None,
    numbers: tuple[str, ...] = (),
) -> IndexDoc:
    return IndexDoc(
        doc_id=doc_id,
        case_id=case_id,
        case_name=f"案件{case_id}",
        case_internal_no=f"FW-{case_id:03d}",
        doc_type=doc_type,
        title=title,
        filename=f"{title}.pdf",
        text=normalize_text(text),  # as ingest stores it
        year=year,
        court_case_numbers=numbers,
    )


# Small hand-written documents, so that every expected value below can be checked by eye.
CORPUS = [
    doc(
        1,
        1,
        "legal_doc",
        "民事判决书",
        "原告张三与被告李四买卖合同\n纠纷一案，本院于（2023）京0105民初12345号立案。"
        "被告应支付货款人民币100,000元及违约金。",
        2023,
        ("（2023）京0105民初12345号",),
    ),
    doc(2, 1, "hearing", "庭审笔录", "审判长：原告是否签订合同？原告：是。双方纠纷源于付款迟延。", 2023),
    doc(
        3,
        2,
        "legal_doc",
        "民事裁定书",
        "（2023）京0105民初1234号 王五与赵六借款合同纠纷，本院裁定准许撤诉。<script>alert(1)</script>",
        2022,
    ),
    doc(
        4,
        2,
        "closing",
        "结案报告",
        "本案已结案，判决书已生效。依据《民法典》第577条第1款，违约方承担违约责任。",
        2024,
    ),
    doc(5, 3, "analysis", "分析报告", "分析：张三主张违约金过高。", None),
]


@pytest.fixture(params=ENGINE_FACTORIES)
def factory(request: pytest.FixtureRequest) -> EngineFactory:
    return request.param


@pytest.fixture
def index(factory: EngineFactory, tmp_path: Path) -> Iterator[SearchIndex]:
    ix = factory(tmp_path)
    ix.upsert(CORPUS)
    yield ix
    ix.close()


@pytest.fixture
def empty_index(factory: EngineFactory, tmp_path: Path) -> Iterator[SearchIndex]:
    ix = factory(tmp_path)
    yield ix
    ix.close()


def found(index: SearchIndex, query: str, **kw: object) -> set[int]:
    result = index.search(SearchRequest(query, per_page=100, **kw))  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {h.doc_id for h in result.hits}


# -- recall: any run of Han characters that occurs ---------------------------------------

SENTENCE = "买卖合同纠纷一案"  # in doc 1, written across a line break (合同\n纠纷)


def test_every_run_of_two_or_more_han_characters_finds_the_document(index: SearchIndex) -> None:
    runs = sorted({SENTENCE[i:j] for i in range(len(SENTENCE)) for j in range(i + 2, len(SENTENCE) + 1)})
    assert len(runs) == 28
    missed = [run for run in runs if 1 not in found(index, run)]
    assert missed == []


def test_phrase_across_a_line_break_in_the_source(index: SearchIndex) -> None:
    assert found(index, "合同纠纷一案") == {1}


def test_snippet_marks_a_phrase_across_a_line_break(index: SearchIndex) -> None:
    # The stored text keeps the line break; the snippet shows it as a space, inside the mark.
    [hit] = index.search(SearchRequest("合同纠纷一案")).hits
    assert hit.snippet_html == (
        "原告张三与被告李四买卖<mark>合同 纠纷一案</mark>，本院于（2023）京0105民初12345号立案。"
        "被告应支付货款人民币100,000元及违约金。"
    )


def test_heading_and_paragraph_on_two_lines(empty_index: SearchIndex) -> None:
    text = "案件分析报告\n一、案件基本情况\n原告主张被告拖欠货款。"
    empty_index.upsert([doc(9, 4, "analysis", "分析报告", text, 2024)])
    assert found(empty_index, "案件基本情况原告") == {9}
    assert found(empty_index, "报告一") == {9}
    assert found(empty_index, "情况一") == set()
    [hit] = empty_index.search(SearchRequest("报告一")).hits
    assert hit.snippet_html == "案件分析<mark>报告 一</mark>、案件基本情况 原告主张被告拖欠货款。"


def test_single_han_character(index: SearchIndex) -> None:
    assert found(index, "撤") == {3}
    assert found(index, "违") == {1, 4, 5}


def test_letters_and_digits_as_words(index: SearchIndex) -> None:
    assert found(index, "script") == {3}
    assert found(index, "SCRIPT") == {3}
    assert found(index, "577") == {4}
    assert found(index, "57") == set()


# -- precision ---------------------------------------------------------------------------


def test_han_run_matches_only_contiguous_and_in_order(index: SearchIndex) -> None:
    # doc 2 has 合同 and 纠纷 apart; docs 1 and 3 have 合同纠纷
    assert found(index, "合同纠纷") == {1, 3}
    assert found(index, "同纠") == {1, 3}
    assert found(index, "纠纷合同") == set()
    assert found(index, "张三李四") == set()


def test_space_separated_terms_must_all_occur(index: SearchIndex) -> None:
    assert found(index, "合同 纠纷") == {1, 2, 3}
    assert found(index, "张三 违约金") == {1, 5}
    assert found(index, "张三 撤诉") == set()


def test_excluded_term(index: SearchIndex) -> None:
    assert found(index, "合同 -撤诉") == {1, 2}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"第577条第1款"', {4}),
        ("“第577条第2款”", set()),
        ('"100,000元"', {1}),
        ('"人民币100,000元"', {1}),
        ('"100元"', set()),
        ('"合同 纠纷"', {1, 3}),
        ('"《民法典》第577条"', {4}),
    ],
)
def test_quoted_exact_phrase(index: SearchIndex, query: str, expected: set[int]) -> None:
    assert found(index, query) == expected


# -- case numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "（2023）京0105民初12345号",
        "(2023)京0105民初12345号",
        "（２０２３）京０１０５民初１２３４５号",
        "〔2023〕京0105民初12345号",
        "〔2023〕京0105民初12345",
        "2023京0105民初12345",
        "( 2023 ) 京0105民初 12345 号",
        "（2023）京0105民初012345号",
    ],
)
def test_case_number_variants_find_the_document(index: SearchIndex, query: str) -> None:
    assert found(index, query) == {1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("（2023）京0105民初1234号", {3}),
        ("（2023）京0105民初123号", set()),
        ("（2023）京0105民初123456号", set()),
        ("（2022）京0105民初12345号", set()),
        ("（2023）京0106民初12345号", set()),
    ],
)
def test_a_case_number_never_matches_another_case(index: SearchIndex, query: str, expected: set[int]) -> None:
    assert found(index, query) == expected


@pytest.mark.parametrize(
    "query",
    ["2023 苏州 3号楼", "2023 新增 股东 2名", "2023 内容 附件1号", "苏州 3号楼 2023"],
)
def test_words_after_a_bare_year_are_anded_not_read_as_a_case_number(
    empty_index: SearchIndex, query: str
) -> None:
    text = "2023年公司在苏州租赁3号楼作为办公场所，同年新增股东2名，内容详见附件1号。"
    empty_index.upsert([doc(14, 6, "other", "说明", text, 2023)])
    assert found(empty_index, query) == {14}


def test_full_width_text_is_found_by_ascii_and_shown_as_stored(empty_index: SearchIndex) -> None:
    # The stored text keeps full-width characters; the index folds them.
    empty_index.upsert(
        [
            doc(11, 5, "contract", "合同", "合同编号１２３４５，案源编号：ＡＹ-2020-0103。", 2020),
            doc(12, 5, "legal_doc", "裁定书", "本院于(2022)沪01民终77号立案。", 2022),
            doc(13, 5, "legal_doc", "判决书", "本院于（２０２１）粤０３民初８８号立案。", 2021),
        ]
    )
    [hit] = empty_index.search(SearchRequest("12345 ay")).hits
    assert (hit.doc_id, hit.snippet_html) == (
        11,
        "合同编号<mark>１２３４５</mark>，案源编号：<mark>ＡＹ</mark>-2020-0103。",
    )
    assert found(empty_index, "1234") == set()
    assert found(empty_index, "（2022）沪01民终77号") == {12}
    assert found(empty_index, "(2021)粤03民初88号") == {13}
    [hit] = empty_index.search(SearchRequest("(2021)粤03民初88号")).hits
    assert hit.snippet_html == "本院于<mark>（２０２１）粤０３民初８８号</mark>立案。"


def test_case_number_of_the_case_finds_documents_that_do_not_quote_it(
    empty_index: SearchIndex,
) -> None:
    empty_index.upsert([doc(7, 4, "legal_doc", "代理词", "代理意见如下。", 2023, ("(2021)沪01民终77号",))])
    assert found(empty_index, "〔2021〕沪01民终77") == {7}
    assert found(empty_index, "〔2021〕沪01民终7") == set()


def test_base_number_finds_documents_with_a_suffix(empty_index: SearchIndex) -> None:
    empty_index.upsert([doc(8, 4, "legal_doc", "裁定书", "（2023）京0105民初12345号之一 裁定如下。", 2023)])
    assert found(empty_index, "（2023）京0105民初12345号") == {8}
    assert found(empty_index, "（2023）京0105民初12345号之一") == {8}
    assert found(empty_index, "（2023）京0105民初12345号之二") == set()


# Each text in its own document: where a case number ends, 年 in the brackets, 之N, 字第.
EDGE_TEXTS = {
    20: "本院审理的（2023）京0105民初12345号一案",
    21: "本院审理的（2023）京0105民初12345-1号一案",
    22: "本院审理的（2023）京0105民初12345.5号一案",
    23: "本院审理的（2023）京0105民初12345.6一案",
    24: "本院审理的（2023）京0105民初12345/6号一案",
    25: "本院审理的（2023）京0105民初 12345 6号一案",
    26: "本院审理的（2023）京0105民初12345，6号一案",
    27: "本院审理的（2023年）京0105民初12345号一案",
    28: "本院（2023）京0105民初12345号之一百",
    29: "本院（2023）京0105民初12345号之一",
    30: "本院（2015）朝民初字第12345号",
    31: "本院（2015）朝民初字12345号",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("（2023）京0105民初12345号", {20, 27, 28, 29}),
        ("（2023）京0105民初12345", {20, 27, 28, 29}),
        ("（2023）京0105民初123456号", {25}),
        ("（2023）京0105民初12345号之一", {29}),
        ("（2023）京0105民初12345号之一百", {28}),
        ("（2023年）京0105民初12345号", {20, 27, 28, 29}),
        ("（2015）朝民初字12345号", {30, 31}),
        ("（2015）朝民初字第12345号", {30, 31}),
        ("(2015)朝民初字第123456号", set()),
        ("（2015）朝民初字第1234号", set()),
        # Typed with the continuation, the query is a phrase of its units.
        ("（2023）京0105民初12345-1号", {21}),
    ],
)
def test_case_number_edges_match_exactly(empty_index: SearchIndex, query: str, expected: set[int]) -> None:
    empty_index.upsert([doc(i, 9, "other", "文书", text, 2023) for i, text in EDGE_TEXTS.items()])
    assert found(empty_index, query) == expected


def test_only_the_first_max_indexed_chars_are_indexed(
    empty_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "MAX_INDEXED_CHARS", 12)
    text = "原告主张被告拖欠货款。本院认为合同有效，（2023）京0105民初12345号。"
    empty_index.upsert([doc(10, 4, "legal_doc", "判决书", text, 2023)])
    assert found(empty_index, "拖欠货款") == {10}
    assert found(empty_index, "本") == {10}
    assert found(empty_index, "本院") == set()
    assert found(empty_index, "合同有效") == set()
    assert found(empty_index, "（2023）京0105民初12345号") == set()
    [hit] = empty_index.search(SearchRequest("货款")).hits
    assert hit.snippet_html == "原告主张被告拖欠<mark>货款</mark>。本"


# -- titles ------------------------------------------------------------------------------


def test_title_is_searchable_and_ranks_first(index: SearchIndex) -> None:
    assert found(index, "裁定书") == {3}
    result = index.search(SearchRequest("判决书"))
    assert [h.doc_id for h in result.hits] == [1, 4]


# -- filters, facets, paging, permissions ------------------------------------------------


def test_facet_counts_for_the_query(index: SearchIndex) -> None:
    result = index.search(SearchRequest("合同"))
    assert result.total == 3
    assert result.facets == {
        "doc_type": [FacetCount("legal_doc", 2), FacetCount("hearing", 1)],
        "case_id": [FacetCount("1", 2), FacetCount("2", 1)],
        "year": [FacetCount("2023", 2), FacetCount("2022", 1)],
    }


def test_filters_narrow_total_and_facets(index: SearchIndex) -> None:
    result = index.search(SearchRequest("合同", doc_types=("hearing",)))
    assert (result.total, [h.doc_id for h in result.hits]) == (1, [2])
    assert result.facets["doc_type"] == [FacetCount("hearing", 1)]
    assert found(index, "合同", doc_types=("hearing", "legal_doc")) == {1, 2, 3}
    assert found(index, "合同", years=(2022,)) == {3}
    assert found(index, "违约", years=(2023, 2024)) == {1, 4}
    assert found(index, "合同", case_id=1) == {1, 2}
    assert found(index, "合同", case_id=1, doc_types=("legal_doc",)) == {1}


def test_visible_case_ids_are_applied_inside_the_query(index: SearchIndex) -> None:
    result = index.search(SearchRequest("合同", per_page=1, visible_case_ids=frozenset({2, 3})))
    assert result.total == 1
    assert [h.doc_id for h in result.hits] == [3]
    assert result.facets["case_id"] == [FacetCount("2", 1)]
    assert result.facets["doc_type"] == [FacetCount("legal_doc", 1)]
    nothing = index.search(SearchRequest("合同", visible_case_ids=frozenset()))
    assert (nothing.total, nothing.hits) == (0, [])


def test_paging(index: SearchIndex) -> None:
    first = index.search(SearchRequest("合同", per_page=2, page=1))
    second = index.search(SearchRequest("合同", per_page=2, page=2))
    beyond = index.search(SearchRequest("合同", per_page=2, page=3))
    assert (first.total, second.total, first.pages) == (3, 3, 2)
    assert (len(first.hits), len(second.hits), beyond.hits) == (2, 1, [])
    assert {h.doc_id for h in first.hits + second.hits} == {1, 2, 3}


def test_hit_fields_and_snippet(index: SearchIndex) -> None:
    [hit] = index.search(SearchRequest("撤诉")).hits
    assert (hit.doc_id, hit.case_id, hit.case_name, hit.doc_type, hit.title, hit.year) == (
        3,
        2,
        "案件2",
        "legal_doc",
        "民事裁定书",
        2022,
    )
    assert hit.snippet_html == (
        "（2023）京0105民初1234号 王五与赵六借款合同纠纷，本院裁定准许<mark>撤诉</mark>。"
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_snippet_escapes_html_when_the_match_is_the_markup(index: SearchIndex) -> None:
    [hit] = index.search(SearchRequest("alert")).hits
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in hit.snippet_html


def test_hit_without_year(index: SearchIndex) -> None:
    [hit] = index.search(SearchRequest("过高")).hits
    assert (hit.doc_id, hit.year) == (5, None)


def test_empty_query_is_a_query_error(index: SearchIndex) -> None:
    with pytest.raises(QueryError):
        index.search(SearchRequest("，。"))


# -- truncated queries --------------------------------------------------------------------

TRUNCATION_TEXT = (
    "甲一 乙二 丙三 丁四 戊五 己六 庚七 辛八 壬九 癸十 子一 丑二。"
    "本合同自双方签字盖章之日起生效，任何一方不得擅自变更或者解除合同，"
    "否则应当向守约方支付违约金人民币伍万元整并赔偿全部损失"
)


def test_a_truncated_query_says_so(empty_index: SearchIndex) -> None:
    empty_index.upsert([doc(15, 7, "contract", "合同", TRUNCATION_TEXT, 2023)])
    # The 13th term is not used: the document lacks it and is found all the same; the
    # result says so.
    result = empty_index.search(
        SearchRequest("甲一 乙二 丙三 丁四 戊五 己六 庚七 辛八 壬九 癸十 子一 丑二 寅三")
    )
    assert ([h.doc_id for h in result.hits], result.truncated, result.truncation_notes) == (
        [15],
        True,
        ("检索条件过多：只使用了前 12 个，未使用 “寅三”。",),
    )
    # A phrase is cut to its first 48 characters (the document lacks its end, 以及律师费).
    # Whether it is then found is left out here: the test engine in 20-character parts
    # finds no phrase longer than its overlap.
    phrase = TRUNCATION_TEXT.split("。")[1] + "以及律师费"
    result = empty_index.search(SearchRequest(f'"{phrase}"'))
    assert (result.truncated, result.truncation_notes) == (
        True,
        ("引号内的短语过长：只使用了前 48 个字（到“…付违约金人民币伍”为止），其后的字未参与检索。",),
    )
    result = empty_index.search(SearchRequest("甲一 丑二"))
    assert (result.total, result.truncated, result.truncation_notes) == (1, False, ())


def test_a_truncated_query_says_so_when_no_case_is_visible(empty_index: SearchIndex) -> None:
    many = " ".join(f"词{chr(0x4E00 + i)}" for i in range(13))
    result = empty_index.search(SearchRequest(many, visible_case_ids=frozenset()))
    assert (result.total, result.truncated, len(result.truncation_notes)) == (0, True, 1)


# -- maintenance -------------------------------------------------------------------------


def test_count_and_doc_ids(index: SearchIndex, empty_index: SearchIndex) -> None:
    assert (index.count(), index.doc_ids()) == (5, {1, 2, 3, 4, 5})


def test_empty_index(empty_index: SearchIndex) -> None:
    assert (empty_index.count(), empty_index.doc_ids()) == (0, set())
    assert empty_index.search(SearchRequest("合同")).total == 0


def test_upsert_twice_keeps_one_entry(index: SearchIndex) -> None:
    index.upsert(CORPUS[:2])
    index.upsert([CORPUS[0], CORPUS[0]])
    assert index.count() == 5
    assert found(index, "买卖合同") == {1}


def test_upsert_replaces_the_content(index: SearchIndex) -> None:
    index.upsert([doc(1, 1, "legal_doc", "民事判决书", "判决如下：驳回原告全部诉讼请求。", 2023)])
    assert found(index, "买卖合同") == set()
    assert found(index, "驳回") == {1}
    assert index.count() == 5


def test_delete(index: SearchIndex) -> None:
    index.delete([3, 99])
    assert index.count() == 4
    assert found(index, "撤诉") == set()
    assert index.doc_ids() == {1, 2, 4, 5}


def test_clear(index: SearchIndex) -> None:
    index.clear()
    assert (index.count(), index.doc_ids()) == (0, set())
    assert found(index, "合同") == set()


def test_rebuild_replaces_everything(index: SearchIndex) -> None:
    assert index.rebuild(iter(CORPUS[2:4])) == 2
    assert index.doc_ids() == {3, 4}
    assert found(index, "合同") == {3}
    index.upsert([CORPUS[0]])
    assert found(index, "合同") == {1, 3}


# -- long documents ----------------------------------------------------------------------
# An engine may index a long text in parts (the embedded engine does, see search.parts; the
# "tantivy-in-parts" engine above cuts every 20 characters). A document is still one
# document: a clause may match in one part and the next clause in another, a negative
# clause anywhere excludes it, and totals, facets, paging and counts count documents.

FILLER = "本院经审理查明的事实与证据材料均已记录在卷。"  # 22 characters; no query term below


def long_doc(doc_id: int, case_id: int, doc_type: str, year: int, *sections: str) -> IndexDoc:
    """The sections with ten filler sentences before, between and after them, handed to the
    engine in pieces of 7 characters through ``text_chunks``."""
    text = (FILLER * 10).join(("", *sections, ""))
    base = doc(doc_id, case_id, doc_type, f"长文档{doc_id}", text, year)
    stored = base.text

    def chunks() -> Iterator[str]:
        return (stored[i : i + 7] for i in range(0, len(stored), 7))

    return dataclasses.replace(base, text="", text_chunks=chunks)


LONG = [
    long_doc(11, 7, "hearing", 2021, "原告甲公司", "违约金条款", "上诉期限"),
    long_doc(12, 7, "hearing", 2021, "上诉期限", "驳回起诉"),
    long_doc(13, 8, "analysis", 2020, "违约金条款"),
]


@pytest.fixture
def long_index(index: SearchIndex) -> SearchIndex:
    index.upsert(LONG)
    return index


def test_clauses_may_match_far_apart_in_a_long_document(long_index: SearchIndex) -> None:
    assert found(long_index, "甲公司 上诉期限") == {11}
    assert found(long_index, "上诉期限 违约金条款") == {11}
    assert found(long_index, "违约金条款") == {11, 13}
    assert found(long_index, "甲公司 驳回起诉") == set()
    assert found(long_index, "甲公司 无此内容") == set()


def test_a_han_run_in_a_long_document_must_still_be_contiguous(long_index: SearchIndex) -> None:
    assert found(long_index, "甲公司违约金") == set()
    assert found(long_index, "条款本院经审理") == {11, 13}  # where a section meets the filler
    assert found(long_index, '"上诉期限本院"') == {11, 12}


def test_an_excluded_term_anywhere_in_a_long_document_excludes_it(long_index: SearchIndex) -> None:
    assert found(long_index, "上诉期限 -驳回") == {11}
    assert found(long_index, "违约金条款 -甲公司") == {13}
    assert found(long_index, "违约金条款 -无此内容") == {11, 13}


def test_totals_and_facets_count_long_documents_once(long_index: SearchIndex) -> None:
    result = long_index.search(SearchRequest("本院"))
    # 本院 is in every part of the long documents, and in documents 1 and 3 of CORPUS.
    assert result.total == 5
    assert result.facets == {
        "doc_type": [FacetCount("hearing", 2), FacetCount("legal_doc", 2), FacetCount("analysis", 1)],
        "case_id": [FacetCount("7", 2), FacetCount("1", 1), FacetCount("2", 1), FacetCount("8", 1)],
        "year": [FacetCount("2021", 2), FacetCount("2020", 1), FacetCount("2022", 1), FacetCount("2023", 1)],
    }
    assert found(long_index, "本院", case_id=7) == {11, 12}
    assert found(long_index, "本院", years=(2020, 2023)) == {1, 13}
    assert found(long_index, "本院", visible_case_ids=frozenset({8})) == {13}


def test_paging_through_long_and_short_documents(long_index: SearchIndex) -> None:
    seen = [long_index.search(SearchRequest("本院", per_page=2, page=p)).hits for p in range(1, 5)]
    assert [len(hits) for hits in seen] == [2, 2, 1, 0]
    assert sorted(hit.doc_id for hits in seen for hit in hits) == [1, 3, 11, 12, 13]


def test_count_delete_and_replace_long_documents(long_index: SearchIndex) -> None:
    assert (long_index.count(), long_index.doc_ids()) == (8, {1, 2, 3, 4, 5, 11, 12, 13})
    long_index.delete([11])
    assert found(long_index, "违约金条款") == {13}
    assert found(long_index, "甲公司") == set()
    long_index.upsert([doc(12, 7, "hearing", "长文档12", "短文本：准予撤回上诉。", 2021)])
    assert found(long_index, "驳回起诉") == set()
    assert found(long_index, "撤回上诉") == {12}
    long_index.upsert([long_doc(2, 1, "hearing", 2023, "准予撤回上诉")])
    assert found(long_index, "撤回上诉") == {2, 12}
    assert found(long_index, "原告是否签订合同") == set()
    assert (long_index.count(), long_index.doc_ids()) == (7, {1, 2, 3, 4, 5, 12, 13})


def test_snippet_deep_inside_a_long_document(long_index: SearchIndex) -> None:
    [hit] = long_index.search(SearchRequest("甲公司 上诉期限")).hits
    assert (hit.doc_id, hit.title) == (11, "长文档11")
    assert hit.snippet_html == (
        "…事实与证据材料均已记录在卷。原告<mark>甲公司</mark>" + FILLER * 4 + "本院经审理查明的事实与证据…"
    )
