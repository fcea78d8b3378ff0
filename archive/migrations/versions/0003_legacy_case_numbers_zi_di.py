"""legacy court case numbers: canonical form with 字第

``search.casenumber`` now writes a pre-2016 number's canonical form with 字第 in full
(（2015）朝民初字第12345号), as people type it with or without 第. Rows stored by earlier
code from a number typed without 第 (（2015）朝民初字12345号) get 第, so that the case list's
filter and the search page still find them. A case that held both spellings keeps one row.

Modern canonical forms never hold 字 (type codes exclude it), so only legacy rows change.
The rule is written out here (not imported) so this revision keeps doing what it did. The
downgrade leaves the rows as they are: the earlier code reads a canonical form with 第 too.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-20 09:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# （year）body字 directly followed by the number's first digit: 第 is missing.
_MISSING_DI = re.compile(r"^(（\d{4}）[^字号]+字)(?=\d)")

_numbers = sa.table(
    "court_case_numbers",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("canonical", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_numbers.c.id, _numbers.c.case_id, _numbers.c.canonical)
        .where(_numbers.c.canonical.like("%字%"))
        .order_by(_numbers.c.id)
    ).all()
    for row_id, case_id, canonical in rows:
        fixed = _MISSING_DI.sub(r"\1第", canonical)
        if fixed == canonical:
            continue
        taken = conn.execute(
            sa.select(_numbers.c.id).where(_numbers.c.case_id == case_id, _numbers.c.canonical == fixed)
        ).first()
        if taken is not None:
            conn.execute(sa.delete(_numbers).where(_numbers.c.id == row_id))
        else:
            conn.execute(sa.update(_numbers).where(_numbers.c.id == row_id).values(canonical=fixed))


def downgrade() -> None:
    pass
