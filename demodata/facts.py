"""The facts of one demo case: who sued whom where, for how much, and when each step happened."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from demodata import vocab
from demodata.numerals import article

if TYPE_CHECKING:
    from demodata.text import CaseFacts, TextGenerator

# 《诉讼费用交纳办法》第十三条: property cases, cumulative brackets (upper bound, rate).
_FEE_BRACKETS = (
    (Decimal(100_000), Decimal("0.025")),
    (Decimal(200_000), Decimal("0.02")),
    (Decimal(500_000), Decimal("0.015")),
    (Decimal(1_000_000), Decimal("0.01")),
    (Decimal(2_000_000), Decimal("0.009")),
    (Decimal(5_000_000), Decimal("0.008")),
    (Decimal(10_000_000), Decimal("0.007")),
    (Decimal(20_000_000), Decimal("0.006")),
    (None, Decimal("0.005")),
)


def court_fee(claim: Decimal) -> Decimal:
    """案件受理费 for a property claim: 50 yuan up to 10,000, then the brackets of the 交纳办法.

    (Labour disputes pay a flat 10 yuan a case instead.)
    """
    if claim <= 10_000:
        return Decimal(50)
    fee, lower = Decimal(50), Decimal(10_000)
    for upper, rate in _FEE_BRACKETS:
        top = claim if upper is None else min(claim, upper)
        if top > lower:
            fee += (top - lower) * rate
        if upper is None or claim <= upper:
            break
        lower = upper
    return fee.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _months(day: dt.date, rng_months: int) -> dt.date:
    return day + dt.timedelta(days=30 * rng_months)


def _subject(gen: TextGenerator, cause: str) -> tuple[str, str, dict[str, str]]:
    """(subject, contract name, extra facts) for a cause."""
    rng = gen.rng
    if cause == "买卖合同纠纷":
        goods = rng.choice(vocab.GOODS)
        return goods, f"《{goods}采购合同》", {"quantity": f"{rng.randint(20, 900)}批次"}
    if cause in ("民间借贷纠纷", "借款合同纠纷", "保证合同纠纷"):
        return "借款", "《借款合同》" if cause != "民间借贷纠纷" else "《借款协议》", {}
    if cause == "劳动争议":
        return (
            "劳动合同",
            "《劳动合同》",
            {"post": rng.choice(("销售经理", "软件工程师", "财务主管", "项目经理"))},
        )
    if cause == "股权转让纠纷":
        pct = rng.choice((10, 15, 20, 30, 35, 51))
        target = gen.company_name(gen.city())
        return f"{target}{pct}%股权", "《股权转让协议》", {"target": target, "percent": str(pct)}
    if cause == "建设工程施工合同纠纷":
        project = f"{rng.choice(vocab.TRADE_NAMES)}{rng.choice(('广场', '科技园', '花园', '中心'))}"
        return f"{project}项目施工工程", "《建设工程施工合同》", {"project": project}
    if cause == "房屋租赁合同纠纷":
        area = rng.randint(120, 3000)
        return (
            f"{gen.address(gen.city())}房屋（建筑面积{area}平方米）",
            "《房屋租赁合同》",
            {"area": str(area)},
        )
    if cause == "侵害商标权纠纷":
        brand = rng.choice(vocab.TRADE_NAMES)
        reg = rng.randint(1_000_000, 39_999_999)
        return f"第{reg}号“{brand}”注册商标", "《商标使用许可合同》", {"brand": brand, "reg": str(reg)}
    if cause == "技术服务合同纠纷":
        return "信息系统运维服务", "《技术服务合同》", {}
    if cause == "承揽合同纠纷":
        return "定制生产设备", "《加工承揽合同》", {}
    return "咨询服务", "《服务合同》", {}


def make_case_facts(
    gen: TextGenerator, *, cause: str | None = None, department: str | None = None
) -> CaseFacts:
    from demodata.text import CaseFacts

    rng = gen.rng
    cause = cause or gen.cause()
    subject, contract_name, extra = _subject(gen, cause)
    p_city, d_city = gen.city(), gen.city()
    person_plaintiff = cause in ("劳动争议", "民间借贷纠纷")
    person_defendant = cause == "民间借贷纠纷" and rng.random() < 0.5
    industry = {"建设工程施工合同纠纷": "建筑工程"}.get(cause)
    plaintiff = gen.party("原告", company=not person_plaintiff, city=p_city, industry=industry)
    defendant = gen.party("被告", company=not person_defendant, city=d_city)
    we_represent = "被告" if cause == "劳动争议" or rng.random() < 0.35 else "原告"

    if cause in vocab.IP_CAUSES:
        court = vocab.COURTS[rng.choice(("京73", "沪73"))]
    else:
        court = vocab.COURTS[vocab.BASIC_COURT_BY_DISTRICT[(d_city[0], d_city[1])]]
    contract_date = gen.date_between(dt.date(2019, 1, 1), dt.date(2022, 6, 30))
    breach_date = contract_date + dt.timedelta(days=rng.randint(60, 300))
    lead_date = breach_date + dt.timedelta(days=rng.randint(20, 90))
    filing_date = lead_date + dt.timedelta(days=rng.randint(20, 60))
    hearing_date = filing_date + dt.timedelta(days=rng.randint(60, 120))
    judgment_date = hearing_date + dt.timedelta(days=rng.randint(20, 80))
    appeal_court = vocab.COURTS.get(court.appeal)
    appealed = appeal_court is not None and rng.random() < 0.5
    appeal_date = judgment_date + dt.timedelta(days=rng.randint(60, 150)) if appealed else None
    final_date = appeal_date or judgment_date
    enforced = not appealed and rng.random() < 0.5
    closing_date = final_date + dt.timedelta(days=rng.randint(30, 120))

    first_number = gen.court_case_number(filing_date.year, court.code, "民初")
    appeal_number = gen.court_case_number(appeal_date.year, appeal_court.code, "民终") if appealed else None
    enforcement_number = (
        gen.court_case_number((judgment_date + dt.timedelta(days=45)).year, court.code, "执")
        if enforced
        else None
    )

    ranges = {"劳动争议": (30_000, 600_000), "侵害商标权纠纷": (100_000, 5_000_000)}
    low, high = ranges.get(cause, (50_000, 12_000_000))
    principal = gen.amount(low, high)
    share = Decimal(rng.choice(("0.05", "0.08", "0.1", "0.15", "0.2")))
    penalty = (principal * share).quantize(Decimal("0.01"))
    rate_text = rng.choice(
        (
            "按照全国银行间同业拆借中心公布的一年期贷款市场报价利率（LPR）计算",
            "按照全国银行间同业拆借中心公布的一年期贷款市场报价利率的1.5倍计算",
            "按年利率6%计算",
            "按每日万分之五计算",
        )
    )
    articles = rng.sample(vocab.CAUSES[cause], k=4)
    statutes = tuple(f"{law}{article(n)}" for law, n in articles)
    procedure = tuple(f"{vocab.CIVIL_PROCEDURE}{article(n)}" for n in vocab.PROCEDURE_ARTICLES)
    owner = gen.person_name()
    ours = plaintiff.name if we_represent == "原告" else defendant.name
    history = _history(gen, cause, plaintiff.name, defendant.name, principal, contract_date, breach_date)
    history += ((lead_date, f"争议材料报送{ours}法务部门，进入案源登记"),)
    return CaseFacts(
        cause=cause,
        plaintiff=plaintiff,
        defendant=defendant,
        we_represent=we_represent,
        court=court,
        first_number=first_number,
        appeal_court=appeal_court if appealed else None,
        appeal_number=appeal_number,
        enforcement_number=enforcement_number,
        subject=subject,
        contract_name=contract_name,
        contract_no=f"HT-{contract_date.year}-{rng.randint(1, 999):04d}",
        principal=principal,
        penalty=penalty,
        court_fee=Decimal(10) if cause in vocab.LABOUR_CAUSES else court_fee(principal + penalty),
        rate_text=rate_text,
        statutes=statutes,
        procedure=procedure,
        contract_date=contract_date,
        breach_date=breach_date,
        lead_date=lead_date,
        filing_date=filing_date,
        hearing_date=hearing_date,
        judgment_date=judgment_date,
        appeal_date=appeal_date,
        closing_date=closing_date,
        presiding_judge=gen.person_name(),
        judges=(gen.person_name(), gen.person_name()),
        clerk=gen.person_name(),
        owner=owner,
        department=department or rng.choice(vocab.DEPARTMENTS),
        team=(owner, gen.person_name(), gen.person_name()),
        history=history,
        extra=extra,
    )


def _history(
    gen: TextGenerator,
    cause: str,
    p: str,
    df: str,
    principal: Decimal,
    contract_date: dt.date,
    breach_date: dt.date,
) -> tuple[tuple[dt.date, str], ...]:
    """Dated events from performance to the lead: part payments, reminders, replies."""
    rng = gen.rng
    events: list[tuple[dt.date, str]] = []
    if cause == "劳动争议":
        events += [
            (
                gen.date_between(contract_date, breach_date),
                f"{df}人力资源部向{p}发出《违纪警告通知书》，{p}拒绝签收",
            ),
            (breach_date - dt.timedelta(days=5), f"{df}召开部门会议，讨论{p}的考勤异常问题，形成会议纪要"),
            (breach_date + dt.timedelta(days=2), f"{p}通过电子邮件向{df}提出异议，要求恢复劳动关系"),
        ]
    elif cause == "侵害商标权纠纷":
        events += [
            (
                breach_date + dt.timedelta(days=3),
                f"{p}委托公证机构在{df}经营场所购买被诉侵权商品并取得公证书",
            ),
            (
                breach_date + dt.timedelta(days=12),
                f"{p}向{df}发送《停止侵权告知函》，要求立即下架被诉侵权商品",
            ),
            (breach_date + dt.timedelta(days=25), f"{df}回函称商品系从第三方采购，拒绝承担赔偿责任"),
        ]
    else:
        paid = (principal * Decimal(rng.choice(("0.2", "0.3", "0.4")))).quantize(Decimal("0.01"))
        first = gen.date_between(contract_date + dt.timedelta(days=20), breach_date - dt.timedelta(days=20))
        events += [
            (first, f"{df}向{p}支付第一期款项人民币{paid:,.2f}元"),
            (
                breach_date + dt.timedelta(days=10),
                f"{p}向{df}发出第一份《催款函》，要求支付欠款人民币{principal:,.2f}元",
            ),
            (breach_date + dt.timedelta(days=24), f"{df}回复称资金周转困难，承诺于一个月内分期还款"),
            (breach_date + dt.timedelta(days=40), f"{p}再次发函催告，{df}签收后未予回复亦未付款"),
        ]
    return tuple(sorted(events))
