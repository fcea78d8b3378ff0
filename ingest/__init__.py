"""Turning a file into a document: validation, type sniffing, text extraction, the Celery
app and its tasks, bulk import."""
