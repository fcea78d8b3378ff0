"""Dispatch: the generator for each document type code (archive.doctypes.DocType values)."""

from __future__ import annotations

import random
from collections.abc import Callable

from demodata import doctexts_court as court
from demodata import doctexts_internal as internal
from demodata import doctexts_records as records
from demodata.text import CaseFacts

Generator = Callable[[CaseFacts, random.Random], tuple[str, list[str]]]

LEGAL_DOC_VARIANTS: dict[str, Generator] = {
    "judgment": court.judgment,
    "appeal_judgment": court.appeal_judgment,
    "complaint": court.complaint,
    "contract": records.contract,
    "appeal": court.appeal,
    "preservation": court.preservation,
}
OTHER_VARIANTS = ("lawyer_letter", "power_of_attorney", "evidence_list")

GENERATORS: dict[str, Generator] = {
    "lead_form": internal.lead_form,
    "plan": internal.plan,
    "investigation": internal.investigation,
    "analysis": internal.analysis,
    "strategy": internal.strategy,
    "hearing": court.hearing,
    "tracking": records.tracking,
    "closing": records.closing,
}


def generate(
    doc_type: str, facts: CaseFacts, rng: random.Random, *, variant: str = ""
) -> tuple[str, list[str]]:
    """(title, paragraphs) of one document; raises ValueError for an unknown type or variant."""
    if doc_type == "legal_doc":
        try:
            return LEGAL_DOC_VARIANTS[variant or "judgment"](facts, rng)
        except KeyError:
            raise ValueError(f"unknown legal_doc variant {variant!r}") from None
    if doc_type == "other":
        if variant and variant not in OTHER_VARIANTS:
            raise ValueError(f"unknown other variant {variant!r}")
        return records.other(facts, rng, variant)
    try:
        gen = GENERATORS[doc_type]
    except KeyError:
        raise ValueError(f"unknown document type {doc_type!r}") from None
    return gen(facts, rng)
