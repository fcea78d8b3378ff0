"""Snippets: the best window of the stored text, escaped, with <mark> around matches."""

from __future__ import annotations

from search.analysis import normalize_text
from search.query import parse_query
from search.snippets import SnippetMaker, make_snippet


def test_match_is_marked_and_short_text_shown_whole() -> None:
    assert make_snippet("原告张三与被告李四买卖合同纠纷一案", parse_query("合同纠纷")) == (
        "原告张三与被告李四买卖<mark>合同纠纷</mark>一案"
    )


def test_html_in_the_text_is_escaped() -> None:
    text = '双方签字<script>alert(1)</script>确认"违约金"&赔偿'
    assert make_snippet(text, parse_query("违约金")) == (
        "双方签字&lt;script&gt;alert(1)&lt;/script&gt;确认&quot;<mark>违约金</mark>&quot;&amp;赔偿"
    )


def test_html_in_a_match_is_escaped_inside_the_mark() -> None:
    # the match runs from the first unit ("b") to the last ("里"); markup between is escaped
    snippet = make_snippet("点击<b>这里</b>", parse_query('"<b>这里"'))
    assert snippet == "点击&lt;<mark>b&gt;这里</mark>&lt;/b&gt;"


def test_every_clause_is_marked() -> None:
    assert make_snippet("张三向李四借款，李四未还", parse_query("张三 李四")) == (
        "<mark>张三</mark>向<mark>李四</mark>借款，<mark>李四</mark>未还"
    )


def test_phrase_matches_across_a_line_break_and_punctuation() -> None:
    text = normalize_text("本案系买卖合同\n纠纷。金额为人民币 100,000 元。")
    assert text == "本案系买卖合同\n纠纷。金额为人民币 100,000 元。"
    assert make_snippet(text, parse_query('合同纠纷 "100,000元"')) == (
        "本案系买卖<mark>合同 纠纷</mark>。金额为人民币 <mark>100,000 元</mark>。"
    )


def test_query_spanning_a_heading_and_its_paragraph_is_marked() -> None:
    text = normalize_text("案件分析报告\n一、案件基本情况\n原告主张被告拖欠货款。")
    assert text == "案件分析报告\n一、案件基本情况\n原告主张被告拖欠货款。"
    assert make_snippet(text, parse_query("分析报告一")) == (
        "案件<mark>分析报告 一</mark>、案件基本情况 原告主张被告拖欠货款。"
    )
    assert make_snippet(text, parse_query("情况原告")) == (
        "案件分析报告 一、案件基本<mark>情况 原告</mark>主张被告拖欠货款。"
    )


def test_letters_match_without_regard_to_case() -> None:
    assert make_snippet("甲方为ABC Co., Ltd.", parse_query("abc")) == "甲方为<mark>ABC</mark> Co., Ltd."


def test_digit_run_is_not_marked_inside_a_longer_number() -> None:
    snippet = make_snippet("民初12345号与民初123号", parse_query("民初123"))
    assert snippet == "民初12345号与<mark>民初123</mark>号"


def test_case_number_variant_in_text_is_marked_whole() -> None:
    text = "本院于〔2023〕京0105民初012345号立案，另案（2023）京0105民初1234号。"
    assert make_snippet(text, parse_query("(2023)京0105民初12345号")) == (
        "本院于<mark>〔2023〕京0105民初012345号</mark>立案，另案（2023）京0105民初1234号。"
    )


def test_window_is_cut_around_the_best_place_with_ellipses() -> None:
    text = "甲" * 200 + "买卖合同纠纷" + "乙" * 200
    snippet = make_snippet(text, parse_query("合同纠纷"), width=40)
    assert snippet == "…" + "甲" * 14 + "买卖<mark>合同纠纷</mark>" + "乙" * 20 + "…"


def test_window_prefers_the_place_with_most_distinct_clauses() -> None:
    text = "张三" + "丙" * 100 + "张三与李四" + "丁" * 100
    snippet = make_snippet(text, parse_query("张三 李四"), width=30)
    assert snippet == "…" + "丙" * 16 + "<mark>张三</mark>与<mark>李四</mark>" + "丁" * 9 + "…"


def test_no_match_in_text_shows_the_beginning() -> None:
    text = "标题命中但正文没有" + "文" * 200
    assert make_snippet(text, parse_query("不存在"), width=20) == "标题命中但正文没有" + "文" * 11 + "…"


def test_line_breaks_become_spaces() -> None:
    assert make_snippet("第一段。\n第二段合同", parse_query("合同")) == "第一段。 第二段<mark>合同</mark>"
    assert (
        make_snippet("标题\n<b>合同</b>", parse_query("合同")) == "标题 &lt;b&gt;<mark>合同</mark>&lt;/b&gt;"
    )


