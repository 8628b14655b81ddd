"""Alembic environment: the models' metadata, the app's database URL."""

from contextlib import contextmanager

from alembic import context

from twinning.core.db import make_engine
from twinning.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            with foreign_keys_off(connection):
                run_migrations(connection)
        else:
            run_migrations(connection)
    engine.dispose()


@contextmanager
def foreign_keys_off(connection):
    """SQLite rebuilds a table in a batch migration by dropping it, and with foreign keys on
    that drop deletes every row that references it (ON DELETE CASCADE): adding a column to
    ``associations`` would wipe its proposals. The keys are off while migrating and checked
    after. The pragma only works outside a transaction, so it goes to the driver directly."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows that reference missing rows: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
