"""The Elasticsearch ``SEARCH_URL``: ``http(s)://[user:password@]host:port[/path][?prefix=…&timeout=…]``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

DEFAULT_PREFIX = "juanzong"
ALIAS_SUFFIX = "-documents"
REQUEST_TIMEOUT_S = 10.0

_PREFIX_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,150}")


@dataclass(frozen=True)
class ElasticLocation:
    host: str  # scheme://host:port[/path], without credentials
    basic_auth: tuple[str, str] | None
    alias: str  # <prefix>-documents
    timeout: float  # seconds per request

    @classmethod
    def parse(cls, url: str) -> ElasticLocation:
        """Raises ValueError (English) for anything but a well-formed URL."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an Elasticsearch URL: {url!r}")
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        unknown = set(params) - {"prefix", "timeout"}
        if unknown:
            raise ValueError(f"unknown Elasticsearch URL parameter(s): {', '.join(sorted(unknown))}")
        prefix = params.get("prefix", DEFAULT_PREFIX)
        if not _PREFIX_RE.fullmatch(prefix):
            raise ValueError(
                f"Elasticsearch index prefix must be lower-case letters, digits, - or _: {prefix!r}"
            )
        try:
            timeout = float(params.get("timeout", REQUEST_TIMEOUT_S))
        except ValueError:
            raise ValueError(
                f"Elasticsearch timeout must be a number of seconds: {params['timeout']!r}"
            ) from None
        if not timeout > 0:
            raise ValueError(f"Elasticsearch timeout must be positive: {timeout}")
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port:
            netloc += f":{parts.port}"
        auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
        return cls(
            host=urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", "")),
            basic_auth=auth,
            alias=prefix + ALIAS_SUFFIX,
            timeout=timeout,
        )
