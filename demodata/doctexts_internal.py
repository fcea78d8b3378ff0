# ruff: noqa: E501 - Chinese prose templates: CJK characters count double width
"""In-house documents of the case file: lead form, plan, investigation, analysis, strategy and approval."""

from __future__ import annotations

import random
from decimal import Decimal

from demodata.doctexts_common import (
    amount_summary,
    awarded_penalty,
    claims,
    d,
    dispute_focus,
    evidence_items,
    evidence_lines,
    history,
    later,
    narrative,
    quoted_statutes,
)
from demodata.numerals import amount_yuan
from demodata.text import CaseFacts


def lead_form(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    ours, theirs = f.ours, f.theirs
    source = rng.choice(("业务部门报送", "合同履约监控预警", "客户委托", "对方发函"))
    rows = [
        f"案源编号：AY-{f.lead_date.year}-{rng.randint(1, 300):04d}",
        f"登记日期：{d(f.lead_date)}",
        f"案源来源：{source}",
        f"报送部门：{rng.choice(('销售中心', '采购部', '财务部', '人力资源部', '工程管理部'))}",
        f"我方当事人：{ours.name}（{f.we_represent}）",
        f"对方当事人：{theirs.name}" + (f"，法定代表人{theirs.representative}" if theirs.is_company else ""),
        f"对方住所地：{theirs.address}",
        f"案由（初步判断）：{f.cause}",
        f"争议标的：{f.subject}",
        f"争议金额：{f.money(f.principal, capital=True)}，另有违约金{amount_yuan(f.penalty)}",
        f"合同名称及编号：{f.contract_name}，{f.contract_no}，签订日期{d(f.contract_date)}",
        f"违约（争议）发生日期：{d(f.breach_date)}",
        f"诉讼时效届满日（初步）：{d(later(f.breach_date, 365 * 3))}",
        f"拟管辖法院：{f.court.name}",
        "简要案情：" + "".join(narrative(f)),
        "往来经过：" + "".join(history(f)),
        amount_summary(f),
        "初步争议焦点：" + "".join(dispute_focus(f)),
        "现有证据（初步）：",
        *evidence_lines(f),
        f"法律依据（初步）：{'、'.join(f.statutes[:3])}",
        "依据要点：" + "".join(quoted_statutes(f, 3)),
        f"利益冲突审查：经检索，我方与{theirs.name}之间无其他未决案件，不存在利益冲突。",
        f"初步评估：证据较为充分，胜诉可能性较高，建议立案处理。预计律师费用{amount_yuan(f.court_fee * 3)}。",
        f"承办部门：{f.department}　负责人：{f.owner}　经办人：{f.team[1]}",
        f"部门负责人意见：同意立案，由{f.owner}牵头，{f.team[1]}、{f.team[2]}协助。　签字：{f.team[2]}　{d(later(f.lead_date, 2))}",
        f"分管领导意见：同意。请于{d(later(f.lead_date, 30))}前提交案件处理计划。",
        f"关联案号（立案后补录）：{'、'.join(f.court_numbers)}",
    ]
    return "案源信息登记表", rows


def plan(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    steps = [
        (later(f.lead_date, 7), f"完成证据收集与整理，重点调取{f.contract_name}原件、付款凭证及对账记录"),
        (later(f.lead_date, 14), f"向{f.theirs.name}发送律师函，催告其履行义务，并固定送达证据"),
        (later(f.lead_date, 21), f"完成对{f.theirs.name}的财产线索调查，评估申请财产保全的必要性"),
        (later(f.filing_date, -7), f"起草起诉状及证据目录，报{f.department}负责人审核"),
        (f.filing_date, f"向{f.court.name}提交立案材料，同步申请财产保全"),
        (later(f.hearing_date, -10), "准备庭审提纲、质证意见及代理词，组织模拟庭审"),
        (f.hearing_date, "出庭应诉，庭后三日内提交书面代理意见"),
    ]
    paras = [
        "案件处理计划",
        f"案件名称：{f.plaintiff.name}诉{f.defendant.name}{f.cause}案",
        f"关联案号：{f.first_number}",
        f"编制人：{f.owner}　编制日期：{d(later(f.lead_date, 10))}　承办部门：{f.department}",
        "一、案件基本情况",
        *narrative(f),
        "争议发生后的往来经过：",
        *history(f),
        amount_summary(f),
        *dispute_focus(f),
        "二、工作目标",
        f"1.主要目标：通过诉讼程序确认{f.theirs.name}的违约责任，追回{amount_yuan(f.principal)}及违约金；",
        "2.次要目标：在不低于欠款本金百分之九十的前提下，争取通过调解尽快回款，控制诉讼成本；",
        "3.风险控制目标：防止对方转移财产，确保判决能够得到有效执行。",
        "三、工作步骤与时间安排",
        *[f"{i + 1}.{d(day)}前：{task}；" for i, (day, task) in enumerate(steps)],
        "四、人员分工",
        f"负责人{f.owner}：总体协调、诉讼策略及对外沟通；{f.team[1]}：证据整理、文书起草；{f.team[2]}：财产调查、程序事务。",
        "五、法律依据",
        f"本案主要适用{'、'.join(f.statutes)}，程序上适用{'、'.join(f.procedure)}。",
        *quoted_statutes(f, 3),
        "六、风险与应对",
        f"1.对方可能以质量瑕疵为由抗辩，需提前准备验收记录；2.违约金{amount_yuan(f.penalty)}可能被法院调减，"
        "应准备实际损失的证据；3.对方偿债能力存疑，应尽早申请财产保全。",
        "七、费用预算",
        f"案件受理费约{f.court_fee:,}元，保全费5,000元，保全担保费约{f.court_fee // 4:,}元，差旅及其他费用约8,000元。",
    ]
    return "案件处理计划", paras


def investigation(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    theirs = f.theirs
    witness = f.team[1]
    capital = amount_yuan(f.principal * 3)
    paras = [
        "调查笔录",
        f"调查时间：{d(later(f.lead_date, 12))}14时00分至15时40分",
        f"调查地点：{f.ours.name}会议室",
        f"调查人：{f.owner}、{f.team[2]}　记录人：{f.team[2]}",
        f"被调查人：{witness}，{f.ours.name}业务经办人员",
        f"关联案件：{f.plaintiff.name}与{f.defendant.name}{f.cause}，案号{f.first_number}",
        f"问：请介绍一下与{theirs.name}的业务往来情况。",
        f"答：我们与{theirs.name}于{d(f.contract_date)}签订了{f.contract_name}，合同编号是{f.contract_no}，我是经办人。",
        "问：合同签订后的履行情况如何？",
        "答：" + narrative(f)[1],
        "问：对方最后一次确认欠款是什么时候？金额是多少？",
        f"答：是{d(f.breach_date)}，对方财务在对账单上盖了章，确认欠款{amount_yuan(f.principal)}。",
        "问：对方有没有提出过质量异议或者其他抗辩？",
        "答：口头上提过几次，但从来没有发过书面的异议函，我们的验收单对方都签了字。",
        "问：你还掌握哪些证据？",
        "答：微信聊天记录里对方负责人承诺过分期付款，我已经截图保存，原始手机也保留着。",
        "问：以上陈述是否属实？",
        "答：属实。",
        f"被调查人签字：{witness}　{d(later(f.lead_date, 12))}",
        "企业信用信息查询摘要",
        f"企业名称：{theirs.name}",
        f"住所：{theirs.address}",
        f"法定代表人：{theirs.representative or theirs.name}",
        f"注册资本：{capital}",
        f"成立日期：{d(later(f.contract_date, -365 * rng.randint(3, 12)))}",
        "登记状态：存续（在营、开业、在册）",
        f"涉诉情况：近三年作为被告涉诉{rng.randint(3, 25)}件，其中{f.cause}{rng.randint(1, 6)}件，存在被列为被执行人的记录。",
        "财产线索",
        f"1.银行账户：{theirs.name}在中国工商银行{f.court.name[:2]}分行开立基本存款账户；",
        f"2.不动产：{theirs.address}办公用房一处，已设定抵押；",
        f"3.对外投资：持有{rng.choice(('上海', '深圳', '杭州'))}{rng.choice(('启明', '云帆', '星河'))}科技有限公司百分之三十股权；",
        f"4.应收账款：对第三方存在应收账款约{amount_yuan(f.principal // 2)}。",
        "调查笔录（二）",
        f"被调查人：{f.team[2]}，{f.ours.name}财务部会计",
        "问：请说明与对方的款项往来及对账情况。",
        f"答：{amount_summary(f)}对账单由我方财务与对方财务共同核对，双方均加盖了财务专用章。",
        "问：对方是否就欠款提出过书面异议？",
        "答：没有收到过书面异议。对方财务人员在电话中表示欠款属实，只是资金紧张需要延期。",
        "问：相关凭证是否保存完好？",
        "答：合同原件、对账单原件、银行回单均已归档保存，电子版已上传至公司合同管理系统。",
        "往来函件及款项核对",
        *history(f),
        "已收集的书证：",
        *evidence_lines(f),
        f"调查结论：对方具备一定偿债能力，但资金紧张，建议在起诉时同步申请财产保全，保全金额不低于{amount_yuan(f.principal + f.penalty)}。",
        f"法律依据：{f.statutes[0]}、{f.procedure[0]}。",
    ]
    return "调查资料", paras


def analysis(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    win = rng.choice((65, 70, 75, 80, 85))
    penalty = awarded_penalty(f)
    paras = [
        "案件分析报告",
        f"案件：{f.plaintiff.name}诉{f.defendant.name}{f.cause}，案号{f.first_number}",
        f"报告人：{f.owner}　报送：{f.department}负责人　日期：{d(later(f.filing_date, 10))}",
        "一、基本案情",
        *narrative(f),
        f"{f.plaintiff.name}的诉讼请求为：" + "".join(claims(f)),
        "争议发生后的往来：" + "".join(history(f)),
        "二、争议焦点",
        f"1.{f.contract_name}的效力及履行情况；",
        f"2.{f.defendant.name}是否构成违约，欠款金额是否为{amount_yuan(f.principal)}；",
        f"3.约定的违约金{amount_yuan(f.penalty)}是否过高，法院是否会依申请予以调整。",
        "三、法律分析",
        "本案涉及的主要法律规定：",
        *quoted_statutes(f),
        f"（一）关于合同效力。{f.contract_name}系双方真实意思表示，根据《中华人民共和国民法典》第一百四十三条，"
        "不违反法律、行政法规的强制性规定，不违背公序良俗，应认定为有效。",
        f"（二）关于违约责任。根据{f.statutes[0]}、{f.statutes[1]}的规定，一方不履行合同义务的，应当承担违约责任。"
        f"对方已在对账单上确认欠款，我方证据链较为完整。",
        f"（三）关于违约金调整。根据{f.statutes[2]}及司法实践，约定的违约金超过造成损失的百分之三十的，"
        f"一般可以认定为过分高于造成的损失。预计法院可能将违约金调整至{amount_yuan(penalty)}左右。",
        f"（四）关于程序问题。本案由{f.court.name}管辖，符合{f.procedure[0]}的规定。",
        "四、证据分析",
        *[f"{i + 1}.{name}：{aim}。证明力较强。" for i, (name, aim) in enumerate(evidence_items(f))],
        "五、诉讼风险评估",
        f"综合评估，我方胜诉可能性约为百分之{win}。主要风险在于：对方提出质量抗辩并申请鉴定，可能延长审理周期；"
        f"对方资产状况不佳，存在执行不能的风险；违约金可能被调减，调减幅度约{amount_yuan(f.penalty - penalty)}。",
        "六、结论与建议",
        f"1.坚持以诉讼方式解决，诉讼请求金额为{amount_yuan(f.principal + f.penalty)}；",
        "2.立案同时申请财产保全，优先冻结对方银行存款；",
        f"3.在对方一次性支付本金的前提下，可接受违约金减至{amount_yuan(penalty)}的调解方案；",
        f"4.如一审判决后对方上诉，由{f.owner}继续承办二审程序。",
    ]
    return "案件分析报告", paras


def strategy(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    floor = (f.principal * Decimal("0.9")).quantize(Decimal("0.01"))
    approver = rng.choice(("总法律顾问", "分管副总裁", "首席合规官"))
    paras = [
        "案件处理策略及审批表",
        f"案件名称：{f.plaintiff.name}诉{f.defendant.name}{f.cause}案",
        f"案号：{'、'.join(f.court_numbers)}",
        f"承办部门：{f.department}　负责人：{f.owner}　申请日期：{d(later(f.filing_date, -10))}",
        "一、案件概况",
        narrative(f)[0],
        narrative(f)[-1],
        *history(f),
        amount_summary(f),
        "主要争议焦点：",
        *dispute_focus(f),
        "二、处理策略",
        f"（一）诉讼策略：以{f.contract_name}及对账单为核心证据，主张{amount_yuan(f.principal)}及违约金{amount_yuan(f.penalty)}，"
        f"援引{'、'.join(f.statutes[:2])}作为请求权基础。",
        f"（二）保全策略：立案同时向{f.court.name}申请财产保全，以诉讼财产保全责任保险提供担保，保全金额{amount_yuan(f.principal + f.penalty)}。",
        f"（三）调解策略：调解底线为一次性回款不低于{amount_yuan(floor)}，违约金可视回款进度全部或部分减免；"
        "分期付款的，须增加担保人或设定抵押。",
        "（四）舆情与合规：本案不涉及监管处罚和重大舆情，按一般诉讼案件管理，定期向管理层报告进展。",
        "请求权基础：" + "".join(quoted_statutes(f, 3)),
        "（五）备选方案比较：方案一为直接起诉并申请保全，回款确定性高但周期较长，预计六至十个月；"
        "方案二为先行诉前调解，周期短、成本低，但对方可能借机转移财产；方案三为转让债权，可迅速回笼资金但需折价百分之二十以上。"
        "经比较，建议采用方案一，同时在诉讼中保持调解渠道畅通。",
        "三、授权事项",
        f"申请授权承办人{f.owner}代表公司参加诉讼、调解及执行程序，在上述底线范围内签署调解协议；超出底线的，须另行报批。",
        "四、费用预算",
        f"诉讼费{f.court_fee:,}元，保全费5,000元，律师费{amount_yuan(f.court_fee * 3)}，合计不超过{amount_yuan(f.court_fee * 4 + 5000)}。",
        "五、审批意见",
        f"承办人意见：建议按上述策略处理。　签字：{f.owner}　{d(later(f.filing_date, -10))}",
        f"部门负责人意见：同意，请注意诉讼时效及保全时限。　签字：{f.team[2]}　{d(later(f.filing_date, -8))}",
        f"{approver}意见：同意按上述策略处理，调解方案须报我审批后方可签署。　签字：{rng.choice(('周', '吴', '郑'))}"
        f"{rng.choice(('明', '华', '宁'))}　{d(later(f.filing_date, -6))}",
        "六、附件",
        f"1.{f.contract_name}复印件；2.对账单；3.案件分析报告；4.财产线索调查报告。",
    ]
    return "案件处理策略及审批文件", paras
