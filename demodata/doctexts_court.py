# ruff: noqa: E501 - Chinese prose templates: CJK characters count double width
"""Court-facing documents: judgments, complaints, appeals, applications and the hearing record."""

from __future__ import annotations

import random

from demodata.doctexts_common import (
    CN_ORDINALS,
    amount_summary,
    awarded_penalty,
    claims,
    d,
    defence,
    dispute_focus,
    evidence_items,
    evidence_lines,
    history,
    judgment_orders,
    later,
    narrative,
    quoted_statutes,
    reasoning,
    statute_list,
)
from demodata.numerals import amount_yuan, cn_date_numerals
from demodata.text import CaseFacts
from demodata.vocab import appeal_court_name


def judgment(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    p, df = f.plaintiff, f.defendant
    appeal_to = appeal_court_name(f.court)
    paras = [
        f.court.name,
        "民 事 判 决 书",
        f.first_number,
        p.description(),
        df.description(),
        f"原告{p.name}与被告{df.name}{f.cause}一案，本院于{d(f.filing_date)}立案后，依法适用普通程序，"
        f"于{d(f.hearing_date)}公开开庭进行了审理。原告{p.name}的委托诉讼代理人{p.agent or '本人'}，"
        f"被告{df.name}的委托诉讼代理人{df.agent or '本人'}到庭参加诉讼。本案现已审理终结。",
        f"{p.name}向本院提出诉讼请求：" + "".join(claims(f)),
        "事实和理由："
        + "".join(narrative(f))
        + f"根据{statute_list(f, 2)}的规定，被告应当承担相应的法律责任。",
        defence(f),
        "当事人围绕诉讼请求依法提交了证据，本院组织当事人进行了证据交换和质证。对当事人无异议的证据，本院予以确认并在卷佐证。"
        "根据当事人陈述和经审查确认的证据，本院认定事实如下：",
        *narrative(f),
        "另查明，双方在履行过程中存在如下往来：" + "".join(history(f)),
        f"另查明，{p.name}为本案支付了律师代理费，并于{d(later(f.filing_date, 3))}向本院申请财产保全，交纳保全费5,000元。",
        *reasoning(f),
        "本案适用的法律规定如下：" + "".join(quoted_statutes(f)),
        f"综上所述，依照{'、'.join(f.statutes)}，{f.procedure[1]}之规定，判决如下：",
        *judgment_orders(f),
        "如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条规定，"
        "加倍支付迟延履行期间的债务利息。",
        f"案件受理费{f.court_fee:,}元，由原告{p.name}负担{f.court_fee // 5:,}元，被告{df.name}负担{f.court_fee - f.court_fee // 5:,}元。",
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按照对方当事人或者代表人的人数提出副本，"
        f"上诉于{appeal_to}。",
        f"审 判 长　{f.presiding_judge}",
        f"审 判 员　{f.judges[0]}",
        f"审 判 员　{f.judges[1]}",
        cn_date_numerals(f.judgment_date),
        f"书 记 员　{f.clerk}",
    ]
    return f"民事判决书{f.first_number}", paras


def appeal_judgment(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    if not (f.appeal_number and f.appeal_court and f.appeal_date):
        return judgment(f, rng)
    loser = f.defendant
    winner = f.plaintiff
    paras = [
        f.appeal_court.name,
        "民 事 判 决 书",
        f.appeal_number,
        f"上诉人（原审被告）：{loser.name}，住所地{loser.address}。",
        f"被上诉人（原审原告）：{winner.name}，住所地{winner.address}。",
        f"上诉人{loser.name}因与被上诉人{winner.name}{f.cause}一案，不服{f.court.name}{f.first_number}民事判决，"
        f"向本院提起上诉。本院于{d(f.appeal_date)}立案后，依法组成合议庭进行了审理。本案现已审理终结。",
        f"{loser.name}上诉请求：撤销一审判决，改判驳回{winner.name}的全部诉讼请求或发回重审；一、二审诉讼费用由被上诉人负担。"
        "事实和理由：一审判决认定事实不清，适用法律错误。" + defence(f).split("：", 1)[1],
        f"{winner.name}辩称：一审判决认定事实清楚，适用法律正确，请求驳回上诉，维持原判。",
        f"{winner.name}向一审法院起诉请求：" + "".join(claims(f)),
        "一审法院认定事实：" + "".join(narrative(f)),
        f"一审法院认为，{f.contract_name}合法有效，{loser.name}未按约付款构成违约，依照{statute_list(f)}之规定，"
        f"判决{loser.name}支付{amount_yuan(f.principal)}及违约金{amount_yuan(awarded_penalty(f))}。",
        "一审法院另查明：" + "".join(history(f)),
        "本院二审期间，当事人没有提交新证据。本院对一审查明的事实予以确认。",
        "本案二审适用的法律规定如下：" + "".join(quoted_statutes(f, 3)),
        f"本院认为，本案二审的争议焦点为：一审判决认定{loser.name}应支付的款项及违约金数额是否正确。"
        f"根据{f.statutes[0]}、{f.statutes[1]}的规定，{loser.name}在收取对价后未履行付款义务，应承担违约责任。"
        "一审法院综合考量合同履行情况对违约金予以调整，并无不当。上诉人的上诉理由缺乏事实和法律依据，本院不予支持。",
        "综上所述，上诉人的上诉请求不能成立，应予驳回；一审判决认定事实清楚，适用法律正确，应予维持。"
        "依照《中华人民共和国民事诉讼法》第一百七十七条第一款第一项规定，判决如下：",
        "驳回上诉，维持原判。",
        f"二审案件受理费{f.court_fee:,}元，由上诉人{loser.name}负担。",
        "本判决为终审判决。",
        f"审 判 长　{f.presiding_judge}",
        f"审 判 员　{f.judges[0]}",
        f"审 判 员　{f.judges[1]}",
        cn_date_numerals(later(f.appeal_date, 75)),
        f"书 记 员　{f.clerk}",
    ]
    return f"民事判决书{f.appeal_number}", paras


def complaint(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    p, df = f.plaintiff, f.defendant
    evidence = [f"证据{CN_ORDINALS[i]}：{name}，{aim}。" for i, (name, aim) in enumerate(evidence_items(f))]
    paras = [
        "民事起诉状",
        p.description(),
        df.description(),
        f"案由：{f.cause}",
        "诉讼请求：",
        *claims(f),
        "事实与理由：",
        *narrative(f),
        *history(f),
        f"原告认为，{f.contract_name}系双方真实意思表示，合法有效。被告未按约履行义务，严重损害了原告的合法权益。"
        f"根据{'、'.join(f.statutes)}的规定，被告应当承担继续履行及赔偿损失等违约责任。",
        *quoted_statutes(f),
        f"为维护原告的合法权益，根据{f.procedure[0]}的规定，特向贵院提起诉讼，请求依法判如所请。",
        "此致",
        f.court.name,
        f"具状人：{p.name}",
        d(later(f.filing_date, -7)),
        "附：1.本起诉状副本一份；2.证据材料清单及证据复印件一套；3.原告主体资格证明一份。",
        "证据清单：",
        *evidence,
        f"【立案登记】{f.court.name}立案庭于{d(f.filing_date)}登记立案，案号{f.first_number}，"
        f"预交案件受理费{f.court_fee:,}元。",
    ]
    return "民事起诉状", paras


def appeal(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    loser, winner = f.defendant, f.plaintiff
    appeal_court = appeal_court_name(f.court)
    paras = [
        "民事上诉状",
        f"上诉人（原审被告）：{loser.name}，住所地{loser.address}。",
        f"被上诉人（原审原告）：{winner.name}，住所地{winner.address}。",
        f"上诉人因与被上诉人{f.cause}一案，不服{f.court.name}于{d(f.judgment_date)}作出的{f.first_number}民事判决，现提起上诉。",
        f"一审审理经过：{f.court.name}于{d(f.filing_date)}立案受理，于{d(f.hearing_date)}公开开庭审理，"
        f"于{d(f.judgment_date)}作出判决。一审争议焦点为：" + "".join(dispute_focus(f)),
        "上诉请求：",
        f"1.撤销{f.court.name}{f.first_number}民事判决第一项、第二项，依法改判驳回被上诉人的全部诉讼请求；",
        "2.一、二审诉讼费用由被上诉人负担。",
        "上诉理由：",
        "一、一审判决认定事实错误。" + defence(f).split("：", 1)[1],
        f"二、一审判决适用法律错误。一审法院适用{f.statutes[0]}认定上诉人构成违约，忽视了被上诉人先行违约的事实，"
        f"上诉人依法享有先履行抗辩权，不应承担违约责任，更不应支付违约金{amount_yuan(awarded_penalty(f))}。",
        f"三、一审程序存在瑕疵。上诉人在一审中申请调取被上诉人的财务账册，一审法院未予准许，亦未说明理由，"
        f"违反{f.procedure[1]}的规定。",
        *narrative(f)[1:],
        "四、一审判决对双方往来事实的认定不完整。双方往来情况如下：" + "".join(history(f)),
        "上诉人认为，一审判决所援引的法律规定如下，但其适用前提在本案中并不成立："
        + "".join(quoted_statutes(f, 3)),
        amount_summary(f).replace("争议金额构成", "一审争议金额构成"),
        "五、上诉人在二审中将补充提交质量检验报告及往来邮件，以证明被上诉人存在履行瑕疵。上诉人请求二审法院依法调取被上诉人与第三方的交易记录，"
        "以查明实际损失的数额。",
        "综上，一审判决认定事实不清，适用法律错误，请求二审法院依法改判，支持上诉人的上诉请求。",
        "此致",
        appeal_court,
        f"上诉人：{loser.name}",
        d(later(f.judgment_date, 12)),
    ]
    if f.appeal_number:
        paras.append(
            f"【收案登记】{appeal_court}于{d(f.appeal_date or f.judgment_date)}立案，二审案号{f.appeal_number}。"
        )
    return "民事上诉状", paras


def preservation(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    a, r = f.plaintiff, f.defendant
    paras = [
        "财产保全申请书",
        f"申请人：{a.name}，住所地{a.address}。"
        + (f"法定代表人：{a.representative}。" if a.is_company else ""),
        f"被申请人：{r.name}，住所地{r.address}。"
        + (f"法定代表人：{r.representative}。" if r.is_company else ""),
        "请求事项：",
        f"请求依法冻结被申请人{r.name}名下银行存款{f.money(f.principal + f.penalty, capital=True)}，"
        "或者查封、扣押其同等价值的其他财产。",
        "事实与理由：",
        f"申请人与被申请人{f.cause}一案，已由贵院于{d(f.filing_date)}立案受理，案号为{f.first_number}。",
        *narrative(f),
        *history(f),
        *quoted_statutes(f, 2),
        "鉴于被申请人经营状况持续恶化，存在转移、隐匿财产的可能，可能导致将来的生效判决难以执行，"
        "为保障申请人的合法权益，根据《中华人民共和国民事诉讼法》第一百零三条的规定，特提出财产保全申请。",
        f"申请人自愿以{rng.choice(('诉讼财产保全责任保险', '银行保函', '自有房产'))}提供担保，如因申请错误给被申请人造成损失，申请人愿承担赔偿责任。",
        "财产线索："
        + "；".join(
            f"被申请人在{bank}开立的基本存款账户"
            for bank in rng.sample(("中国工商银行", "招商银行", "中国建设银行", "兴业银行"), k=2)
        )
        + "。",
        amount_summary(f),
        "申请人提交的初步证据如下：",
        *evidence_lines(f),
        f"申请人承诺：如被申请人提供相应担保，申请人同意解除保全；如保全错误，申请人愿意赔偿被申请人因保全所遭受的损失。"
        f"保全担保由{rng.choice(('中国人民财产保险股份有限公司', '中国平安财产保险股份有限公司', '中国太平洋财产保险股份有限公司'))}出具保函。",
        "此致",
        f.court.name,
        f"申请人：{a.name}",
        d(later(f.filing_date, 3)),
    ]
    return "财产保全申请书", paras


def hearing(f: CaseFacts, rng: random.Random) -> tuple[str, list[str]]:
    p, df = f.plaintiff, f.defendant
    pa, da = p.agent or "原告本人", df.agent or "被告本人"
    room = rng.randint(1, 30)
    evidence = evidence_items(f)
    lines = [
        f"时间：{d(f.hearing_date)}上午9时30分至11时50分",
        f"地点：{f.court.name}第{room}法庭",
        f"案号：{f.first_number}",
        f"案由：{f.cause}",
        f"审判人员：审判长{f.presiding_judge}，审判员{f.judges[0]}、{f.judges[1]}",
        f"书记员：{f.clerk}",
        "书记员：请肃静。现在宣布法庭纪律：诉讼参与人应当遵守法庭规则，未经许可不得录音、录像和摄影，不得随意走动和进入审判区。"
        "请全体起立，请审判长、审判员入庭。",
        f"审判长：请坐下。{f.court.name}今天依法公开开庭审理原告{p.name}诉被告{df.name}{f.cause}一案。现在核对当事人身份。",
        f"原告代理人：原告{p.name}，住所地{p.address}。委托诉讼代理人{pa}，{p.agent_firm or '——'}律师，特别授权代理。",
        f"被告代理人：被告{df.name}，住所地{df.address}。委托诉讼代理人{da}，{df.agent_firm or '——'}律师，一般授权代理。",
        "审判长：双方对对方出庭人员身份有无异议？",
        "原告代理人：无异议。",
        "被告代理人：无异议。",
        f"审判长：经核对，双方出庭人员符合法律规定，可以参加本案诉讼。本案由审判员{f.presiding_judge}担任审判长，"
        f"与审判员{f.judges[0]}、{f.judges[1]}组成合议庭，书记员{f.clerk}担任法庭记录。当事人是否申请回避？",
        "原告代理人：不申请。",
        "被告代理人：不申请。",
        "审判长：下面进行法庭调查。由原告陈述诉讼请求及事实和理由。",
        "原告代理人：诉讼请求如下：" + "".join(claims(f)),
        "原告代理人：事实和理由以起诉状为准。" + narrative(f)[0],
        "审判长：被告进行答辩。",
        "被告代理人：" + defence(f).split("：", 1)[1],
        "审判长：下面进行举证质证。原告举证。",
        *[f"原告代理人：证据{CN_ORDINALS[i]}，{name}，{aim}。" for i, (name, aim) in enumerate(evidence[:4])],
        "审判长：被告发表质证意见。",
        "被告代理人：对证据一的真实性、合法性、关联性均无异议；对证据二的真实性无异议，但对证明目的有异议，"
        f"该证据不能证明原告主张的金额{amount_yuan(f.principal)}；对证据三、证据四的真实性有异议，应以原件为准。",
        "审判长：被告是否有证据提交？",
        f"被告代理人：有。证据一，{d(later(f.breach_date, -20))}的质量异议函，证明原告履行存在瑕疵；证据二，付款凭证，证明被告已部分付款。",
        "审判长：原告质证。",
        "原告代理人：质量异议函我方从未收到，对其真实性不认可；付款凭证已在对账时扣除，不影响欠款金额。",
        f"审判长：被告，对账单上的印章是否为你方加盖？{d(f.breach_date)}的对账金额你方是否认可？",
        "被告代理人：印章是真实的，但对账单系财务人员在未经授权的情况下加盖，对金额我方保留意见。",
        "审判长：原告，请陈述双方发生争议后的往来经过。",
        "原告代理人：" + "".join(history(f)),
        "审判长：被告，对上述往来经过有无异议？",
        "被告代理人：对时间节点没有异议，但我方回复中的分期还款承诺是附条件的，原告未接受条件，承诺不生效。",
        "审判长：法庭调查结束。下面进行法庭辩论，双方围绕争议焦点发表辩论意见：一、被告是否构成违约；二、违约金是否过高。",
        f"原告代理人：被告在对账单上盖章确认欠款，依照{f.statutes[0]}应当承担违约责任；违约金系双方约定，不存在过高情形。",
        f"被告代理人：即使构成违约，原告的实际损失远低于其主张的违约金{amount_yuan(f.penalty)}，"
        f"请求法庭依照{f.statutes[1]}予以调整。",
        "审判长：双方是否还有新的辩论意见？",
        "原告代理人：没有。",
        "被告代理人：没有。",
        "审判长：法庭辩论结束。下面由双方作最后陈述。",
        "原告代理人：坚持诉讼请求。",
        "被告代理人：请求驳回原告的诉讼请求。",
        "审判长：双方是否同意在法庭主持下进行调解？",
        "原告代理人：同意调解，被告一次性付清欠款的，可以适当减免违约金。",
        "被告代理人：需要回去向公司请示，庭后三日内答复。",
        "审判长：鉴于双方当庭未能达成调解协议，本庭将在合议后依法作出裁判。现在休庭。双方庭后核对笔录无误后签字。",
        f"原告代理人（签字）：{pa}　被告代理人（签字）：{da}",
        f"审判长：{f.presiding_judge}　书记员：{f.clerk}",
    ]
    return f"庭审笔录{f.first_number}", lines
