"""The Celery app, built from the settings (one per broker URL and process).

Embedded mode: ``filesystem://<folder>`` uses kombu's filesystem transport (messages are
files under ``<folder>/queue``), so no broker server is needed. Scaled mode: ``redis://``
(or ``rediss://``), where a message taken by a worker stays in Redis until the task ends (acks
late); if the worker dies, Redis hands the message out again once
``JUANZONG_BROKER_VISIBILITY_TIMEOUT`` seconds (default 3600) have passed since delivery. Set it
above the longest extraction a worker may run: a task still running when it expires is
delivered a second time (harmless, the task is idempotent, but wasted work).
No result backend: callers watch the document's status in the database instead.
"""

from __future__ import annotations

import threading

from celery import Celery

from juanzong.runtime import Runtime
from juanzong.settings import Settings, SettingsError

EXTRACT_TASK = "ingest.extract_document"
FLUSH_TASK = "ingest.flush_index"  # group commit of ready documents (ingest.indexing)
RECONCILE_TASK = "ingest.reconcile"  # repairs after a crash or an upgrade (ingest.maintenance)
QUEUE = "ingest"
VISIBILITY_TIMEOUT_SETTING = "JUANZONG_BROKER_VISIBILITY_TIMEOUT"
DEFAULT_VISIBILITY_TIMEOUT_S = 3600

_apps: dict[str, Celery] = {}
_lock = threading.Lock()


def visibility_timeout(settings: Settings) -> int:
    """Seconds after which Redis redelivers a message that was taken but never acknowledged."""
    raw = settings.extra.get(VISIBILITY_TIMEOUT_SETTING, "").strip()
    if not raw:
        return DEFAULT_VISIBILITY_TIMEOUT_S
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{VISIBILITY_TIMEOUT_SETTING} must be a whole number of seconds, got {raw!r}"
        ) from None
    if value < 1:
        raise SettingsError(f"{VISIBILITY_TIMEOUT_SETTING} must be at least 1, got {value}")
    return value


def _redis_options(settings: Settings) -> dict[str, object]:
    timeout = visibility_timeout(settings)
    return {
        "visibility_timeout": timeout,
        # Each worker looks for expired messages every tenth of the timeout (1 s to 60 s),
        # scanning Redis on every look, so a lost task comes back soon after it expires.
        "unacked_restore_interval": max(1, min(60, timeout // 10)),
        "unacked_restore_throttle": 1,
    }


def broker_options(settings: Settings) -> tuple[str, dict[str, object]]:
    """The kombu URL and transport options for ``settings.broker_url``."""
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return settings.broker_url, _redis_options(settings)
    if not settings.is_embedded_broker:
        return settings.broker_url, {}
    folder = settings.broker_folder
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://localhost/", {  # the host is ignored; naming one avoids a warning
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.25,
    }


def make_celery(settings: Settings) -> Celery:
    url, transport_options = broker_options(settings)
    app = Celery("juanzong", broker=url, include=["ingest.tasks"], set_as_current=False)
    app.conf.update(
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_routes={EXTRACT_TASK: {"queue": QUEUE}},
        task_serializer="json",
        accept_content=["json"],
        # The filesystem transport has no broadcast worth the polling: no remote control.
        worker_enable_remote_control=not settings.is_embedded_broker,
        worker_send_task_events=False,
        worker_hijack_root_logger=False,
        enable_utc=True,
    )
    return app


def celery_app(settings: Settings) -> Celery:
    """The cached app for these settings' broker."""
    with _lock:
        app = _apps.get(settings.broker_url)
        if app is None:
            app = _apps[settings.broker_url] = make_celery(settings)
        return app


def enqueue_extraction(rt: Runtime, document_id: int) -> None:
    """Send the extraction task for a committed document (call only after the commit)."""
    celery_app(rt.settings).send_task(EXTRACT_TASK, args=[int(document_id)], queue=QUEUE)


def enqueue_flush(rt: Runtime) -> None:
    """Send the index flush task (after the commit that made documents ready)."""
    celery_app(rt.settings).send_task(FLUSH_TASK, queue=QUEUE)


def enqueue_reconcile(rt: Runtime) -> None:
    """Send the reconcile task (a worker does at start)."""
    celery_app(rt.settings).send_task(RECONCILE_TASK, queue=QUEUE)
