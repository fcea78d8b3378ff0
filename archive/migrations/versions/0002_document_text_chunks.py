"""document texts in chunks

Moves each document's text from the one ``document_texts.text`` column into bounded rows of
``document_text_chunks`` (see ``archive.texts``), so no reader or writer holds a long text
whole. Texts are moved one at a time and read in slices (``substr``), so the migration's
memory does not grow with the texts either; it runs on SQLite and PostgreSQL. The downgrade
joins the chunks back inside the database (``||`` per chunk), never in Python.

The chunking rule is copied here (not imported) so this revision keeps doing what it did
when ``archive.texts`` changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHUNK_CHARS = 50_000  # archive.texts.TEXT_CHUNK_CHARS when this revision was written
LINE_CUT_SHARE = 10
ID_BATCH = 200  # document ids read per query

_texts = sa.table(
    "document_texts",
    sa.column("document_id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("chunk_count", sa.Integer),
)
_chunks = sa.table(
    "document_text_chunks",
    sa.column("document_id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("text", sa.Text),
)


def _cut(window: str) -> int:
    end = min(len(window), CHUNK_CHARS)
    line_break = window.rfind("\n", end - CHUNK_CHARS // LINE_CUT_SHARE, end)
    return line_break + 1 if line_break >= 0 else end


def _slices(conn: sa.Connection, document_id: int) -> Iterator[str]:
    """One stored text, read from the database ``CHUNK_CHARS`` characters at a time."""
    where = _texts.c.document_id == document_id
    length = conn.scalar(sa.select(sa.func.length(_texts.c.text)).where(where)) or 0
    position = 0
    while position < length:
        piece = conn.scalar(sa.select(sa.func.substr(_texts.c.text, position + 1, CHUNK_CHARS)).where(where))
        if not piece:
            return
        yield piece
        position += len(piece)


def _split(pieces: Iterator[str]) -> Iterator[str]:
    """The chunks of the text (as ``archive.texts.split_chunks`` cuts them)."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while len(buffer) > CHUNK_CHARS:  # more follows: cut where a chunk should end
            cut = _cut(buffer)
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer:
        yield buffer


def _document_ids(conn: sa.Connection, table: sa.TableClause) -> Iterator[int]:
    """Every document id of ``table``, in order, read ``ID_BATCH`` at a time."""
    after = 0
    while True:
        ids = list(
            conn.scalars(
                sa.select(table.c.document_id)
                .where(table.c.document_id > after)
                .order_by(table.c.document_id)
                .limit(ID_BATCH)
            )
        )
        if not ids:
            return
        yield from ids
        after = ids[-1]


def upgrade() -> None:
    op.create_table(
        "document_text_chunks",
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "seq"),
    )
    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chunk_count", sa.Integer(), nullable=True))

    conn = op.get_bind()
    for document_id in _document_ids(conn, _texts):
        seq = 0
        for chunk in _split(_slices(conn, document_id)):
            conn.execute(_chunks.insert().values(document_id=document_id, seq=seq, text=chunk))
            seq += 1
        conn.execute(_texts.update().where(_texts.c.document_id == document_id).values(chunk_count=seq))

    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.alter_column("chunk_count", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))

    conn = op.get_bind()
    conn.execute(_texts.update().values(text=""))
    # Append chunk n of every text at once, inside the database: no text passes through Python.
    most = conn.scalar(sa.select(sa.func.max(_texts.c.chunk_count))) or 0
    for seq in range(most):
        chunk = (
            sa.select(_chunks.c.text)
            .where(_chunks.c.document_id == _texts.c.document_id, _chunks.c.seq == seq)
            .scalar_subquery()
        )
        conn.execute(
            _texts.update()
            .where(_texts.c.chunk_count > seq)
            .values(text=_texts.c.text.concat(sa.func.coalesce(chunk, "")))
        )

    with op.batch_alter_table("document_texts", schema=None) as batch_op:
        batch_op.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("chunk_count")
    op.drop_table("document_text_chunks")
