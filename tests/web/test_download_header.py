"""Content-Disposition for originals with Chinese names (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import pytest

from web.download import ascii_fallback, content_disposition, safe_content_type


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (
            "民事判决书（2023）.pdf",
            "attachment; filename=\"document-7.pdf\"; filename*=UTF-8''"
            "%E6%B0%91%E4%BA%8B%E5%88%A4%E5%86%B3%E4%B9%A6%EF%BC%882023%EF%BC%89.pdf",
        ),
        (
            "contract v2.docx",
            "attachment; filename=\"contract v2.docx\"; filename*=UTF-8''contract%20v2.docx",
        ),
        ('a"b\\c.txt', "attachment; filename=\"c.txt\"; filename*=UTF-8''c.txt"),
        ('say "hi".txt', "attachment; filename=\"document-7.txt\"; filename*=UTF-8''say%20%22hi%22.txt"),
        (
            "../../etc/合同.txt",
            "attachment; filename=\"document-7.txt\"; filename*=UTF-8''%E5%90%88%E5%90%8C.txt",
        ),
        ("bad\r\nname.txt", "attachment; filename=\"badname.txt\"; filename*=UTF-8''badname.txt"),
        ("", "attachment; filename=\"document\"; filename*=UTF-8''document"),
    ],
)
def test_content_disposition(filename, expected):
    assert content_disposition(filename, 7) == expected


def test_ascii_fallback_drops_an_odd_extension():
    assert ascii_fallback("判决书.p?df", 3) == "document-3"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("application/pdf", "application/pdf"),
        ("text/plain", "text/plain"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("text/html\r\nX-Evil: 1", "application/octet-stream"),
        ("", "application/octet-stream"),
        (None, "application/octet-stream"),
    ],
)
def test_safe_content_type(stored, expected):
    assert safe_content_type(stored) == expected
