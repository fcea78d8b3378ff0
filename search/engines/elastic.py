"""The scaled search engine: Elasticsearch, through the official client (same major version
as the server).

Every read and write goes through an alias (``juanzong-documents`` by default) that points
at one concrete index ``<alias>-v<schema>-<timestamp>``. ``rebuild`` (``juanzong reindex``)
loads a new concrete index aside, switches the alias in one atomic ``_aliases`` call and
then deletes the old index, so searches never see a missing or half-built index. The
first use creates the index template and an initial index ``<alias>-v<schema>-initial``
holding the alias. Documents are keyed by ``doc_id`` (``_id``), so an upsert replaces.

Query semantics, snippets and facets are those of the embedded engine (see
``elastic_query`` and ``elastic_mapping``); snippets come from ``search.snippets`` on the
stored text, so both engines show identical snippets.

URL: ``http(s)://[user:password@]host:9200[/path][?prefix=juanzong&timeout=10]``; the alias
is ``<prefix>-documents``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import elastic_transport
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from search.api import IndexDoc, SearchError, SearchIndex, SearchRequest, SearchResult
from search.engines import elastic_mapping as f
from search.engines.elastic_query import empty_facets, read_facets, read_hit, search_body
from search.engines.elastic_url import ALIAS_SUFFIX, DEFAULT_PREFIX, ElasticLocation
from search.query import parse_query
from search.snippets import SnippetMaker

log = logging.getLogger(__name__)

BULK_TIMEOUT_S = 120.0
ADMIN_TIMEOUT_S = 60.0  # creating, switching and deleting indices waits for the cluster state
MAX_RETRIES = 1  # one more attempt on a broken connection; a timeout is not retried
BULK_CHUNK_DOCS = 500
BULK_CHUNK_BYTES = 20 * 1024 * 1024
DOC_IDS_PAGE = 10_000
# The same limits as the embedded engine.
MAX_PER_PAGE = 100
MAX_PAGE = 500


class ElasticIndex(SearchIndex):
    def __init__(
        self, client: Elasticsearch, alias: str = DEFAULT_PREFIX + ALIAS_SUFFIX, *, where: str = ""
    ) -> None:
        self.client = client
        self.alias = alias
        self.where = where or "Elasticsearch"
        self._lock = threading.RLock()
        self._ready = False

    @property
    def _admin(self) -> Elasticsearch:
        return self.client.options(request_timeout=ADMIN_TIMEOUT_S)

    @classmethod
    def from_url(cls, url: str) -> ElasticIndex:
        """``http(s)://[user:password@]host:port[/path][?prefix=…&timeout=…]`` (see elastic_url)."""
        where = ElasticLocation.parse(url)
        client = Elasticsearch(
            where.host,
            basic_auth=where.basic_auth,
            request_timeout=where.timeout,
            max_retries=MAX_RETRIES,
            retry_on_timeout=False,
        )
        return cls(client, where.alias, where=where.host)

    # -- plumbing ----------------------------------------------------------------------

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Client and server failures become SearchError (English, for the log)."""
        try:
            yield
        except helpers.BulkIndexError as exc:
            self._ready = False  # perhaps the alias vanished (require_alias): check it next time
            first = exc.errors[0] if exc.errors else {}
            raise SearchError(
                f"Elasticsearch {action} failed for {len(exc.errors)} document(s): {first}"
            ) from exc
        except ApiError as exc:
            if isinstance(exc, NotFoundError):
                self._ready = False  # the alias or index vanished: set it up again next time
            raise SearchError(f"Elasticsearch {action} failed at {self.where}: {exc}") from exc
        except elastic_transport.TransportError as exc:
            raise SearchError(f"Elasticsearch at {self.where} unreachable during {action}: {exc}") from exc

    def _ensure(self) -> None:
        """Create the template and the first index behind the alias on first use."""
        if self._ready:
            return
        with self._lock, self._errors("setup"):
            if self._ready:
                return
            indices = self._alias_indices()
            if not indices:
                if self.client.indices.exists(index=self.alias):  # e.g. auto-created by another tool
                    raise SearchError(
                        f"{self.where} has an index named {self.alias!r} where the alias should be; "
                        "rename or delete it"
                    )
                self._put_template()
                initial = self._index_name("initial")
                try:
                    self._create_index(initial, aliases={self.alias: {}})
                    log.info("created Elasticsearch index %s behind alias %s", initial, self.alias)
                except ApiError as exc:
                    if _error_type(exc) != "resource_already_exists_exception":
                        raise
                    # Another process was first; or an earlier failure left it without the alias.
                    if not self._alias_indices():
                        self._admin.indices.update_aliases(
                            actions=[{"add": {"index": initial, "alias": self.alias}}]
                        )
            else:
                self._check_version(indices)
            self._ready = True

    def _alias_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _index_name(self, stamp: str | None = None) -> str:
        stamp = stamp or datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{f.SCHEMA_VERSION}-{stamp}"

    def _put_template(self) -> None:
        """Store the index template unless the server already holds this very definition."""
        digest = f.definition_digest()
        try:
            found = self.client.indices.get_index_template(name=self.alias)["index_templates"]
        except NotFoundError:
            found = []
        if found and found[0]["index_template"].get("_meta", {}).get("digest") == digest:
            return
        try:
            self._admin.indices.put_index_template(
                name=self.alias,
                index_patterns=[f"{self.alias}-v{f.SCHEMA_VERSION}-*"],
                template={"settings": f.SETTINGS, "mappings": f.MAPPINGS},
                priority=200,
                meta={"managed_by": "juanzong", "alias": self.alias, "digest": digest},
            )
        except ApiError as exc:
            if exc.meta.status != 400:
                raise
            # e.g. another template with overlapping patterns: the explicit body still applies
            log.warning(
                "index template %s not stored (%s); indices get their mapping explicitly", self.alias, exc
            )

    def _create_index(self, name: str, *, aliases: dict[str, Any] | None = None) -> None:
        # The explicit body wins over any other template that might match the name.
        self._admin.indices.create(index=name, settings=f.SETTINGS, mappings=f.MAPPINGS, aliases=aliases)

    def _check_version(self, indices: list[str]) -> None:
        mappings = self.client.indices.get_mapping(index=indices)
        for name, body in mappings.items():
            version = body.get("mappings", {}).get("_meta", {}).get("schema_version")
            if version != f.SCHEMA_VERSION:
                log.warning(
                    "Elasticsearch index %s has schema version %s, this code expects %s: "
                    "run `juanzong reindex`",
                    name,
                    version,
                    f.SCHEMA_VERSION,
                )

    def _bulk(self, actions: Iterable[dict[str, Any]], **kwargs: Any) -> int:
        ok, _ = helpers.bulk(
            self.client.options(request_timeout=BULK_TIMEOUT_S),
            actions,
            chunk_size=BULK_CHUNK_DOCS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
            stats_only=True,
            **kwargs,
        )
        return int(ok)

    # -- writing -----------------------------------------------------------------------

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        latest = {d.doc_id: d for d in docs}  # the last version of a doc_id wins
        if not latest:
            return
        self._ensure()
        actions = (
            {"_index": self.alias, "_id": str(i), "_source": f.to_source(d)} for i, d in latest.items()
        )
        with self._errors("indexing"):
            self._bulk(actions, refresh=True, require_alias=True)
        log.debug("indexed %d documents", len(latest))

    def delete(self, doc_ids: Iterable[int]) -> None:
        ids = sorted(set(doc_ids))
        if not ids:
            return
        self._ensure()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in ids)
        with self._errors("delete"):
            self._bulk(actions, refresh=True, require_alias=True, ignore_status=(404,))

    def clear(self) -> None:
        """Remove every document: switch the alias to a new, empty index."""
        self.rebuild(())

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Load ``docs`` into a new index, switch the alias to it atomically, then delete the
        old index and any left by an interrupted rebuild. As with the embedded engine, a
        document written by another process while this runs lands in the old index and is
        lost with it: ``juanzong reconcile`` finds it again."""
        with self._lock:
            self._ensure()
            with self._errors("rebuild"):
                self._put_template()
                name = self._index_name()
                self._create_index(name)
            try:
                with self._errors("rebuild"):
                    # No search reaches the new index before the switch: its shard turns
                    # search-idle and stops the periodic refreshes while it loads.
                    actions = (
                        {"_index": name, "_id": str(d.doc_id), "_source": f.to_source(d)} for d in docs
                    )
                    n = self._bulk(actions)
                    self._admin.indices.refresh(index=name)
                    self._switch_alias(name)
                    old = self._own_indices() - {name}
            except BaseException:
                self._delete_indices([name])
                raise
            self._delete_indices(sorted(old))
            log.info("rebuilt Elasticsearch index %s (alias %s) with %d documents", name, self.alias, n)
            return n

    def _switch_alias(self, name: str) -> None:
        """Point the alias at ``name`` only, in one atomic step."""
        actions: list[dict[str, Any]] = []
        if self._alias_indices():
            actions.append({"remove": {"index": "*", "alias": self.alias}})
        actions.append({"add": {"index": name, "alias": self.alias}})
        result = self._admin.indices.update_aliases(actions=actions)
        for item in result.get("action_results", []):
            if item.get("action", {}).get("type") == "add" and item.get("status") != 200:
                raise SearchError(f"cannot point alias {self.alias} at {name}: {item.get('error')}")

    def _delete_indices(self, names: list[str]) -> None:
        for name in names:
            try:
                self._admin.indices.delete(index=name)
            except NotFoundError:
                pass
            except (ApiError, elastic_transport.TransportError) as exc:
                log.warning("could not delete old Elasticsearch index %s: %s", name, exc)

    def _own_indices(self) -> set[str]:
        """Every index this alias ever made: live, initial, and any left by a broken rebuild."""
        pattern = re.compile(re.escape(self.alias) + r"-v\d+-(initial|\d{20})")
        try:
            existing = self.client.indices.get(index=f"{self.alias}-v*", expand_wildcards="all")
        except NotFoundError:
            existing = {}
        return {n for n in existing if pattern.fullmatch(n)} | set(self._alias_indices())

    def drop(self) -> None:
        """Delete every index of this alias and its template. For tests and uninstall; the
        application never calls it."""
        with self._lock, self._errors("drop"):
            names = sorted(self._own_indices())
            if names:
                self._admin.indices.delete(index=",".join(names), ignore_unavailable=True)
            try:
                self._admin.indices.delete_index_template(name=self.alias)
            except NotFoundError:
                pass
            self._ready = False

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        self._ensure()
        with self._errors("count"):
            return int(self.client.count(index=self.alias)["count"])

    def doc_ids(self) -> set[int]:
        self._ensure()
        ids: set[int] = set()
        after: list[Any] | None = None
        with self._errors("listing documents"):
            while True:
                page = self.client.search(
                    index=self.alias,
                    query={"match_all": {}},
                    size=DOC_IDS_PAGE,
                    sort=[{f.DOC_ID: "asc"}],
                    source=False,
                    track_total_hits=False,
                    search_after=after,
                )["hits"]["hits"]
                ids.update(int(h["sort"][0]) for h in page)
                if len(page) < DOC_IDS_PAGE:
                    return ids
                after = page[-1]["sort"]

    def search(self, request: SearchRequest) -> SearchResult:
        parsed = parse_query(request.query)  # QueryError goes to the caller as is
        per_page = min(max(1, request.per_page), MAX_PER_PAGE)
        page = min(max(1, request.page), MAX_PAGE)
        if request.visible_case_ids is not None and not request.visible_case_ids:
            return SearchResult(
                total=0,
                hits=[],
                page=page,
                per_page=per_page,
                facets=empty_facets(),
                truncation_notes=parsed.notes,
            )
        self._ensure()
        body = search_body(parsed, request, offset=(page - 1) * per_page, size=per_page)
        with self._errors("search"):
            response = self.client.search(index=self.alias, **body)
        maker = SnippetMaker(parsed)
        hits = [read_hit(h, maker) for h in response["hits"]["hits"]]
        return SearchResult(
            total=int(response["hits"]["total"]["value"]),
            hits=hits,
            page=page,
            per_page=per_page,
            facets=read_facets(response.get("aggregations", {})),
            truncation_notes=parsed.notes,
        )

    def close(self) -> None:
        self.client.close()

    def describe(self) -> str:
        return f"elasticsearch {self.where} alias {self.alias}"


def _error_type(exc: ApiError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    return error.get("type", "") if isinstance(error, dict) else ""
