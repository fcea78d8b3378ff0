"""Celery tasks: thin wrappers around the domain code."""

from __future__ import annotations

from celery import shared_task

from ingest import pipeline
from ingest.celery_app import EXTRACT_TASK
from juanzong.runtime import get_runtime


@shared_task(name=EXTRACT_TASK, ignore_result=True)
def extract_document(document_id: int) -> None:
    """Extract, store and index one document (idempotent: safe to run again)."""
    pipeline.process_document(get_runtime(), int(document_id))
