"""Placeholder so archive imports; replaced by the search package's parser."""


class CaseNumberError(ValueError):
    pass


def parse_case_number(text):  # pragma: no cover - replaced
    raise CaseNumberError("未实现")
