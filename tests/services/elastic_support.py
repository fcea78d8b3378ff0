"""Throw-away Elasticsearch indices for tests: a unique alias prefix per index, and every
index and template of that alias deleted on ``close()``."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from search.engines.elastic import ElasticIndex
from tests.services.service_urls import service_url

TEST_PREFIX = "jz-test-"


class ThrowawayElasticIndex(ElasticIndex):
    def close(self) -> None:
        try:
            self.drop()
        finally:
            super().close()


def elastic_url(prefix: str, **params: str) -> str:
    """The test server's URL with an index prefix (skips when the server is not configured)."""
    parts = urlsplit(service_url("elasticsearch"))
    query = "&".join(f"{k}={v}" for k, v in {"prefix": prefix, **params}.items())
    return urlunsplit(parts._replace(query=query))


def throwaway_elastic_index(tmp_path: Path | None = None) -> ThrowawayElasticIndex:
    """An empty index under a fresh alias ``jz-test-<hex>-documents``, dropped by ``close()``."""
    index = ThrowawayElasticIndex.from_url(elastic_url(f"{TEST_PREFIX}{uuid.uuid4().hex[:16]}"))
    assert isinstance(index, ThrowawayElasticIndex)
    return index
