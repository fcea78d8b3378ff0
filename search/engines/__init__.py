"""Search engines behind ``search.api.SearchIndex``: the embedded tantivy engine (default)
and, later, Elasticsearch. Callers go through ``search.open_index``."""
