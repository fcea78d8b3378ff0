# ruff: noqa: E501 - Chinese prose templates: CJK characters count double width
"""Later documents of the case file: tracking and closing reports, contracts and other materials."""

from __future__ import annotations

import random

from demodata.doctexts_common import (
    CN_ORDINALS,
    amount_summary,
    awarded_penalty,
    d,
    dispute_focus,
    evidence_items,
    evidence_lines,
    history,
    later,
    narrative,
    parties_block,
    quoted_statutes,
)
from demodata.numerals import amount_yuan
from demodata.text import CaseFacts


def tracking(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    events = [
        *f.history[:-1],
        (f.lead_date, f"案源登记，由{f.department}{f.owner}负责承办"),
        (later(f.lead_date, 14), f"向{f.theirs.name}发送律师函，对方签收后未予回复"),
        (f.filing_date, f"向{f.court.name}提交起诉材料，法院当日登记立案，案号{f.first_number}"),
        (later(f.filing_date, 5), f"法院裁定冻结对方银行存款{amount_yuan(f.principal)}，保全到位"),
        (later(f.filing_date, 30), "收到法院送达的举证通知书及开庭传票，完成证据交换"),
        (f.hearing_date, "第一次开庭审理，双方围绕违约事实及违约金数额进行了举证质证和辩论"),
        (later(f.hearing_date, 7), "提交书面代理意见，并就调解方案与对方代理人进行沟通"),
        (
            f.judgment_date,
            f"收到一审判决，判令对方支付{amount_yuan(f.principal)}及违约金{amount_yuan(awarded_penalty(f))}",
        ),
    ]
    if f.appeal_number and f.appeal_date and f.appeal_court:
        events.append(
            (f.appeal_date, f"对方提起上诉，{f.appeal_court.name}立案受理，二审案号{f.appeal_number}")
        )
    if f.enforcement_number:
        events.append(
            (later(f.judgment_date, 45), f"对方未履行判决，我方申请强制执行，执行案号{f.enforcement_number}")
        )
    period_end = events[-1][0]
    paras = [
        "案件跟踪报告",
        f"案件名称：{f.plaintiff.name}诉{f.defendant.name}{f.cause}案",
        f"案号：{'、'.join(f.court_numbers)}",
        f"报告期间：{d(f.lead_date)}至{d(period_end)}",
        f"报告人：{f.owner}　报送：{f.department}　报告日期：{d(later(period_end, 3))}",
        "一、案件进展",
        *[f"{i + 1}.{d(day)}：{text}。" for i, (day, text) in enumerate(events)],
        "二、本期重点工作说明",
        f"本期内，承办团队围绕{f.contract_name}的履行事实完成了证据梳理，共提交证据{len(evidence_items(f))}组。"
        f"庭审中，对方主要以履行瑕疵和违约金过高进行抗辩，我方援引{f.statutes[0]}及{f.statutes[1]}进行了反驳。",
        "法院在庭审中组织了调解，对方提出分期十二个月支付本金、免除违约金的方案，与我方调解底线差距较大，未能达成一致。",
        "本案的主要法律依据：" + "".join(quoted_statutes(f, 3)),
        amount_summary(f),
        "庭审归纳的争议焦点：" + "".join(dispute_focus(f)),
        f"本期费用支出：案件受理费{f.court_fee:,}元（已预交），保全费5,000元，保全保险费{f.court_fee // 4:,}元，差旅费3,200元。",
        "三、存在的问题与风险",
        f"1.对方经营状况持续恶化，近期新增被执行案件{rng.randint(2, 9)}件，后续执行存在一定难度；",
        "2.对方可能通过上诉拖延履行，需关注上诉期限届满情况；",
        f"3.已冻结资金{amount_yuan(f.principal)}的冻结期限为一年，需在到期前申请续冻。",
        "四、下一步工作计划",
        f"1.{d(later(period_end, 15))}前确认判决生效情况，及时申请强制执行；",
        "2.继续调查对方其他财产线索，重点核查其对外投资和应收账款；",
        "3.每月向管理层提交一次跟踪报告，重大进展随时报告。",
    ]
    return "案件跟踪报告", paras


def closing(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    penalty = awarded_penalty(f)
    recovered = f.principal + penalty
    final = f.appeal_number or f.first_number
    paras = [
        "结案报告",
        f"案件名称：{f.plaintiff.name}诉{f.defendant.name}{f.cause}案",
        f"案号：{'、'.join(f.court_numbers)}",
        f"承办部门：{f.department}　负责人：{f.owner}　结案日期：{d(f.closing_date)}",
        "一、案件概况",
        *narrative(f),
        "争议发生后的往来经过：",
        *history(f),
        "二、处理过程",
        f"{d(f.lead_date)}案源登记后，承办团队制定了案件处理计划，于{d(f.filing_date)}向{f.court.name}提起诉讼，"
        f"案号{f.first_number}。{d(f.hearing_date)}开庭审理，{d(f.judgment_date)}一审判决支持我方主要诉讼请求。",
    ]
    if f.appeal_number and f.appeal_court and f.appeal_date:
        paras.append(
            f"对方不服一审判决，向{f.appeal_court.name}提起上诉，二审案号{f.appeal_number}。"
            f"二审法院于{d(later(f.appeal_date, 75))}判决驳回上诉，维持原判。"
        )
    if f.enforcement_number:
        paras.append(
            f"判决生效后对方未主动履行，我方于{d(later(f.judgment_date, 45))}申请强制执行，执行案号{f.enforcement_number}，"
            "执行法院划扣了已冻结的银行存款。"
        )
    paras += [
        amount_summary(f),
        "三、处理结果",
        f"依据生效判决{final}，对方应支付{f.money(f.principal, capital=True)}、违约金{amount_yuan(penalty)}，"
        f"并负担案件受理费{f.court_fee - f.court_fee // 5:,}元。截至结案之日，实际回款{amount_yuan(recovered)}，回款率百分之百。",
        "四、法律适用",
        f"法院裁判主要依据为{'、'.join(f.statutes)}，与我方案件分析报告的预判一致。",
        *quoted_statutes(f, 3),
        "五、费用支出",
        f"案件受理费{f.court_fee:,}元（其中{f.court_fee - f.court_fee // 5:,}元由对方负担并已随执行款返还），保全费5,000元，"
        f"律师费{amount_yuan(f.court_fee * 3)}。",
        "六、经验总结",
        "1.合同签订环节应明确验收标准和对账机制，本案对账单系关键证据；",
        "2.发现对方逾期后应及时发函催告并固定证据，避免诉讼时效风险；",
        f"3.违约金约定宜与实际损失相匹配，本案约定违约金{amount_yuan(f.penalty)}被法院调减至{amount_yuan(penalty)}。",
        "七、归档说明",
        "本案案源信息登记表、案件处理计划、调查资料、案件分析报告、处理策略及审批文件、法律文书、庭审记录、"
        f"跟踪报告及本结案报告已整理齐全，按《案源案件管理办法》的规定移交档案管理，归档人{f.team[2]}。",
    ]
    return "结案报告", paras


def contract(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    a, b = f.plaintiff, f.defendant
    total = f.principal * 2 if f.cause == "买卖合同纠纷" else f.principal
    name = f.contract_name.strip("《》")
    paras = [
        name,
        f"合同编号：{f.contract_no}",
        f"【证据材料】本合同复印件系{f.first_number}案{f.we_represent}提交的证据一。",
        f"甲方：{a.name}，住所地：{a.address}"
        + (f"，法定代表人：{a.representative}" if a.is_company else ""),
        f"乙方：{b.name}，住所地：{b.address}"
        + (f"，法定代表人：{b.representative}" if b.is_company else ""),
        f"甲乙双方根据《中华人民共和国民法典》及相关法律法规的规定，在平等、自愿、公平、诚信的基础上，就{f.subject}事宜达成如下协议，"
        "以资共同遵守。",
        f"第一条　标的。甲方同意按本合同约定向乙方提供{f.subject}，具体规格、数量以本合同附件一为准。",
        f"第二条　价款及支付。本合同总价款为{f.money(total, capital=True)}（含税）。乙方应于{d(later(f.contract_date, 30))}前支付"
        "总价款的百分之三十作为预付款，余款于验收合格后三十日内付清。",
        f"第三条　履行期限和地点。甲方应于{d(later(f.contract_date, 60))}前完成交付，交付地点为乙方住所地。",
        "第四条　验收。乙方应于交付后七日内进行验收，逾期未提出书面异议的，视为验收合格。",
        f"第五条　违约责任。乙方逾期付款的，应{f.rate_text.replace('计算', '')}向甲方支付逾期付款利息；逾期超过三十日的，"
        f"甲方有权解除合同，并要求乙方支付违约金{amount_yuan(f.penalty)}。违约金不足以弥补损失的，乙方还应赔偿损失。",
        "第六条　保密。双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，该义务不因合同终止而解除。",
        "第七条　不可抗力。因不可抗力不能履行合同的，根据不可抗力的影响，部分或者全部免除责任，但法律另有规定的除外。",
        f"第八条　争议解决。因本合同引起的争议，双方应协商解决；协商不成的，任何一方均可向{f.court.name}提起诉讼。",
        "第九条　通知与送达。双方在本合同首部列明的地址为有效送达地址，一方变更地址的，应提前七日书面通知对方。",
        "第十条　知识产权。甲方保证其提供的标的物及相关技术资料不侵犯任何第三方的知识产权；因此引起的纠纷由甲方负责处理并承担责任。",
        "第十一条　反商业贿赂。双方承诺在合同签订和履行过程中不向对方工作人员提供任何形式的不正当利益，违反本条的，守约方有权解除合同。",
        "第十二条　合同变更。本合同的任何变更、补充均应以书面形式作出，经双方授权代表签字并加盖公章后生效，补充协议与本合同具有同等效力。",
        "第十三条　其他。本合同自双方签字盖章之日起生效。本合同一式四份，双方各执两份，具有同等法律效力。",
        f"甲方（盖章）：{a.name}　授权代表：{a.representative or a.name}",
        f"乙方（盖章）：{b.name}　授权代表：{b.representative or b.name}",
        f"签订日期：{d(f.contract_date)}",
        f"签订地点：{a.address}",
        f"备注：本合同所涉争议适用{f.statutes[0]}等规定。",
        "附件一：标的清单",
        *[
            f"{i + 1}.{f.subject}，第{i + 1}批，数量{rng.randint(5, 80)}，单价人民币{rng.randint(2, 900) * 100:,}.00元，"
            f"交付日期{d(later(f.contract_date, 20 * (i + 1)))}；"
            for i in range(5)
        ],
        "附件二：开票及收款信息",
        f"甲方收款账户：{a.name}，开户行：中国工商银行{a.address[:2]}分行，账号：0200{rng.randint(10**11, 10**12 - 1)}；",
        f"乙方开票信息：{b.name}，地址：{b.address}，开户行：招商银行{b.address[:2]}分行。",
        "附件三：履约记录",
        *history(f)[:-1],
    ]
    return f"{name}（{f.contract_no}）", paras


def other(f: CaseFacts, rng: random.Random, variant: str = "") -> tuple[str, list[str]]:
    variant = variant or rng.choice(("lawyer_letter", "power_of_attorney", "evidence_list"))
    if variant == "power_of_attorney":
        return _power_of_attorney(f)
    if variant == "evidence_list":
        return _evidence_list(f)
    return _lawyer_letter(f)


def _lawyer_letter(f: CaseFacts) -> tuple[str, list[str]]:
    ours, theirs = f.ours, f.theirs
    firm = ours.agent_firm or "北京市中伦律师事务所"
    sent = later(f.lead_date, 14)
    paras = [
        "律师函",
        f"致：{theirs.name}" + (f"（法定代表人：{theirs.representative}）" if theirs.is_company else ""),
        f"地址：{theirs.address}",
        f"{firm}接受{ours.name}的委托，指派{ours.agent or f.owner}律师，就贵方与我方委托人之间{f.cause.removesuffix('纠纷')}事宜，"
        "郑重致函如下：",
        *narrative(f),
        *history(f)[:-1],
        *quoted_statutes(f, 3),
        f"根据{'、'.join(f.statutes[:3])}的规定，贵方的上述行为已构成违约，应承担相应的法律责任。",
        f"现特函告贵方：请于收到本函之日起七日内向我方委托人支付{f.money(f.principal, capital=True)}及违约金{amount_yuan(f.penalty)}。"
        f"逾期未付的，我方委托人将依法向{f.court.name}提起诉讼，并申请财产保全，由此产生的诉讼费、保全费、律师费等全部费用"
        "均由贵方承担。",
        amount_summary(f),
        "我方委托人已掌握的证据包括：",
        *evidence_lines(f),
        "如贵方对上述事实有异议，请于收到本函之日起七日内以书面形式提出并附相应证据；逾期未提出的，视为贵方认可上述事实及金额。",
        "本函仅为督促贵方履行义务之用，不构成我方委托人对任何权利的放弃；我方委托人保留通过诉讼、仲裁等一切合法途径追究贵方法律责任的权利。",
        "请贵方慎重对待，切勿自误。",
        f"{firm}",
        f"律师：{ours.agent or f.owner}",
        d(sent),
        f"【归档备注】本函送达回执已存档；该争议后经{f.court.name}立案，案号{f.first_number}。",
    ]
    return "律师函", paras


def _power_of_attorney(f: CaseFacts) -> tuple[str, list[str]]:
    ours = f.ours
    firm = ours.agent_firm or "北京市中伦律师事务所"
    agent = ours.agent or f.owner
    paras = [
        "授权委托书",
        f"委托人：{ours.name}，住所地{ours.address}。"
        + (f"法定代表人：{ours.representative}，{ours.position}。" if ours.is_company else ""),
        f"受委托人：{agent}，{firm}律师。",
        f"受委托人：{f.team[1]}，{ours.name}{f.department}员工。",
        f"现委托上列受委托人在{f.plaintiff.name}与{f.defendant.name}{f.cause}一案（案号：{f.first_number}）中，作为我方诉讼代理人。",
        *parties_block(f),
        amount_summary(f),
        "本案争议焦点：",
        *dispute_focus(f),
        f"代理人{agent}的代理权限为特别授权：代为起诉或应诉，代为承认、放弃、变更诉讼请求，进行和解、调解，提起反诉或者上诉，"
        "代为申请财产保全和强制执行，代为签收法律文书，代为领取案款。",
        f"代理人{f.team[1]}的代理权限为一般授权：代为参加庭审、提交证据、发表质证和辩论意见，代为签收法律文书。",
        f"本委托书的有效期限自签署之日起至本案一审、二审及执行程序终结之日止。委托事项涉及的争议金额为{amount_yuan(f.principal)}。",
        f"委托人：{ours.name}（盖章）",
        f"法定代表人（签字）：{ours.representative or ours.name}",
        d(later(f.filing_date, -5)),
        f"附：本案主要法律依据为{f.statutes[0]}及{f.procedure[0]}，受委托人已知悉并确认。",
        "法定代表人身份证明书",
        f"{ours.representative or ours.name}在我单位任{ours.position or '负责人'}职务，系{ours.name}的法定代表人。特此证明。"
        if ours.is_company
        else f"委托人{ours.name}系本人亲自签署本授权委托书。特此说明。",
        f"{ours.name}　{d(later(f.filing_date, -5))}",
        f"{firm}函",
        f"{f.court.name}：",
        f"根据{ours.name}的委托，本所指派{agent}律师担任其与{f.theirs.name}{f.cause}一案的诉讼代理人，特此函告。",
        f"本案案号为{f.first_number}。争议发生后的往来经过如下：" + "".join(history(f)),
        "本案主要证据：",
        *evidence_lines(f),
        f"本所地址及律师联系方式详见所附律师执业证复印件。　{firm}　{d(later(f.filing_date, -5))}",
    ]
    return "授权委托书", paras


def _evidence_list(f: CaseFacts) -> tuple[str, list[str]]:
    items = evidence_items(f)
    paras = [
        "证据目录",
        f"案号：{f.first_number}",
        f"提交人：{f.ours.name}（{f.we_represent}）",
        f"提交日期：{d(later(f.filing_date, 20))}",
        *parties_block(f),
        *[
            f"证据{CN_ORDINALS[i]}：{name}；证明目的：{aim}；页码：{3 * i + 1}—{3 * i + 3}。"
            for i, (name, aim) in enumerate(items)
        ],
        "以上证据均为复印件，原件将于开庭时当庭出示。",
        "质证要点提示：",
        *dispute_focus(f),
        amount_summary(f),
        f"证明事项综述：{narrative(f)[0]}{narrative(f)[-1]}",
        "补充证据（往来函件）：" + "".join(history(f)),
        *quoted_statutes(f),
        f"我方依据{'、'.join(f.statutes)}主张权利，上述证据足以证明对方欠付{amount_yuan(f.principal)}的事实。",
        f"提交人：{f.ours.name}　经办人：{f.owner}",
    ]
    return "证据目录", paras