def test_maker_is_reusable_and_reports_match_spans() -> None:
    maker = SnippetMaker(parse_query("合同"))
    assert maker.matches("合同与合同") == [(0, 2), (3, 5)]
    assert maker.snippet("无") == "无"


def test_case_number_is_not_marked_inside_a_longer_number() -> None:
    text = "编号12023京0105民初12345号不是案号"
    assert make_snippet(text, parse_query("（2023）京0105民初12345号")) == text


# -- the stored characters are shown; matching folds width -------------------------------

STORED = normalize_text("案源编号：AY-2020-0103，合同（三）关于违约金")


def test_stored_text_keeps_full_width_punctuation() -> None:
    assert STORED == "案源编号：AY-2020-0103，合同（三）关于违约金"


def test_snippet_shows_the_stored_full_width_characters() -> None:
    assert make_snippet(STORED, parse_query("AY 2020")) == (
        "案源编号：<mark>AY</mark>-<mark>2020</mark>-0103，合同（三）关于违约金"
    )
    assert make_snippet(STORED, parse_query("合同")) == (
        "案源编号：AY-2020-0103，<mark>合同</mark>（三）关于违约金"
    )
    assert make_snippet(STORED, parse_query('"AY-2020"')) == (
        "案源编号：<mark>AY-2020</mark>-0103，合同（三）关于违约金"
    )
    # a phrase across full-width punctuation
    assert make_snippet(STORED, parse_query("0103合同")) == (
        "案源编号：AY-2020-<mark>0103，合同</mark>（三）关于违约金"
    )


def test_full_width_digits_are_found_and_marked_as_written() -> None:
    text = normalize_text("合同编号１２３４５，总价款人民币７，２８２，５６３．０４元。")
    assert text == "合同编号１２３４５，总价款人民币７，２８２，５６３．０４元。"
    assert make_snippet(text, parse_query("12345")) == (
        "合同编号<mark>１２３４５</mark>，总价款人民币７，２８２，５６３．０４元。"
    )
    assert make_snippet(text, parse_query('"7,282,563.04元"')) == (
        "合同编号１２３４５，总价款人民币<mark>７，２８２，５６３．０４元</mark>。"
    )
    # a digit run still matches only as a whole
    assert make_snippet(text, parse_query("1234")) == text
    assert SnippetMaker(parse_query("12345")).matches(text) == [(4, 9)]


def test_full_width_letters_and_radicals_are_marked_as_written() -> None:
    text = "甲方ＡＢＣ公司，判决⽣效"  # ⽣ is the Kangxi radical U+2F63 that some PDFs give for 生
    assert make_snippet(text, parse_query("abc 生效")) == "甲方<mark>ＡＢＣ</mark>公司，判决<mark>⽣效</mark>"
    # each on its own (a query without letters or digits still folds the radicals)
    assert make_snippet(text, parse_query("生效")) == "甲方ＡＢＣ公司，判决<mark>⽣效</mark>"
    assert make_snippet(text, parse_query("ABC公司")) == "甲方<mark>ＡＢＣ公司</mark>，判决⽣效"


def test_case_number_in_either_width_is_marked_as_written() -> None:
    half = "本院于(2023)京0105民初12345号立案。"
    full = "本院于（２０２３）京０１０５民初１２３４５号立案。"
    queries = [
        "（2023）京0105民初12345号",
        "(2023)京0105民初12345号",
        "（２０２３）京０１０５民初１２３４５号",
    ]
    for query in queries:
        assert make_snippet(half, parse_query(query)) == "本院于<mark>(2023)京0105民初12345号</mark>立案。"
        assert make_snippet(full, parse_query(query)) == (
            "本院于<mark>（２０２３）京０１０５民初１２３４５号</mark>立案。"
        )
    assert make_snippet(full, parse_query("（2023）京0105民初1234号")) == full


def test_a_cut_window_starts_after_the_ellipsis_with_words_not_punctuation() -> None:
    # The window starts LEAD_CHARS (16) before the match: here on "。", skipped for 判令.
    lead = "判令被告立即向原告支付全部所欠"  # 15 characters
    text = "甲" * 100 + "。" + lead + "货款八十万元" + "乙" * 200
    assert make_snippet(text, parse_query("货款")).startswith(f"…{lead}<mark>货款</mark>八十万元")
    # An opening bracket is kept: it begins what follows.
    lead = "（2023）被告立即支付全部所"  # 15 characters
    text = "甲" * 100 + "，" + lead + "货款八十万元" + "乙" * 200
    assert make_snippet(text, parse_query("货款")).startswith(f"…{lead}<mark>货款</mark>")
