"""Chinese numerals, amounts, dates and court fees as legal documents write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from demodata.facts import court_fee
from demodata.numerals import amount_capital, amount_yuan, article, chinese_number, cn_date, cn_date_numerals


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (12, "十二"),
        (105, "一百零五"),
        (110, "一百一十"),
        (577, "五百七十七"),
        (1001, "一千零一"),
        (1185, "一千一百八十五"),
        (10010, "一万零一十"),
    ],
)
def test_chinese_number(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_article() -> None:
    assert article(577) == "第五百七十七条"
    assert article(122) == "第一百二十二条"


@pytest.mark.parametrize(
    ("amount", "capital"),
    [
        ("1234567", "壹佰贰拾叁万肆仟伍佰陆拾柒元整"),
        ("10010.05", "壹万零壹拾元零伍分"),
        ("1000001", "壹佰万零壹元整"),
        ("20300", "贰万零叁佰元整"),
        ("100000000", "壹亿元整"),
        ("0.50", "伍角"),
        ("15911.12", "壹万伍仟玖佰壹拾壹元壹角贰分"),
    ],
)
def test_amount_capital(amount: str, capital: str) -> None:
    assert amount_capital(Decimal(amount)) == capital


def test_amount_yuan() -> None:
    assert amount_yuan(Decimal("1234567")) == "人民币1,234,567.00元"


def test_dates() -> None:
    assert cn_date(dt.date(2023, 5, 12)) == "2023年5月12日"
    assert cn_date_numerals(dt.date(2023, 10, 20)) == "二〇二三年十月二十日"


@pytest.mark.parametrize(
    ("claim", "fee"),
    [("8000", 50), ("50000", 1050), ("1234567", 15911), ("30000000", 191800)],
)
def test_court_fee_follows_the_fee_schedule(claim: str, fee: int) -> None:
    assert court_fee(Decimal(claim)) == fee
