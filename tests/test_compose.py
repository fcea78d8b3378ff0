"""docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker engine: the
structure compose relies on (health checks, start order, volumes), the environment the code
reads, and the commands and checks the containers run (run here for real where they can be)."""

from __future__ import annotations

import ast
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archive.migrate import upgrade
from archive.storage_s3 import S3Location
from ingest.worker import Heartbeat
from juanzong.runtime import set_runtime
from juanzong.settings import load_settings
from search.engines.elastic_url import ElasticLocation

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("archive", "ingest", "search", "web", "juanzong")
APP_SERVICES = ("init", "web", "worker")
BACKENDS = ("postgres", "redis", "minio", "elasticsearch")
SECRETS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "MINIO_ROOT_PASSWORD", "SECRET_KEY")
DATA_PATHS = {
    "postgres": "/var/lib/postgresql/data",
    "redis": "/data",
    "minio": "/data",
    "elasticsearch": "/usr/share/elasticsearch/data",
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_ENV_HOLDERS = {"env", "environ", "extra"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _holder(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def variables_read_by_the_code() -> set[str]:
    """Every environment variable the product code reads: ``env.get("X")``, ``env["X"]``,
    ``os.environ.get("X")``, ``settings.extra.get("X")``, ``_int(env, "X", …)``, with names
    given as literals or as module-level constants."""
    found: set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = {
                target.id: node.value.value
                for node in tree.body
                if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                for target in node.targets
                if isinstance(target, ast.Name)
            }

            def name_of(node: ast.expr) -> str | None:
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(node, ast.Name):
                    value = constants.get(node.id)  # noqa: B023 - used within this iteration
                return value if isinstance(value, str) and _ENV_NAME.fullmatch(value) else None

            for node in ast.walk(tree):
                candidate = None
                if isinstance(node, ast.Call) and node.args:
                    func = node.func
                    if (
                        isinstance(func, ast.Attribute)
                        and func.attr == "get"
                        and _holder(func.value) in _ENV_HOLDERS
                    ):
                        candidate = name_of(node.args[0])
                    elif isinstance(func, ast.Attribute) and func.attr == "getenv":
                        candidate = name_of(node.args[0])
                    elif isinstance(func, ast.Name) and func.id == "_int" and len(node.args) > 1:
                        candidate = name_of(node.args[1])
                elif isinstance(node, ast.Subscript) and _holder(node.value) in _ENV_HOLDERS:
                    candidate = name_of(node.slice)
                if candidate:
                    found.add(candidate)
    return found


def documented_env() -> dict[str, str]:
    """The reference ``.env`` in docs/deploy.md (the first fenced block after "## .env")."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    match = re.search(r"^## \.env.*?```dotenv\n(.*?)```", text, re.S | re.M)
    assert match, "docs/deploy.md has no reference .env block"
    pairs = (line.split("=", 1) for line in match.group(1).splitlines() if line and not line.startswith("#"))
    return {k.strip(): v.strip() for k, v in pairs}


def filled_env() -> dict[str, str]:
    """The documented ``.env`` with its secrets filled in, as an administrator would."""
    return documented_env() | {name: f"{name.lower().replace('_', '')}0123456789abcdef" for name in SECRETS}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${X}``, ``${X:-default}`` and ``${X:?error}`` (the error if X is unset)."""

    def one(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if env.get(name):
            return env[name]
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return _VAR.sub(one, value)


# -- structure ----------------------------------------------------------------------------------


def test_services(compose: dict):
    assert set(compose["services"]) == {*APP_SERVICES, *BACKENDS}


def test_every_long_running_service_has_a_health_check(compose: dict):
    services = compose["services"]
    for name, service in services.items():
        if name == "init":
            assert "healthcheck" not in service and service["restart"] == "no"
            continue
        test = service["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
        assert service["restart"] == "unless-stopped", name
    checks = {name: " ".join(s["healthcheck"]["test"]) for name, s in services.items() if name != "init"}
    assert "pg_isready" in checks["postgres"]
    assert "redis-cli ping" in checks["redis"]
    assert "/minio/health/live" in checks["minio"]
    assert "/_cluster/health" in checks["elasticsearch"]
    assert "http://127.0.0.1:8000/login" in checks["web"]
    assert "WorkerHeartbeat" in checks["worker"]


def test_web_and_worker_start_after_init_and_healthy_backends(compose: dict):
    services = compose["services"]
    expected = {"init": {"condition": "service_completed_successfully"}}
    expected |= {name: {"condition": "service_healthy"} for name in BACKENDS}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == expected, name
    assert services["init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["init"]["command"] == ["juanzong", "init"]
    assert services["worker"]["command"] == ["juanzong", "worker"]
    assert (
        services["web"]["command"][0] == "gunicorn" and services["web"]["command"][-1] == "web:create_app()"
    )


def test_named_volumes_are_declared_and_hold_every_stateful_service(compose: dict):
    declared = set(compose["volumes"])
    used: set[str] = set()
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source, target = mount.split(":")[:2]
            assert not source.startswith((".", "/")), f"{name} mounts a host path: {mount}"
            used.add(source)
            if name in DATA_PATHS and target == DATA_PATHS[name]:
                assert source in declared
        if name in DATA_PATHS:
            assert any(m.split(":")[1] == DATA_PATHS[name] for m in service["volumes"]), name
    assert used == declared


def test_only_the_web_server_is_published(compose: dict):
    published = {name: s["ports"] for name, s in compose["services"].items() if "ports" in s}
    assert published == {"web": ["${JUANZONG_HTTP_BIND:-127.0.0.1}:${JUANZONG_HTTP_PORT:-8000}:8000"]}


# -- environment ----------------------------------------------------------------------------------


def test_the_scanner_finds_the_settings():
    assert {
        "JUANZONG_DATA_DIR",
        "DATABASE_URL",
        "STORAGE_URL",
        "SEARCH_URL",
        "BROKER_URL",
        "SECRET_KEY",
        "JUANZONG_MAX_UPLOAD_MB",
        "JUANZONG_WORKER_CONCURRENCY",
        "JUANZONG_BROKER_VISIBILITY_TIMEOUT",
        "JUANZONG_COOKIE_SECURE",
        "SSL_CERT_FILE",
    } <= variables_read_by_the_code()


def test_every_variable_the_code_reads_is_set_for_the_application(compose: dict):
    wanted = variables_read_by_the_code()
    services = compose["services"]
    for name in APP_SERVICES:
        missing = wanted - set(services[name]["environment"])
        assert not missing, (
            f"{name} lacks {sorted(missing)}: add them to x-juanzong-env in docker-compose.yml"
        )
    assert (
        services["web"]["environment"] == services["worker"]["environment"] == services["init"]["environment"]
    )


def test_secrets_come_from_the_env_file_and_are_documented(compose: dict):
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    documented = documented_env()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"(:?[-?][^}]*)?\}", text)
        assert uses and all(u.startswith(":?") for u in uses), f"{name} must be required, with no default"
        assert documented.get(name) == "", f"docs/deploy.md's .env must list {name}, empty"
    # Every optional value documented is the default the compose file uses.
    defaults = {m.group(1): m.group(3) for m in _VAR.finditer(text) if m.group(2) == "-"}
    optional = {k: v for k, v in documented.items() if k not in SECRETS}
    assert optional == {k: defaults[k] for k in optional}
    assert set(defaults) <= set(documented) | {"JUANZONG_VERSION", "SSL_CERT_FILE"}
    with pytest.raises(KeyError, match="^'SECRET_KEY: set SECRET_KEY in .env'$"):
        interpolate(compose["services"]["web"]["environment"]["SECRET_KEY"], {})


def test_the_interpolated_environment_is_valid_for_the_code(compose: dict, tmp_path: Path):
    documented = filled_env()
    env = {
        k: interpolate(str(v), documented) for k, v in compose["services"]["worker"]["environment"].items()
    }
    env["JUANZONG_DATA_DIR"] = str(tmp_path)  # the container's path does not exist here
    settings = load_settings(env)
    assert settings.secret_key == documented["SECRET_KEY"]
    assert (
        settings.database_url
        == f"postgresql://juanzong:{documented['POSTGRES_PASSWORD']}@postgres:5432/juanzong"
    )
    assert settings.broker_url == f"redis://:{documented['REDIS_PASSWORD']}@redis:6379/0"
    assert not settings.is_embedded_broker
    storage = S3Location.parse(settings.storage_url)
    assert (storage.endpoint, storage.bucket, storage.secure) == ("minio:9000", "juanzong-originals", False)
    assert storage.secret_key == documented["MINIO_ROOT_PASSWORD"]
    assert ElasticLocation.parse(settings.search_url).alias == "juanzong-documents"
    assert settings.max_upload_bytes == 200 * 1024 * 1024 and settings.worker_concurrency == 2
    # The same credentials on both sides of each connection.
    backend_env = {
        k: interpolate(str(v), documented) for k, v in compose["services"]["minio"]["environment"].items()
    }
    assert (backend_env["MINIO_ROOT_USER"], backend_env["MINIO_ROOT_PASSWORD"]) == (
        storage.access_key,
        storage.secret_key,
    )
    postgres = compose["services"]["postgres"]["environment"]
    assert interpolate(postgres["POSTGRES_PASSWORD"], documented) == documented["POSTGRES_PASSWORD"]
    redis_command = [interpolate(str(a), documented) for a in compose["services"]["redis"]["command"]]
    assert redis_command[redis_command.index("--requirepass") + 1] == documented["REDIS_PASSWORD"]


# -- what the containers run ----------------------------------------------------------------------


def test_gunicorn_loads_the_app_named_in_the_web_command(
    compose: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from gunicorn.util import import_app

    for name in ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUANZONG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "compose-test")
    set_runtime(None)
    try:
        app = import_app(compose["services"]["web"]["command"][-1])
        assert app.config["SECRET_KEY"] == "compose-test"
        assert app.test_client().get("/login").status_code == 200
    finally:
        set_runtime(None)


def test_the_web_health_check_is_valid_python(compose: dict):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    compile(test[3], "healthcheck", "exec")


def test_the_worker_health_check_follows_the_heartbeat(compose: dict, tmp_path: Path):
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUANZONG_") and not k.endswith("_URL")}
    env.update(JUANZONG_DATA_DIR=str(tmp_path), SECRET_KEY="compose-test")
    settings = load_settings(env)
    upgrade(settings.database_url)

    def check() -> int:
        return subprocess.run([sys.executable, "-c", test[3]], cwd=ROOT, env=env, timeout=60).returncode

    assert check() == 1  # no worker
    beat = Heartbeat(settings)
    assert beat.hostname.startswith(socket.gethostname() + ":")
    beat.beat()
    assert check() == 0
    beat.stop()  # a stopped worker removes its row
    assert check() == 1


def test_dockerfile_builds_a_non_root_image_from_the_lock_file():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+) AS (\S+)$", text, re.M)
    assert stages[-1] == ("python:3.11-slim", "app")  # the default target
    app = text[text.index("FROM python:3.11-slim AS app") :]
    assert "pip install -c requirements.lock '.[scaled]'" in app
    users = re.findall(r"^USER (\S+)$", app, re.M)
    assert users == ["juanzong"]
    assert re.search(r"useradd --system --uid 10001", app)
    # The MinIO stage builds the version the tests run against.
    script = (ROOT / "scripts" / "services" / "minio.sh").read_text(encoding="utf-8")
    pinned = re.search(r'^MINIO_VERSION="\$\{JUANZONG_MINIO_VERSION:-(\S+)\}"', script, re.M)
    assert pinned and f"ARG MINIO_MODULE_VERSION={pinned.group(1)}" in text


def test_dockerignore_keeps_secrets_and_local_state_out():
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"  # nothing but what is let in below
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == {"pyproject.toml", "requirements.lock", "README.md", *PRODUCT, "demodata"}
    copied: set[str] = set()
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            copied.update(source.rstrip("/") for source in line.split()[1:-1])
    assert copied == allowed  # everything the image needs, and nothing else
