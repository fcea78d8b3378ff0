# ruff: noqa: E501 - Chinese prose templates: CJK characters count double width
"""Passages shared by several document types: the story of the dispute, the claims, the defence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from demodata.numerals import amount_yuan, cn_date
from demodata.statutes import quoted
from demodata.text import CaseFacts

CN_ORDINALS = "一二三四五六七八九十"


def d(day: dt.date) -> str:
    return cn_date(day)


def later(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def claims(f: CaseFacts) -> list[str]:
    """诉讼请求, numbered."""
    p, df = f.plaintiff.name, f.defendant.name
    if f.cause == "劳动争议":
        items = [
            f"判令被告{df}支付原告{p}违法解除劳动合同赔偿金{amount_yuan(f.principal)}；",
            f"判令被告支付原告未签订书面劳动合同二倍工资差额及拖欠工资合计{amount_yuan(f.penalty)}；",
            "本案诉讼费用由被告负担。",
        ]
    elif f.cause == "侵害商标权纠纷":
        items = [
            f"判令被告{df}立即停止侵害原告{f.subject}专用权的行为；",
            f"判令被告赔偿原告经济损失{amount_yuan(f.principal)}及为制止侵权行为所支付的合理开支{amount_yuan(f.penalty)}；",
            "判令被告在其官方网站首页连续三十日刊登声明，消除影响；",
            "本案诉讼费用由被告负担。",
        ]
    else:
        what = {
            "民间借贷纠纷": "借款本金",
            "借款合同纠纷": "借款本金",
            "保证合同纠纷": "借款本金",
            "房屋租赁合同纠纷": "拖欠租金",
            "建设工程施工合同纠纷": "工程款",
            "股权转让纠纷": "股权转让款",
        }.get(f.cause, "货款")
        items = [
            f"判令被告{df}向原告{p}支付{what}{f.money(f.principal)}；",
            f"判令被告支付逾期付款利息（以{amount_yuan(f.principal)}为基数，自{d(f.breach_date)}起{f.rate_text}至实际清偿之日止）；",
            f"判令被告支付违约金{amount_yuan(f.penalty)}；",
            "本案诉讼费用、保全费用由被告负担。",
        ]
    return [f"{i + 1}.{text}" for i, text in enumerate(items)]


def narrative(f: CaseFacts) -> list[str]:
    """What happened, in the neutral voice of a judgment's findings."""
    p, df = f.plaintiff.name, f.defendant.name
    c, cd, bd = f.contract_name, d(f.contract_date), d(f.breach_date)
    money = f.money(f.principal)
    if f.cause == "劳动争议":
        post = f.extra.get("post", "业务经理")
        return [
            f"{cd}，{p}入职{df}，担任{post}，双方签订{c}，约定合同期限三年，月工资为税前人民币{f.principal // 40:,.0f}元。",
            f"{bd}，{df}以{p}严重违反公司规章制度为由向其送达《解除劳动合同通知书》，解除双方劳动关系。"
            f"{p}认为公司解除理由不能成立，于{d(later(f.breach_date, 15))}向劳动人事争议仲裁委员会申请仲裁。",
            f"仲裁委员会作出裁决后，{p}不服，于{d(f.filing_date)}向{f.court.name}提起诉讼，请求判令公司支付违法解除劳动合同赔偿金{money}。",
        ]
    if f.cause == "侵害商标权纠纷":
        return [
            f"{p}系{f.subject}的权利人，该商标核定使用在第九类、第三十五类商品和服务上，经过长期使用具有较高知名度。",
            f"{bd}，{p}发现{df}在其经营场所及网络店铺中销售标有与涉案商标近似标识的商品，{p}委托公证机构对购买过程进行了保全证据公证。",
            f"{p}认为，{df}未经许可在同一种商品上使用近似商标，容易导致相关公众混淆，侵害了其注册商标专用权，"
            f"遂于{d(f.filing_date)}诉至{f.court.name}，请求赔偿经济损失{money}。",
        ]
    if f.cause in ("民间借贷纠纷", "借款合同纠纷", "保证合同纠纷"):
        return [
            f"{cd}，{p}与{df}签订{c}（编号{f.contract_no}），约定{df}向{p}借款{money}，借款期限十二个月，利息{f.rate_text}。",
            f"合同签订当日，{p}通过银行转账方式向{df}指定账户支付了全部借款。借款到期后，{df}仅支付了部分利息，"
            f"自{bd}起未再履行还款义务，{p}多次催收未果。",
            f"{d(later(f.breach_date, 30))}，{p}向{df}发出《催款函》，要求其于十五日内归还全部借款本息，{df}签收后仍未还款。",
        ]
    if f.cause == "股权转让纠纷":
        return [
            f"{cd}，{p}与{df}签订{c}，约定{p}将其持有的{f.subject}转让给{df}，转让价款为{money}，"
            f"{df}应于协议签订后九十日内付清全部价款。",
            f"协议签订后，{p}依约配合办理了股权变更登记手续，目标公司{f.extra.get('target', '')}于{d(later(f.contract_date, 40))}完成工商变更登记。",
            f"然而{df}未按约定支付股权转让款，经{p}于{bd}书面催告后仍未支付，已构成根本违约。",
        ]
    if f.cause == "建设工程施工合同纠纷":
        return [
            f"{cd}，{p}（承包人）与{df}（发包人）签订{c}，约定由{p}承建{f.subject}，合同暂定价为{amount_yuan(f.principal * 4)}。",
            f"{p}按约完成施工，工程于{d(later(f.breach_date, -60))}通过竣工验收并交付使用。经双方结算，{df}尚欠工程款{money}。",
            f"{df}以工程存在质量问题为由拒绝支付剩余工程款，{p}自{bd}起多次发函催要无果。",
        ]
    if f.cause == "房屋租赁合同纠纷":
        return [
            f"{cd}，{p}（出租人）与{df}（承租人）签订{c}，约定{p}将位于{f.subject}出租给{df}使用，租期五年，租金按季度支付。",
            f"合同履行过程中，{df}自{bd}起拖欠租金及物业服务费，累计欠付{money}。{p}多次书面催告，{df}仍未支付。",
            f"{p}遂于{d(later(f.breach_date, 60))}向{df}发出《解除合同通知书》，并要求其腾退房屋、支付欠付租金及违约金。",
        ]
    return [
        f"{cd}，{p}与{df}签订{c}（合同编号{f.contract_no}），约定{p}向{df}提供{f.subject}，合同总价款{amount_yuan(f.principal * 2)}，"
        f"{df}应于收货验收后三十日内支付全部价款。",
        f"合同签订后，{p}依约履行了交付义务，{df}签收了全部货物并出具了验收单，但仅支付了部分价款，尚欠{money}未付。",
        f"{bd}，双方进行对账，{df}在对账单上盖章确认欠款金额。此后{p}多次催收，{df}均以资金紧张为由拖延支付。",
    ]


