"""Realistic Chinese demo case files, generated deterministically from a seed.

- :mod:`demodata.text` — names, courts, 案号, amounts, dates, statutes, 案由; ``TextGenerator``,
  ``CaseFacts``, ``document_paragraphs`` (one document of each type) and ``plain_body`` (fast bodies
  for benchmarks).
- :mod:`demodata.files` — ``write_pdf`` (CID STSong-Light or an embedded TrueType font),
  ``write_long_pdf``, ``write_docx`` (table, nested table, header and footer), ``write_text``.
- :mod:`demodata.corpus` — ``build_corpus`` (case and document specs) and ``write_corpus`` (the files).

The same generator feeds the demo data (``make run``), the tests and the benchmarks.
"""
