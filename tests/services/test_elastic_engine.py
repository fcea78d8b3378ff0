"""The Elasticsearch engine beyond the shared conformance suite: its URL, failing fast when
the server is down, the index definition, the alias switch of ``rebuild``, and the same
results and snippets as the embedded engine on demo documents.

The URL and down-server tests need no server; the others run against the Elasticsearch of
scripts/services/ (skipped with a SERVICE-MISSING reason when it is not configured).
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from demodata.corpus import build_corpus
from search.analysis import normalize_text
from search.api import IndexDoc, SearchError, SearchRequest, open_index
from search.engines import elastic
from search.engines import elastic_mapping as f
from search.engines.elastic import ElasticIndex
from search.engines.tantivy_engine import TantivyIndex
from tests.services.elastic_support import ThrowawayElasticIndex, elastic_url, throwaway_elastic_index

es_service = pytest.mark.service("elasticsearch")


def _doc(doc_id: int, text: str, case_id: int = 1) -> IndexDoc:
    return IndexDoc(
        doc_id=doc_id,
        case_id=case_id,
        case_name=f"案件{case_id}",
        case_internal_no=f"FW-{case_id:03d}",
        doc_type="法律文书",
        title=f"文书{doc_id}",
        filename=f"{doc_id}.pdf",
        text=normalize_text(text),
        year=2024,
    )


def _found(index: ElasticIndex | TantivyIndex, query: str) -> set[int]:
    return {h.doc_id for h in index.search(SearchRequest(query, per_page=100)).hits}


# -- the URL (no server) ------------------------------------------------------------------------


def test_url_defaults_to_the_juanzong_documents_alias():
    ix = ElasticIndex.from_url("http://127.0.0.1:9200")
    assert (ix.alias, ix.where) == ("juanzong-documents", "http://127.0.0.1:9200")
    assert ix.describe() == "elasticsearch http://127.0.0.1:9200 alias juanzong-documents"
    ix.close()


def test_url_prefix_and_credentials_stay_out_of_the_description():
    ix = open_index("https://elastic:p%40ss@search.example:9243/es/?prefix=firm_a&timeout=3")
    assert isinstance(ix, ElasticIndex)
    assert (ix.alias, ix.where) == ("firm_a-documents", "https://search.example:9243/es")
    assert "p@ss" not in ix.describe()
    ix.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9200?prefix=Firm",
        "http://127.0.0.1:9200?prefix=a/b",
        "http://127.0.0.1:9200?prefix=",
        "http://127.0.0.1:9200?timeout=soon",
        "http://127.0.0.1:9200?timeout=0",
        "http://127.0.0.1:9200?index=x",
        "http://:9200",
    ],
)
def test_bad_url_is_rejected_before_any_connection(url: str):
    with pytest.raises(ValueError):
        ElasticIndex.from_url(url)


# -- a server that is down or silent (no server) ----------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refused_connection_is_a_search_error():
    ix = ElasticIndex.from_url(f"http://127.0.0.1:{_closed_port()}?prefix=jz-down")
    try:
        for call in (
            ix.count,
            ix.doc_ids,
            lambda: ix.search(SearchRequest("合同")),
            lambda: ix.upsert([_doc(1, "合同")]),
        ):
            with pytest.raises(SearchError, match="unreachable"):
                call()
    finally:
        ix.close()


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[bytes]]]:
    """A port that accepts connections and reads requests but never answers."""
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conns.append(conn)
            conn.settimeout(2)
            try:
                received.append(conn.recv(65536))
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(5)
    for conn in conns:
        conn.close()
    server.close()


def test_silent_server_times_out_once_with_a_search_error(silent_server: tuple[int, list[bytes]]):
    port, received = silent_server
    ix = ElasticIndex.from_url(f"http://elastic:p%40ss@127.0.0.1:{port}?prefix=jz-silent&timeout=0.5")
    started = time.monotonic()
    with pytest.raises(SearchError, match="unreachable"):
        ix.count()
    elapsed = time.monotonic() - started
    ix.close()
    # One attempt of 0.5 s: a timeout is not retried, so a hung server costs one timeout.
    assert elapsed < 3.0
    assert len(received) == 1
    token = base64.b64encode(b"elastic:p@ss").decode("ascii")
    assert f"authorization: basic {token}".lower() in received[0].decode("latin-1").lower()


# -- against the server -----------------------------------------------------------------------


@pytest.fixture
def es() -> Iterator[Elasticsearch]:
    from tests.services.service_urls import service_url

    client = Elasticsearch(service_url("elasticsearch"), request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def es_index(es: Elasticsearch) -> Iterator[ThrowawayElasticIndex]:
    ix = throwaway_elastic_index()
    yield ix
    ix.close()


def _alias_indices(es: Elasticsearch, alias: str) -> list[str]:
    return sorted(es.indices.get_alias(name=alias))


@es_service
def test_first_use_creates_template_and_initial_index(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    alias = es_index.alias
    assert es_index.count() == 0
    assert _alias_indices(es, alias) == [f"{alias}-v{f.SCHEMA_VERSION}-initial"]
    [template] = es.indices.get_index_template(name=alias)["index_templates"]
    assert template["index_template"]["index_patterns"] == [f"{alias}-v{f.SCHEMA_VERSION}-*"]
    assert "aliases" not in template["index_template"]["template"]  # a half-built index never joins
    settings = es.indices.get_settings(index=f"{alias}-v{f.SCHEMA_VERSION}-initial")[
        f"{alias}-v{f.SCHEMA_VERSION}-initial"
    ]["settings"]["index"]
    assert (settings["number_of_shards"], settings["max_result_window"]) == ("1", "50000")
    assert settings["analysis"]["analyzer"][f.RANKING_ANALYZER] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", f.BIGRAM_FILTER],
    }
    mapping = es.indices.get_mapping(index=alias)[f"{alias}-v{f.SCHEMA_VERSION}-initial"]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["_source"] == {"excludes": ["grams", "units", "title_grams", "title_units"]}
    assert mapping["_meta"]["schema_version"] == f.SCHEMA_VERSION
    props = mapping["properties"]
    assert (props["grams"]["analyzer"], props["units"]["analyzer"]) == ("whitespace", "whitespace")
    assert (props["text"]["analyzer"], props["case_numbers"]["type"]) == (f.RANKING_ANALYZER, "keyword")


@es_service
def test_ranking_analyzer_gives_han_characters_words_and_bigrams(
    es: Elasticsearch, es_index: ThrowawayElasticIndex
):
    es_index.count()
    tokens = es.indices.analyze(index=es_index.alias, analyzer=f.RANKING_ANALYZER, text="买卖合同ABC 12号")[
        "tokens"
    ]
    assert [t["token"] for t in tokens] == [
        "买",
        "买卖",
        "卖",
        "卖合",
        "合",
        "合同",
        "同",
        "同abc",
        "abc",
        "abc12",
        "12",
        "12号",
        "号",
    ]


@es_service
def test_second_first_use_reuses_the_index(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    es_index.upsert([_doc(1, "买卖合同")])
    other = ElasticIndex.from_url(elastic_url(es_index.alias.removesuffix("-documents")))
    try:
        assert (other.count(), _found(other, "买卖")) == (1, {1})
    finally:
        other.close()
    assert _alias_indices(es, es_index.alias) == [f"{es_index.alias}-v{f.SCHEMA_VERSION}-initial"]


@es_service
def test_rebuild_switches_the_alias_while_searches_go_on(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    es_index.upsert([_doc(1, "旧内容")])
    [before] = _alias_indices(es, es_index.alias)
    reader = ElasticIndex.from_url(elastic_url(es_index.alias.removesuffix("-documents")))
    seen_while_building: list[tuple[int, set[int], set[int]]] = []

    def docs() -> Iterator[IndexDoc]:
        yield _doc(2, "新内容")
        seen_while_building.append((reader.count(), _found(reader, "旧内容"), _found(reader, "新内容")))
        yield _doc(3, "新内容")

    try:
        assert es_index.rebuild(docs()) == 2
        assert seen_while_building == [(1, {1}, set())]
        [after] = _alias_indices(es, es_index.alias)
        assert after != before and after.startswith(f"{es_index.alias}-v{f.SCHEMA_VERSION}-")
        assert not es.indices.exists(index=before)
        assert (reader.count(), reader.doc_ids(), _found(reader, "旧内容")) == (2, {2, 3}, set())
        reader.upsert([_doc(4, "新内容")])  # writes go to the new index too
        assert _found(es_index, "新内容") == {2, 3, 4}
    finally:
        reader.close()


@es_service
def test_failed_rebuild_leaves_the_live_index_alone(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    es_index.upsert([_doc(1, "旧内容")])
    [live] = _alias_indices(es, es_index.alias)

    def broken() -> Iterator[IndexDoc]:
        yield _doc(2, "新内容")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        es_index.rebuild(broken())
    assert es_index.doc_ids() == {1}
    assert sorted(es.indices.get(index=f"{es_index.alias}-*")) == [live]


@es_service
def test_rebuild_removes_indices_left_by_an_interrupted_rebuild(
    es: Elasticsearch, es_index: ThrowawayElasticIndex
):
    es_index.upsert([_doc(1, "旧内容")])
    left_over = f"{es_index.alias}-v{f.SCHEMA_VERSION}-20240101000000000000"
    es.indices.create(index=left_over)
    assert es_index.rebuild([_doc(2, "新内容")]) == 1
    assert sorted(es.indices.get(index=f"{es_index.alias}-*")) == _alias_indices(es, es_index.alias)
    assert not es.indices.exists(index=left_over)


@es_service
def test_clear_switches_to_an_empty_index(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    es_index.upsert([_doc(1, "旧内容"), _doc(2, "旧内容")])
    es_index.clear()
    assert (es_index.count(), es_index.doc_ids()) == (0, set())
    assert len(_alias_indices(es, es_index.alias)) == 1


@es_service
def test_index_deleted_behind_the_engine_is_recreated_not_auto_created(
    es: Elasticsearch, es_index: ThrowawayElasticIndex
):
    es_index.upsert([_doc(1, "合同")])
    es.indices.delete(index=_alias_indices(es, es_index.alias))
    with pytest.raises(SearchError):  # no index with a guessed mapping appears under the alias name
        es_index.upsert([_doc(2, "合同")])
    assert not es.indices.exists(index=es_index.alias)
    es_index.upsert([_doc(2, "合同")])
    assert (es_index.count(), _found(es_index, "合同")) == (1, {2})


@es_service
def test_an_index_in_place_of_the_alias_is_reported(es: Elasticsearch, es_index: ThrowawayElasticIndex):
    es.indices.create(index=es_index.alias)
    try:
        with pytest.raises(SearchError, match="where the alias should be"):
            es_index.count()
    finally:
        es.indices.delete(index=es_index.alias)


@es_service
def test_doc_ids_pages_through_everything(es_index: ThrowawayElasticIndex, monkeypatch: pytest.MonkeyPatch):
    es_index.upsert([_doc(i, "合同") for i in range(1, 8)])
    monkeypatch.setattr(elastic, "DOC_IDS_PAGE", 2)
    assert es_index.doc_ids() == set(range(1, 8))


# -- the same answers as the embedded engine --------------------------------------------------


def _demo_docs() -> tuple[list[IndexDoc], list[str]]:
    docs: list[IndexDoc] = []
    queries = ["合同", "违约金", "判决如下", "诉讼请求", "院", "合同 -判决", "本院认为 原告"]
    for case_id, case in enumerate(build_corpus(seed=7, n_cases=3), start=1):
        numbers = tuple(case.court_numbers.splitlines())
        first = numbers[0]
        queries += [
            case.facts.plaintiff.name,
            first,
            first.replace("（", "〔").replace("）", "〕").removesuffix("号"),
            f"{case.facts.defendant.name} 违约",
        ]
        for spec in case.docs:
            doc_id = len(docs) + 1
            text = normalize_text(spec.text)
            if doc_id % 4 == 0:
                queries.append(f'"{text[200:209]}"')
            docs.append(
                IndexDoc(
                    doc_id=doc_id,
                    case_id=case_id,
                    case_name=case.name,
                    case_internal_no=case.internal_no,
                    doc_type=spec.doc_type,
                    title=spec.title,
                    filename=spec.filename,
                    text=text,
                    year=spec.date.year,
                    court_case_numbers=numbers,
                )
            )
    return docs, queries


@es_service
def test_same_results_snippets_and_facets_as_the_embedded_engine(
    es_index: ThrowawayElasticIndex, tmp_path: Path
):
    docs, queries = _demo_docs()
    embedded = TantivyIndex(tmp_path / "index")
    embedded.upsert(docs)
    es_index.upsert(docs)
    differences = []
    for query in queries:
        request = SearchRequest(query, per_page=100)
        a, b = embedded.search(request), es_index.search(request)
        mine = (a.total, {h.doc_id: (h.snippet_html, h.title, h.year) for h in a.hits}, a.facets)
        theirs = (b.total, {h.doc_id: (h.snippet_html, h.title, h.year) for h in b.hits}, b.facets)
        if mine != theirs:
            differences.append(query)
    assert differences == []
    assert sum(1 for q in queries if embedded.search(SearchRequest(q)).total > 0) >= len(queries) - 3