def defence(f: CaseFacts) -> str:
    df = f.defendant.name
    if f.cause == "劳动争议":
        return (
            f"被告{df}辩称：原告在职期间多次违反公司考勤制度及保密制度，公司依据经民主程序制定的《员工手册》解除劳动合同，"
            "程序合法、理由充分，不应支付赔偿金；原告主张的二倍工资差额已超过仲裁时效，请求驳回原告的全部诉讼请求。"
        )
    if f.cause == "侵害商标权纠纷":
        return (
            f"被告{df}辩称：被告销售的商品具有合法来源，系从第三方供应商处采购，被告不知道也不应当知道该商品侵权；"
            "原告主张的赔偿金额过高，缺乏事实依据，请求法院依法驳回或予以酌减。"
        )
    return (
        f"被告{df}辩称：对双方签订{f.contract_name}及欠款的基本事实无异议，但原告履行中存在瑕疵，给被告造成了损失，"
        f"应予抵扣；原告主张的违约金{amount_yuan(f.penalty)}明显过高，请求法院依据《中华人民共和国民法典》第五百八十五条予以调减。"
    )


def awarded_penalty(f: CaseFacts) -> Decimal:
    """What the court allows of the penalty (it usually trims it)."""
    return (f.penalty * Decimal("0.6")).quantize(Decimal("0.01"))


