"""The composition root: builds the backends named by the settings, once per process.

Everything else receives these objects; nothing else reads URLs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine, make_session_factory
from archive.storage import ObjectStore, open_store
from juanzong.settings import Settings, load_settings
from search.api import SearchIndex, open_index


@dataclass
class Runtime:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @cached_property
    def store(self) -> ObjectStore:
        return open_store(self.settings.storage_url)

    @cached_property
    def index(self) -> SearchIndex:
        return open_index(self.settings.search_url)

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()
        if "engine" in self.__dict__:
            self.engine.dispose()


_lock = threading.Lock()
_current: Runtime | None = None


def get_runtime() -> Runtime:
    """The process-wide runtime, built from the environment on first use."""
    global _current
    with _lock:
        if _current is None:
            settings = load_settings()
            settings.ensure_dirs()
            _current = Runtime(settings)
        return _current


def set_runtime(runtime: Runtime | None) -> None:
    """Install a runtime (tests, the CLI after parsing options)."""
    global _current
    with _lock:
        if _current is not None and _current is not runtime:
            _current.close()
        _current = runtime
