"""The domain and its records: cases, documents, users, audit trail, and the object-store port."""
