"""What ``juanzong migrate-to-scaled`` reports (see ``juanzong.migrate_scaled``): counts of source
and target, and the errors that stop it. Every message is Chinese, for the administrator."""

from __future__ import annotations

from dataclasses import dataclass


class MigrationError(Exception):
    """The migration stopped; ``str(exc)`` is Chinese, for the administrator."""


class MigrationRefused(MigrationError):
    """Refused before anything was copied."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


@dataclass(frozen=True)
class ObjectCounts:
    source: int = 0  # objects in the source store
    copied: int = 0  # written to the target by this run
    present: int = 0  # already in the target with the right content
    verified: int = 0  # read back from the target with the source's SHA-256
    mismatched: tuple[str, ...] = ()  # keys whose target content differs from the source
    corrupt_in_source: tuple[str, ...] = ()  # content keys whose source bytes do not hash to the key
    missing_in_source: tuple[str, ...] = ()  # storage keys of documents absent from the source store


@dataclass(frozen=True)
class MigrationReport:
    tables: tuple[TableCount, ...]
    objects: ObjectCounts
    to_index: int  # indexed documents with text in the target database
    index_count: int  # documents in the target index
    source_index_count: int | None  # documents in the source index (information only)

    @property
    def ok(self) -> bool:
        o = self.objects
        return (
            all(t.source == t.target for t in self.tables)
            and o.verified == o.source
            and not (o.mismatched or o.corrupt_in_source or o.missing_in_source)
            and self.index_count == self.to_index
        )

    def lines(self) -> list[str]:
        """The report in Chinese, one line each."""
        out = ["数据表（源 → 目标）："]
        for t in self.tables:
            verdict = "一致" if t.source == t.target else "不一致"
            out.append(f"  {t.table:<20} {t.source:>8} → {t.target:<8} {verdict}")
        out.append("  （worker_heartbeats 为处理进程的运行状态，不复制；审计日志另加 1 条迁移记录）")
        o = self.objects
        out.append(
            f"原件：源存储 {o.source} 个，本次复制 {o.copied} 个，目标已有 {o.present} 个，"
            f"SHA-256 校验一致 {o.verified} 个，不一致 {len(o.mismatched)} 个"
        )
        for key in o.mismatched:
            out.append(f"  校验不一致：{key}")
        for key in o.corrupt_in_source:
            out.append(f"  源存储中内容与哈希不符（已按原样复制）：{key}")
        for key in o.missing_in_source:
            out.append(f"  文档的原件在源存储中不存在：{key}")
        source_index = "未知" if self.source_index_count is None else f"{self.source_index_count} 份"
        out.append(
            f"索引：应索引文档 {self.to_index} 份，目标索引 {self.index_count} 份（源索引 {source_index}）"
        )
        out.append("结果：全部一致，迁移完成。" if self.ok else "结果：存在不一致，请检查上面的报告。")
        return out