def evidence_items(f: CaseFacts) -> list[tuple[str, str]]:
    """(证据名称, 证明目的) for the side we represent."""
    items = [
        (
            f"{f.contract_name}（编号{f.contract_no}）",
            f"证明双方于{d(f.contract_date)}建立合同关系及权利义务的约定",
        ),
        ("银行转账凭证及回单", "证明合同款项的支付情况"),
        (f"对账单及催款函（{d(f.breach_date)}）", f"证明欠款金额{amount_yuan(f.principal)}及催收事实"),
        ("往来微信聊天记录及电子邮件", "证明对方认可欠款并承诺付款"),
        ("企业信用信息公示报告", "证明双方当事人的主体资格"),
    ]
    if f.cause == "侵害商标权纠纷":
        items[1] = ("公证书及购买实物", "证明被告销售被诉侵权商品的事实")
    if f.cause == "劳动争议":
        items[1] = ("考勤记录及工资发放明细", "证明劳动者的出勤和工资标准")
    return items


def statute_list(f: CaseFacts, k: int = 3) -> str:
    return "、".join(f.statutes[:k])


def history(f: CaseFacts) -> list[str]:
    """The dated events between performance and the lead, one line each."""
    return [f"{d(day)}，{text}。" for day, text in f.history]


def quoted_statutes(f: CaseFacts, k: int = 4) -> list[str]:
    """The first ``k`` statutes of the case with their substance."""
    return [quoted(c) for c in f.statutes[:k]]


def evidence_lines(f: CaseFacts) -> list[str]:
    """证据一：…；证明目的：…；来源：…。"""
    sources = ("原件", "原件", "复印件（与原件核对一致）", "打印件及原始载体", "网络查询打印件")
    return [
        f"证据{CN_ORDINALS[i]}：{name}；证明目的：{aim}；来源：{sources[i % len(sources)]}。"
        for i, (name, aim) in enumerate(evidence_items(f))
    ]


def parties_block(f: CaseFacts) -> list[str]:
    return [f.plaintiff.description(), f.defendant.description()]


def amount_summary(f: CaseFacts) -> str:
    total = f.principal + f.penalty
    return (
        f"争议金额构成：本金{amount_yuan(f.principal)}；违约金{amount_yuan(f.penalty)}；"
        f"逾期利息自{d(f.breach_date)}起{f.rate_text}；以上本金及违约金合计{f.money(total, capital=True)}，"
        f"按此计算的案件受理费为{f.court_fee:,}元。"
    )


def dispute_focus(f: CaseFacts) -> list[str]:
    df = f.defendant.name
    return [
        f"争议焦点一：{f.contract_name}是否合法有效，双方的权利义务如何确定。",
        f"争议焦点二：{df}是否存在违约行为，欠付金额是否为{amount_yuan(f.principal)}。",
        f"争议焦点三：约定的违约金{amount_yuan(f.penalty)}是否过分高于实际损失，是否应予调整。",
    ]


