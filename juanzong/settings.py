"""Typed settings read from the environment.

Every backend is chosen by a URL; none has to be set for the embedded default, where
everything lives under one data directory (``JUANZONG_DATA_DIR``).  A wrong value fails at
start-up with a message that names the variable.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value the product cannot use."""


def _int(env: dict[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    storage_url: str
    search_url: str
    broker_url: str
    secret_key: str
    max_upload_bytes: int
    # Limits that protect the extractors from hostile input.
    max_docx_uncompressed_bytes: int
    max_docx_ratio: int
    # A DOCX whose main part (word/document.xml) with its notes and comments inflates past
    # this is read block by block (lxml iterparse) instead of as one python-docx tree, which
    # costs about 3 MB (plain paragraphs) to 10 MB (Word's run markup) per MB of XML (measured).
    docx_stream_bytes: int
    worker_concurrency: int
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_embedded_broker(self) -> bool:
        return self.broker_url.startswith("filesystem://")

    @property
    def broker_folder(self) -> Path:
        """Folder of the server-less filesystem broker (embedded mode only)."""
        rest = self.broker_url[len("filesystem://") :]
        return Path(rest) if rest else self.data_dir / "broker"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.is_embedded_broker:
            (self.broker_folder / "queue").mkdir(parents=True, exist_ok=True)
            (self.broker_folder / "processed").mkdir(parents=True, exist_ok=True)


def _secret_key(env: dict[str, str], data_dir: Path) -> str:
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key, encoding="ascii")
    path.chmod(0o600)
    return key


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("JUANZONG_DATA_DIR") or "var").expanduser().resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'juanzong.db'}"
    storage_url = env.get("STORAGE_URL") or f"file://{data_dir / 'objects'}"
    search_url = env.get("SEARCH_URL") or f"tantivy://{data_dir / 'index'}"
    broker_url = env.get("BROKER_URL") or f"filesystem://{data_dir / 'broker'}"
    for name, value, schemes in (
        ("DATABASE_URL", database_url, ("sqlite:", "postgresql:", "postgresql+psycopg:")),
        ("STORAGE_URL", storage_url, ("file://", "s3://", "minio://")),
        ("SEARCH_URL", search_url, ("tantivy://", "http://", "https://")),
        ("BROKER_URL", broker_url, ("filesystem://", "redis://", "rediss://")),
    ):
        if not value.startswith(schemes):
            raise SettingsError(f"{name} must start with one of {', '.join(schemes)}; got {value!r}")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        storage_url=storage_url,
        search_url=search_url,
        broker_url=broker_url,
        secret_key=_secret_key(env, data_dir),
        max_upload_bytes=_int(env, "JUANZONG_MAX_UPLOAD_MB", 200, minimum=1) * 1024 * 1024,
        max_docx_uncompressed_bytes=_int(env, "JUANZONG_MAX_DOCX_UNCOMPRESSED_MB", 512, minimum=1)
        * 1024
        * 1024,
        max_docx_ratio=_int(env, "JUANZONG_MAX_DOCX_RATIO", 200, minimum=2),
        docx_stream_bytes=_int(env, "JUANZONG_DOCX_STREAM_MB", 1) * 1024 * 1024,
        worker_concurrency=_int(env, "JUANZONG_WORKER_CONCURRENCY", 1, minimum=1),
        extra={k: v for k, v in env.items() if k.startswith("JUANZONG_")},
    )
