"""What only the embedded engine has: several processes sharing one index directory,
the writer lock, generations switched by rebuild."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from search.api import IndexDoc, SearchError, SearchRequest
from search.engines.tantivy_engine import TantivyIndex
from search.engines.tantivy_schema import SCHEMA_VERSION


def _doc(doc_id: int, text: str) -> IndexDoc:
    return IndexDoc(doc_id, 1, "案件", "FW-1", "法律文书", f"文书{doc_id}", f"{doc_id}.pdf", text, 2023)


def _total(ix: TantivyIndex, query: str) -> int:
    return ix.search(SearchRequest(query)).total


def test_a_second_instance_sees_commits_of_the_first(tmp_path: Path) -> None:
    writer_side = TantivyIndex(tmp_path / "index")
    reader_side = TantivyIndex(tmp_path / "index")
    assert _total(reader_side, "合同") == 0
    writer_side.upsert([_doc(1, "买卖合同")])
    assert _total(reader_side, "合同") == 1
    writer_side.delete([1])
    assert _total(reader_side, "合同") == 0


def test_another_process_writes_while_this_one_reads(tmp_path: Path) -> None:
    reader_side = TantivyIndex(tmp_path / "index")
    assert reader_side.count() == 0
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from search.api import IndexDoc
        from search.engines.tantivy_engine import TantivyIndex
        ix = TantivyIndex(Path({str(tmp_path / "index")!r}))
        ix.upsert([IndexDoc(7, 1, "案件", "FW-1", "庭审记录", "笔录", "b.txt", "证人出庭作证", 2023)])
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2], timeout=60)
    assert [h.doc_id for h in reader_side.search(SearchRequest("出庭作证")).hits] == [7]


def test_busy_writer_lock_is_retried_then_reported(tmp_path: Path) -> None:
    holder = TantivyIndex(tmp_path / "index")
    waiter = TantivyIndex(tmp_path / "index", lock_timeout=0.3)
    writer = holder._gen.index.writer(15_000_000, 1)  # another writer holds the lock
    try:
        with pytest.raises(SearchError, match="locked by another writer"):
            waiter.upsert([_doc(1, "买卖合同")])
    finally:
        writer.wait_merging_threads()
    waiter.upsert([_doc(1, "买卖合同")])
    assert _total(holder, "买卖") == 1


def test_rebuild_switches_generation_for_every_instance(tmp_path: Path) -> None:
    a = TantivyIndex(tmp_path / "index")
    b = TantivyIndex(tmp_path / "index")
    a.upsert([_doc(1, "旧内容")])
    old_dir = a._gen.directory
    assert a.rebuild([_doc(2, "新内容"), _doc(3, "新内容")]) == 2
    assert not old_dir.exists()
    assert (b.count(), b.doc_ids(), _total(b, "旧内容")) == (2, {2, 3}, 0)
    b.upsert([_doc(4, "新内容")])  # b writes into the new generation
    assert _total(a, "新内容") == 3
    assert (tmp_path / "index" / "CURRENT").read_text(encoding="ascii").strip() == a._gen.directory.name


def test_failed_rebuild_leaves_the_live_index_alone(tmp_path: Path) -> None:
    ix = TantivyIndex(tmp_path / "index")
    ix.upsert([_doc(1, "旧内容")])

    def broken():
        yield _doc(2, "新内容")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        ix.rebuild(broken())
    assert ix.doc_ids() == {1}
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == ["CURRENT", ix._gen.directory.name]


def test_index_of_another_schema_version_starts_empty(tmp_path: Path) -> None:
    (tmp_path / "index" / "v0-000001").mkdir(parents=True)
    (tmp_path / "index" / "v0-000001" / "meta.json").write_text("{}", encoding="ascii")
    (tmp_path / "index" / "CURRENT").write_text("v0-000001\n", encoding="ascii")
    ix = TantivyIndex(tmp_path / "index")
    assert ix.count() == 0
    assert ix._gen.directory.name == f"v{SCHEMA_VERSION}-000001"
    # The old schema's generation is gone; other files of the directory are left alone.
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == ["CURRENT", f"v{SCHEMA_VERSION}-000001"]
    ix.upsert([_doc(1, "内容")])
    assert ix.count() == 1


def test_paging_arguments_are_clamped(tmp_path: Path) -> None:
    ix = TantivyIndex(tmp_path / "index")
    ix.upsert([_doc(i, "合同") for i in range(1, 4)])
    result = ix.search(SearchRequest("合同", page=0, per_page=1000))
    assert (result.page, result.per_page, len(result.hits)) == (1, 100, 3)


def test_searches_during_a_rebuild_see_the_old_index(tmp_path: Path) -> None:
    ix = TantivyIndex(tmp_path / "index")
    ix.upsert([_doc(1, "旧内容")])
    seen: list[int] = []

    def docs():
        yield _doc(2, "新内容")
        # another thread of this process (a web request) searches mid-rebuild
        t = threading.Thread(target=lambda: seen.append(_total(ix, "旧内容")))
        t.start()
        t.join(timeout=10)
        assert not t.is_alive()
        yield _doc(3, "新内容")

    assert ix.rebuild(docs()) == 2
    assert seen == [1]
    assert (_total(ix, "旧内容"), _total(ix, "新内容")) == (0, 2)


def test_a_long_document_is_indexed_in_parts_read_from_its_chunks(tmp_path: Path) -> None:
    ix = TantivyIndex(tmp_path / "index")
    sentence = "本院经审理查明，双方当事人签订的合同合法有效。"  # 23 characters
    text = sentence * 5000 + "末尾的特别约定条款"  # 115,009 characters: three parts of 50,000
    reads: list[int] = []

    def chunks() -> list[str]:
        reads.append(1)
        return [text[i : i + 4096] for i in range(0, len(text), 4096)]

    long_doc = dataclasses.replace(_doc(7, ""), text_chunks=chunks)
    ix.upsert([long_doc, _doc(8, "短文书：合同合法有效。")])
    assert ix._refresh().index.searcher().num_docs == 3 + 1  # entries: 3 parts, 1 short document
    assert (ix.count(), ix.doc_ids(), len(reads)) == (2, {7, 8}, 1)
    result = ix.search(SearchRequest("合同合法有效"))
    assert (result.total, sorted(h.doc_id for h in result.hits)) == (2, [7, 8])
    assert _total(ix, "特别约定条款 双方当事人") == 1
    assert _total(ix, "特别约定条款 短文书") == 0
    [hit] = ix.search(SearchRequest("特别约定")).hits
    # The last 120 characters: the match is at the very end of the text.
    assert hit.snippet_html == "…" + sentence[4:] + sentence * 4 + "末尾的<mark>特别约定</mark>条款"
    ix.upsert([_doc(7, "改为短文本。")])
    assert ix._refresh().index.searcher().num_docs == 2
    assert _total(ix, "特别约定") == 0