def reasoning(f: CaseFacts) -> list[str]:
    """本院认为 … : the court's reasoning, by kind of dispute."""
    p, df = f.plaintiff.name, f.defendant.name
    allowed = awarded_penalty(f)
    if f.cause == "劳动争议":
        return [
            "本院认为，用人单位解除劳动合同应当具有事实和法律依据，并对解除行为的合法性承担举证责任。",
            f"本案中，{df}主张{p}严重违反规章制度，但其提交的考勤记录系单方制作，{p}不予认可，"
            f"{df}亦未能证明《员工手册》经过民主程序制定并已向{p}公示，故其解除劳动合同的行为缺乏依据，属于违法解除。",
            f"{df}应当依照《中华人民共和国劳动合同法》第八十七条的规定，向{p}支付违法解除劳动合同赔偿金{amount_yuan(f.principal)}。",
            f"关于二倍工资差额及拖欠工资，{p}主张的部分期间已超过仲裁时效，本院对时效期间内的部分予以支持，"
            f"经核算为{amount_yuan(allowed)}。超出部分，本院不予支持。",
        ]
    if f.cause == "侵害商标权纠纷":
        return [
            f"本院认为，{p}依法享有{f.subject}专用权，该权利合法有效，应受法律保护。",
            f"{df}未经许可，在同一种商品上使用与涉案注册商标近似的标识，容易导致相关公众混淆，构成对{p}注册商标专用权的侵害，"
            "依法应当承担停止侵害、赔偿损失的民事责任。",
            f"关于{df}提出的合法来源抗辩，其提交的进货单据无法与被诉侵权商品一一对应，亦无供货方的确认，本院不予采纳。",
            f"关于赔偿数额，鉴于{p}因被侵权所受到的实际损失和{df}因侵权所获得的利益均难以确定，本院综合考虑涉案商标的知名度、"
            f"侵权行为的性质、持续时间、经营规模及{p}为制止侵权支出的合理费用等因素，酌定{df}赔偿经济损失{amount_yuan(f.principal)}，"
            f"合理开支{amount_yuan(allowed)}。",
        ]
    return [
        f"本院认为，依法成立的合同，对当事人具有法律约束力。{f.contract_name}系双方当事人的真实意思表示，内容不违反法律、"
        "行政法规的强制性规定，合法有效，双方均应按约全面履行各自的义务。",
        f"本案中，{p}已依约履行了合同义务，{df}未按约履行付款义务，已构成违约，依照{f.statutes[0]}的规定，"
        f"应向{p}支付{amount_yuan(f.principal)}。",
        f"关于违约金，{df}主张约定的违约金过高并请求调整。本院综合考虑合同的履行情况、当事人的过错程度以及预期利益等因素，"
        f"根据公平原则和诚信原则，酌情将违约金调整为{amount_yuan(allowed)}。超出部分，本院不予支持。",
        f"关于{df}提出的抵扣主张，其未能提交充分证据证明损失的存在及数额，应承担举证不能的不利后果，本院不予采纳。",
    ]


def judgment_orders(f: CaseFacts) -> list[str]:
    """判决主文: the numbered orders of a first-instance judgment."""
    p, df = f.plaintiff.name, f.defendant.name
    allowed = amount_yuan(awarded_penalty(f))
    within = "于本判决生效之日起十日内"
    if f.cause == "劳动争议":
        items = [
            f"被告{df}{within}向原告{p}支付违法解除劳动合同赔偿金{f.money(f.principal, capital=True)}；",
            f"被告{df}{within}向原告{p}支付二倍工资差额及拖欠工资{allowed}；",
        ]
    elif f.cause == "侵害商标权纠纷":
        items = [
            f"被告{df}于本判决生效之日起立即停止侵害原告{p}{f.subject}专用权的行为；",
            f"被告{df}{within}赔偿原告{p}经济损失{f.money(f.principal, capital=True)}及合理开支{allowed}；",
        ]
    else:
        items = [
            f"被告{df}{within}向原告{p}支付{f.money(f.principal, capital=True)}；",
            f"被告{df}{within}向原告{p}支付违约金{allowed}；",
        ]
    items.append(f"驳回原告{p}的其他诉讼请求。")
    return [f"{CN_ORDINALS[i]}、{text}" for i, text in enumerate(items)]
