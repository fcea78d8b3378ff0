"""The Elasticsearch of scripts/services/: the client speaks its major version, and the
distribution (integ-test-zip, no analysis plugins or modules) has what Chinese bigram recall
needs: the standard tokenizer (one token per Han character) and the shingle filter."""

from __future__ import annotations

from collections.abc import Iterator

import elasticsearch
import pytest
from elasticsearch import Elasticsearch

pytestmark = pytest.mark.service("elasticsearch")


@pytest.fixture
def es(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    client = Elasticsearch(elasticsearch_url, request_timeout=10)
    yield client
    client.close()


def test_client_major_version_matches_the_server(es: Elasticsearch):
    nodes = es.nodes.info(filter_path="nodes.*.version")["nodes"]
    server_majors = {node["version"].split(".")[0] for node in nodes.values()}
    client_major = elasticsearch.__versionstr__.split(".")[0]
    assert server_majors == {client_major}, (
        f"elasticsearch client {elasticsearch.__versionstr__} cannot talk to server "
        f"{sorted(n['version'] for n in nodes.values())}: pin the client to the server's major version"
    )


def test_cluster_is_healthy(es: Elasticsearch):
    assert es.cluster.health(wait_for_status="yellow", timeout="10s")["status"] in ("yellow", "green")


def test_han_bigrams_need_no_plugin(es: Elasticsearch):
    tokens = es.indices.analyze(
        tokenizer="standard",
        filter=[
            "lowercase",
            {
                "type": "shingle",
                "min_shingle_size": 2,
                "max_shingle_size": 2,
                "output_unigrams": False,
                "token_separator": "",
            },
        ],
        text="买卖合同纠纷",
    )["tokens"]
    assert [t["token"] for t in tokens] == ["买卖", "卖合", "合同", "同纠", "纠纷"]
    singles = es.indices.analyze(tokenizer="standard", text="京0105民初")["tokens"]
    assert [t["token"] for t in singles] == ["京", "0105", "民", "初"]
