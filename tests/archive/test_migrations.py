"""The Alembic history builds exactly the schema the models describe, and runs both ways."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from archive.db import Base, make_engine
from archive.migrate import alembic_config, current_revision, head_revision, is_up_to_date, upgrade


def test_upgrade_creates_every_table_and_matches_the_models(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert current_revision(url) is None
    upgrade(url)
    assert is_up_to_date(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) == head_revision()
