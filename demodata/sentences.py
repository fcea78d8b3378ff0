# ruff: noqa: E501 - Chinese prose templates: CJK characters count double width
"""Single legal sentences with fresh names, amounts, dates, statutes and 案号, for plain document bodies."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from demodata import vocab
from demodata.numerals import amount_yuan, article, cn_date

if TYPE_CHECKING:
    from demodata.text import TextGenerator

_TEMPLATES: tuple[Callable[[TextGenerator, _Values], str], ...] = (
    lambda g, v: f"{v['c1']}与{v['c2']}于{v['d']}签订{v['k']}，约定由{v['c1']}向{v['c2']}供应{v['goods']}。",
    lambda g, v: f"经核算，截至{v['d']}，{v['c2']}尚欠{v['c1']}货款{v['amt']}未予支付。",
    lambda g, v: "本院认为，依法成立的合同，对当事人具有法律约束力，当事人应当按照约定全面履行自己的义务。",
    lambda g, v: (
        f"根据{v['law']}之规定，当事人一方不履行合同义务的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。"
    ),
    lambda g, v: f"{v['court']}于{v['d']}立案受理{v['c1']}诉{v['c2']}{v['cause']}一案，案号为{v['no']}。",
    lambda g, v: f"原告{v['p1']}向本院提出诉讼请求：判令被告{v['p2']}偿还借款本金{v['amt']}及相应利息。",
    lambda g, v: (
        f"被告{v['c2']}辩称，双方之间的结算金额尚未最终确认，原告主张的违约金明显过高，请求法院予以调整。"
    ),
    lambda g, v: (
        f"审判长{v['p1']}宣布开庭，并核对当事人身份，告知当事人依法享有的诉讼权利和应承担的诉讼义务。"
    ),
    lambda g, v: (
        f"上述事实，有{v['k']}、送货单、增值税专用发票、银行回单及当事人陈述等证据在案佐证，本院予以确认。"
    ),
    lambda g, v: (
        f"{v['c1']}不服{v['court']}{v['no']}民事判决，向本院提起上诉，本院于{v['d']}立案后依法组成合议庭进行了审理。"
    ),
    lambda g, v: f"案件受理费{v['fee']}元，减半收取计{v['half']}元，由被告{v['c2']}负担。",
    lambda g, v: (
        f"如果未按本判决指定的期间履行给付金钱义务，应当依照{vocab.CIVIL_PROCEDURE}第二百六十四条之规定，加倍支付迟延履行期间的债务利息。"
    ),
    lambda g, v: (
        f"申请人{v['c1']}于{v['d']}向本院申请财产保全，请求冻结被申请人{v['c2']}名下银行存款{v['amt']}或查封其等值财产。"
    ),
    lambda g, v: f"承办律师{v['p1']}于{v['d']}前往{v['court']}查阅案卷，并复制了庭审笔录及证据材料。",
    lambda g, v: f"经调查，{v['c2']}的注册资本为{v['amt']}，法定代表人为{v['p2']}，目前登记状态为存续。",
    lambda g, v: (
        f"关于违约金的标准，双方在{v['k']}中约定{v['rate']}，该约定不违反法律、行政法规的强制性规定。"
    ),
    lambda g, v: (
        f"被申请人{v['p2']}未在指定期间内履行{v['no']}民事判决书确定的义务，申请人遂向本院申请强制执行。"
    ),
    lambda g, v: f"本案争议焦点为：一、{v['k']}是否已经解除；二、{v['c2']}应否支付违约金及其数额如何确定。",
    lambda g, v: (
        f"{v['p1']}于{v['d']}入职{v['c1']}，担任{v['post']}一职，双方签订了期限为三年的书面劳动合同。"
    ),
    lambda g, v: (
        f"依照{v['law']}、{v['law2']}的规定，判决如下：被告{v['c2']}于本判决生效之日起十日内支付原告{v['c1']}{v['amt']}。"
    ),
    lambda g, v: f"法务部{v['p1']}建议在{v['d']}前完成证据补强，重点收集对账单、往来函件和催款记录。",
    lambda g, v: f"{v['c1']}持有{v['tm']}，核定使用商品为第九类计算机软件等，该商标至今仍在有效期内。",
    lambda g, v: (
        f"租赁期间，承租人{v['c2']}自{v['d']}起拖欠租金及物业服务费合计{v['amt']}，经出租人多次催告仍未支付。"
    ),
    lambda g, v: (
        f"{v['c1']}作为承包人承建{v['proj']}，工程于{v['d']}竣工验收合格，但发包人至今未支付剩余工程款{v['amt']}。"
    ),
    lambda g, v: (
        f"双方于{v['d']}签订{v['k']}，约定{v['p1']}将其持有的{v['c1']}股权以{v['amt']}的价格转让给{v['p2']}。"
    ),
    lambda g, v: (
        f"本案经{v['court']}主持调解，双方当事人自愿达成如下协议，{v['c2']}于{v['d']}前分期支付{v['amt']}。"
    ),
    lambda g, v: f"截至本报告出具之日，{v['no']}案件已进入执行阶段，执行法院已冻结被执行人银行账户三个。",
    lambda g, v: (
        f"合议庭由审判员{v['p1']}担任审判长，与审判员{v['p2']}、人民陪审员{v['p3']}共同组成，书记员担任记录。"
    ),
)


_COURTS = tuple(vocab.COURTS.values())
_CAUSES = tuple(vocab.CAUSES)
_CONTRACTS = (
    "《采购合同》",
    "《借款协议》",
    "《房屋租赁合同》",
    "《建设工程施工合同》",
    "《股权转让协议》",
    "《技术服务合同》",
    "《补充协议》",
    "《还款承诺书》",
)
_RATES = ("按日万分之五计付违约金", "违约金为合同总价款的百分之二十", "按年利率百分之六计付逾期利息")
_POSTS = ("销售经理", "软件工程师", "财务主管", "项目经理", "行政专员")


def _statute(gen: TextGenerator) -> str:
    law, num = gen.rng.choice(vocab.CAUSES[gen.rng.choice(_CAUSES)])
    return f"{law}{article(num)}"


def _case_number(gen: TextGenerator, v: _Values) -> str:
    court = v.court
    kind = "民终" if len(court.code) == 3 else gen.rng.choice(("民初", "执"))
    return gen.court_case_number(gen.rng.randint(2019, 2026), court.code, kind)


_FACTORIES: dict[str, Callable[[TextGenerator, _Values], str]] = {
    "c1": lambda g, v: g.company_name(g.rng.choice(vocab.CITIES), unique=False),
    "c2": lambda g, v: g.company_name(g.rng.choice(vocab.CITIES), unique=False),
    "p1": lambda g, v: g.person_name(unique=False),
    "p2": lambda g, v: g.person_name(unique=False),
    "p3": lambda g, v: g.person_name(unique=False),
    "d": lambda g, v: cn_date(g.date()),
    "k": lambda g, v: g.rng.choice(_CONTRACTS),
    "goods": lambda g, v: g.rng.choice(vocab.GOODS),
    "amt": lambda g, v: amount_yuan(v.amount),
    "law": lambda g, v: _statute(g),
    "law2": lambda g, v: _statute(g),
    "court": lambda g, v: v.court.name,
    "cause": lambda g, v: g.rng.choice(_CAUSES),
    "no": _case_number,
    "fee": lambda g, v: f"{int(v.amount // 100):,}",
    "half": lambda g, v: f"{int(v.amount // 100) / 2:,.1f}".removesuffix(".0"),
    "rate": lambda g, v: g.rng.choice(_RATES),
    "post": lambda g, v: g.rng.choice(_POSTS),
    "tm": lambda g, v: (
        f"第{g.rng.randint(1_000_000, 39_999_999)}号“{g.rng.choice(vocab.TRADE_NAMES)}”注册商标"
    ),
    "proj": lambda g, v: (
        f"{g.rng.choice(vocab.TRADE_NAMES)}{g.rng.choice(('广场', '科技园', '花园', '中心'))}项目"
    ),
}


class _Values(dict[str, str]):
    """Slot values drawn on first use, so a sentence only pays for the slots it has."""

    def __init__(self, gen: TextGenerator) -> None:
        super().__init__()
        self.gen = gen
        self._court: vocab.Court | None = None
        self._amount: Decimal | None = None

    @property
    def court(self) -> vocab.Court:
        if self._court is None:
            self._court = self.gen.rng.choice(_COURTS)
        return self._court

    @property
    def amount(self) -> Decimal:
        if self._amount is None:
            self._amount = self.gen.amount(20_000, 9_000_000)
        return self._amount

    def __missing__(self, key: str) -> str:
        value = _FACTORIES[key](self.gen, self)
        self[key] = value
        return value


def random_sentence(gen: TextGenerator) -> str:
    """One sentence with freshly drawn entities."""
    template = gen.rng.choice(_TEMPLATES)
    return template(gen, _Values(gen))
