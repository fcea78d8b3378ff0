"""Chinese numerals, amounts (小写 and 大写) and dates, as legal documents write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

_DIGITS = "零一二三四五六七八九"
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_UNITS = ("", "拾", "佰", "仟")
_CAPITAL_GROUPS = ("", "万", "亿", "万亿")


def chinese_number(n: int) -> str:
    """0 ≤ n < 100000 in ordinary Chinese numerals: 577 → 五百七十七, 12 → 十二, 105 → 一百零五."""
    if not 0 <= n < 100000:
        raise ValueError("chinese_number supports 0 ≤ n < 100000")
    if n == 0:
        return "零"
    units = ("", "十", "百", "千", "万")
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for i, d in enumerate(digits):
        unit = units[len(digits) - i - 1]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[d] + unit)
    text = "".join(out)
    if text.startswith("一十"):
        text = text[1:]
    return text


def article(n: int) -> str:
    """第五百七十七条."""
    return f"第{chinese_number(n)}条"


def amount_figures(amount: Decimal) -> str:
    """Decimal('1234567.5') → 1,234,567.50."""
    return f"{amount:,.2f}"


def amount_yuan(amount: Decimal) -> str:
    """人民币1,234,567.00元."""
    return f"人民币{amount_figures(amount)}元"


def amount_capital(amount: Decimal) -> str:
    """Financial capital form: 1234567.00 → 壹佰贰拾叁万肆仟伍佰陆拾柒元整; 0.5 → 伍角."""
    cents = int((amount * 100).to_integral_value())
    if cents < 0:
        raise ValueError("amount must not be negative")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _capital_integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _CAPITAL_DIGITS[fen] + "分"
    return text


def _capital_integer(n: int) -> str:
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    need_zero = False
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += "零"
        out += _capital_group(g) + _CAPITAL_GROUPS[gi]
        need_zero = False
    return out


def _capital_group(g: int) -> str:
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = g // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CAPITAL_DIGITS[d] + _CAPITAL_UNITS[pos]
    return out


def cn_date(day: dt.date) -> str:
    """2023年5月12日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_date_numerals(day: dt.date) -> str:
    """二〇二三年五月十二日 (the form used at the end of judgments)."""
    year = "".join("〇一二三四五六七八九"[int(c)] for c in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
