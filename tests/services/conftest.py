"""Fixtures for the tests that run against real servers (see scripts/services/).

Each ``*_url`` fixture reads the variable printed by ``scripts/services/all.sh env`` and
skips the test with a ``SERVICE-MISSING:`` reason when it is not set.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.services.service_urls import service_url, with_path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return service_url("postgres")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return service_url("redis")


@pytest.fixture(scope="session")
def minio_url() -> str:
    return service_url("minio")


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    return service_url("elasticsearch")


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server (dropped afterwards); yields its URL."""
    import psycopg
    from psycopg import sql

    name = f"jz_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name))
        )
    try:
        yield with_path(postgres_url, name)
    finally:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def redis_test_url(redis_url: str) -> Iterator[str]:
    """Redis database 15 of the test server, empty before and after the test."""
    import redis

    url = with_path(redis_url, "15")
    client = redis.Redis.from_url(url, socket_timeout=5)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
