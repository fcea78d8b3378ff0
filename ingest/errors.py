"""The one error type of the ingest path: a code for programs, a Chinese message for the
user, an English detail for the log."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported"
    ZIP_BOMB = "zip_bomb"
    BAD_NAME = "bad_name"
    NO_TEXT = "no_text"  # e.g. a scanned PDF without a text layer (OCR comes later)
    STORAGE_ERROR = "storage_error"
    INDEX_ERROR = "index_error"
    INTERNAL = "internal"  # a bug or an unexpected failure: logged with its traceback


class IngestError(Exception):
    """A file cannot be taken in or processed. ``message_zh`` is shown to the user."""

    def __init__(self, code: ErrorCode | str, message_zh: str, detail_en: str = ""):
        self.code = ErrorCode(code)
        self.message_zh = message_zh
        self.detail_en = detail_en or message_zh
        super().__init__(f"{self.code.value}: {self.detail_en}")


# Messages used in more than one place (and checked verbatim by the tests).
MSG_ENCRYPTED = "文件已加密，需要密码才能打开"
MSG_PDF_CORRUPT = "PDF 文件已损坏或不完整"
MSG_DOCX_CORRUPT = "DOCX 文件已损坏或不完整"
MSG_ZIP_BOMB = "文件疑似压缩炸弹，已拒绝处理"
MSG_NO_TEXT_LAYER = "未检测到文字层（可能是扫描件），暂不支持 OCR"
MSG_NO_TEXT = "文件中没有可提取的文字"
MSG_UNKNOWN_ENCODING = "无法识别文本编码"
MSG_IMAGE = "扫描图片暂不支持"
MSG_EMPTY = "文件为空"
MSG_STORAGE = "存储服务不可用，请稍后重试"
MSG_ORIGINAL_MISSING = "原始文件在存储中找不到"
MSG_INDEX = "搜索索引暂不可用，请稍后重试"
MSG_INTERNAL = "处理时发生内部错误"
