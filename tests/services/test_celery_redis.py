"""Celery over the real Redis broker: the product's app sends, a consumer receives, and a
message taken by a consumer that is killed before acknowledging comes back."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery

from ingest.celery_app import EXTRACT_TASK, QUEUE, make_celery
from juanzong.runtime import Runtime
from juanzong.settings import load_settings

pytestmark = pytest.mark.service("redis")

REPO = Path(__file__).resolve().parents[2]

# A consumer that takes the message and dies at once, as a worker killed mid-task would.
_KILLED_CONSUMER = """
import os, signal, sys
from ingest.celery_app import QUEUE, make_celery
from juanzong.settings import load_settings

env = {"JUANZONG_DATA_DIR": sys.argv[1], "SECRET_KEY": "x", "BROKER_URL": sys.argv[2]}
app = make_celery(load_settings(env))
with app.connection_for_read() as conn:
    def on_message(body, message):
        os.kill(os.getpid(), signal.SIGKILL)
    with conn.Consumer(app.amqp.queues[QUEUE], callbacks=[on_message], accept=["json"]):
        conn.drain_events(timeout=20)
"""


def _app(tmp_path: Path, broker_url: str) -> Celery:
    settings = load_settings(
        {"JUANZONG_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "test", "BROKER_URL": broker_url}
    )
    assert not settings.is_embedded_broker
    return make_celery(settings)


def _receive(app: Celery, *, within: float) -> list[tuple[str, list]]:
    """Messages on the ingest queue, acknowledged, as (task name, args)."""
    received: list[tuple[str, list]] = []

    def on_message(body, message) -> None:
        received.append((message.headers["task"], body[0]))
        message.ack()

    deadline = time.monotonic() + within
    with app.connection_for_read() as conn:
        with conn.Consumer(app.amqp.queues[QUEUE], callbacks=[on_message], accept=["json"]):
            while not received and time.monotonic() < deadline:
                try:
                    conn.drain_events(timeout=0.5)
                except TimeoutError:
                    pass
    return received


def test_extraction_task_travels_through_redis(tmp_path: Path, redis_test_url: str):
    app = _app(tmp_path, redis_test_url)
    assert app.conf.broker_url == redis_test_url
    assert app.conf.task_acks_late is True
    app.send_task(EXTRACT_TASK, args=[42], queue=QUEUE)

    server = redis.Redis.from_url(redis_test_url)
    try:
        assert server.llen(QUEUE) == 1
        message = json.loads(server.lindex(QUEUE, 0))
        assert message["headers"]["task"] == EXTRACT_TASK
        args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
        assert (args, kwargs) == ([42], {})

        assert _receive(app, within=5) == [(EXTRACT_TASK, [42])]
        assert server.llen(QUEUE) == 0
        assert server.hlen("unacked") == 0
    finally:
        server.close()


def test_enqueue_extraction_uses_the_runtime_broker(tmp_path: Path, redis_test_url: str):
    from ingest.celery_app import enqueue_extraction

    settings = load_settings(
        {"JUANZONG_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "test", "BROKER_URL": redis_test_url}
    )
    enqueue_extraction(Runtime(settings), 7)
    assert _receive(make_celery(settings), within=5) == [(EXTRACT_TASK, [7])]


@pytest.mark.slow
def test_message_of_a_killed_consumer_is_delivered_again(tmp_path: Path, redis_test_url: str):
    app = _app(tmp_path, redis_test_url)
    app.send_task(EXTRACT_TASK, args=[99], queue=QUEUE)
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_CONSUMER, str(tmp_path / "data"), redis_test_url],
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr.decode(errors="replace")
    server = redis.Redis.from_url(redis_test_url)
    try:
        assert server.llen(QUEUE) == 0
        assert server.hlen("unacked") == 1  # taken, never acknowledged: kept by the broker
    finally:
        server.close()

    # The broker gives an unacknowledged message back once its visibility timeout has passed
    # (one second here; the product's setting decides how long a real task may run).
    time.sleep(1.2)
    again = _app(tmp_path, redis_test_url)
    again.conf.broker_transport_options = {"visibility_timeout": 1}
    assert _receive(again, within=10) == [(EXTRACT_TASK, [99])]
