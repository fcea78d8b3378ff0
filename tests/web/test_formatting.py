"""Chinese formatting filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from web.formatting import date_cn, datetime_cn, filesize, format_label, number, status_badge


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 12, 3, 6, 5, tzinfo=UTC), "2026年12月3日"),
        (datetime(2026, 12, 2, 17, 0, tzinfo=UTC), "2026年12月3日"),  # 01:00 next day in Beijing
        (datetime(2026, 12, 2, 17, 0), "2026年12月3日"),  # naive values (SQLite) are UTC
        (None, ""),
    ],
)
def test_date_cn(value, expected):
    assert date_cn(value) == expected


def test_datetime_cn_is_beijing_time():
    assert datetime_cn(datetime(2026, 12, 3, 6, 5, tzinfo=UTC)) == "2026年12月3日 14:05"
    assert datetime_cn(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == "2027年1月1日 00:00"
    assert datetime_cn(None) == ""


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1 KB"),
        (876_544, "856 KB"),
        (1_048_500, "1.0 MB"),
        (1_258_291, "1.2 MB"),
        (200 * 1024 * 1024, "200.0 MB"),
        (3_650_722_201, "3.4 GB"),
        (None, ""),
    ],
)
def test_filesize(size, expected):
    assert filesize(size) == expected


def test_number_has_thousands_separators():
    assert number(1234567) == "1,234,567"
    assert number(12) == "12"
    assert number(None) == ""


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("queued", '<span class="badge badge-queued" data-status="queued">排队中</span>'),
        ("processing", '<span class="badge badge-processing" data-status="processing">处理中</span>'),
        ("indexed", '<span class="badge badge-indexed" data-status="indexed">已索引</span>'),
        ("failed", '<span class="badge badge-failed" data-status="failed">失败</span>'),
        (
            '"><b>',
            '<span class="badge badge-unknown" data-status="&#34;&gt;&lt;b&gt;">&#34;&gt;&lt;b&gt;</span>',
        ),
    ],
)
def test_status_badge(status, expected):
    assert str(status_badge(status)) == expected


def test_format_label_names_the_sniffed_kind():
    assert format_label("docx") == "Word 文档（DOCX）"
    assert format_label("pdf") == "PDF 文档"
    assert format_label("text") == "纯文本"
    assert format_label("odd") == "odd"
    assert format_label(None) == ""
