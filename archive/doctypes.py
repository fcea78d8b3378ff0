"""The ten archive contents of 《案源案件管理办法》 §五(一), in their regulation order."""

from __future__ import annotations

from enum import StrEnum


class DocType(StrEnum):
    LEAD_FORM = "lead_form"
    PLAN = "plan"
    INVESTIGATION = "investigation"
    ANALYSIS = "analysis"
    STRATEGY = "strategy"
    LEGAL_DOC = "legal_doc"
    HEARING = "hearing"
    TRACKING = "tracking"
    CLOSING = "closing"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DOC_TYPE_LABELS[self]

    @property
    def order(self) -> int:
        return list(DocType).index(self) + 1


DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.LEAD_FORM: "案源信息登记表",
    DocType.PLAN: "案件处理计划",
    DocType.INVESTIGATION: "调查资料",
    DocType.ANALYSIS: "案件分析报告",
    DocType.STRATEGY: "案件处理策略及审批文件",
    DocType.LEGAL_DOC: "法律文书",
    DocType.HEARING: "庭审记录",
    DocType.TRACKING: "案件跟踪报告",
    DocType.CLOSING: "结案报告",
    DocType.OTHER: "其他相关材料",
}


def parse_doc_type(value: str | None) -> DocType:
    """Accept the code (``legal_doc``) or the Chinese label (``法律文书``); raise ValueError otherwise."""
    if value is None or value == "":
        return DocType.OTHER
    for dt in DocType:
        if value in (dt.value, dt.label):
            return dt
    choices = "、".join(dt.label for dt in DocType)
    raise ValueError(f"未知的文档类型“{value}”，可选：{choices}")
