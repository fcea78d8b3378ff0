"""Celery tasks: thin wrappers around the domain code."""

from __future__ import annotations

from celery import shared_task

from ingest import indexing, maintenance, pipeline
from ingest.celery_app import EXTRACT_TASK, FLUSH_TASK, RECONCILE_TASK
from juanzong.runtime import get_runtime


@shared_task(name=EXTRACT_TASK, ignore_result=True)
def extract_document(document_id: int) -> None:
    """Extract and store one document; the index takes it in a group commit (idempotent)."""
    pipeline.process_document(get_runtime(), int(document_id), flush=False)


@shared_task(name=FLUSH_TASK, ignore_result=True)
def flush_index() -> None:
    """Index every ready document, one index commit per batch (idempotent)."""
    indexing.flush_ready(get_runtime())


@shared_task(name=RECONCILE_TASK, ignore_result=True)
def reconcile() -> None:
    """Re-queue stuck documents and index what the index lacks: after a crash, or after an
    upgrade that started the index afresh (a new index schema)."""
    maintenance.reconcile(get_runtime())
