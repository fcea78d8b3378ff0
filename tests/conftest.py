"""Shared fixtures: every test gets its own data directory, database, store and index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.db import session_scope
from archive.migrate import upgrade
from archive.models import Role, User
from archive.users import create_user
from juanzong.runtime import Runtime, set_runtime
from juanzong.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    s = load_settings({"JUANZONG_DATA_DIR": str(data), "SECRET_KEY": "test-secret"})
    s.ensure_dirs()
    return s


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    upgrade(settings.database_url)
    rt = Runtime(settings)
    set_runtime(rt)
    yield rt
    set_runtime(None)
    rt.close()


@pytest.fixture
def make_user(runtime: Runtime):
    def _make(
        username: str = "zhangsan",
        *,
        password: str = "password-123",
        role: Role = Role.LAWYER,
        department: str = "法务部",
        display_name: str = "张三",
    ) -> User:
        with session_scope(runtime.sessions) as s:
            return create_user(
                s,
                username=username,
                password=password,
                display_name=display_name,
                role=role,
                department=department,
            )

    return _make
