"""Where the service-backed tests find their servers, and how they say a server is missing.

``scripts/services/all.sh up`` starts the servers; ``eval "$(scripts/services/all.sh env)"``
sets the variables read here. A test whose server is absent is skipped with a reason that
starts with ``SERVICE-MISSING:`` (CI greps for it), or fails outright when
``JUANZONG_REQUIRE_SERVICES=1`` is set.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

MISSING = "SERVICE-MISSING:"
START_HINT = "start it with scripts/services/all.sh up"

# service → (environment variable, name in messages)
SERVICES: dict[str, tuple[str, str]] = {
    "postgres": ("JUANZONG_TEST_POSTGRES_URL", "PostgreSQL"),
    "redis": ("JUANZONG_TEST_REDIS_URL", "Redis"),
    "minio": ("JUANZONG_TEST_MINIO_URL", "MinIO"),
    "elasticsearch": ("JUANZONG_TEST_ELASTICSEARCH_URL", "Elasticsearch"),
}


def missing_reason(service: str) -> str:
    variable, label = SERVICES[service]
    return f"{MISSING} {label} not running: {START_HINT} (and set {variable})"


def service_url(service: str) -> str:
    """The server's URL from the environment, or skip (fail under JUANZONG_REQUIRE_SERVICES)."""
    variable, _ = SERVICES[service]
    url = os.environ.get(variable, "").strip()
    if url:
        return url
    if os.environ.get("JUANZONG_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes"):
        pytest.fail(missing_reason(service), pytrace=False)
    pytest.skip(missing_reason(service))


def with_bucket(url: str, bucket: str) -> str:
    """The same S3 URL pointing at another bucket."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{bucket}"))


def with_path(url: str, path: str) -> str:
    """The same server URL with another path (database name, Redis db number)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{path}"))
