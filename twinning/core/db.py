"""The declarative base, the engine and the request-scoped session."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic revisions name the same things on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 (SQLAlchemy reads the class attribute)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Database:
    """Holds the engine and a scoped session; created unbound, like Flask extensions."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.configure(bind=self.engine)
        app.extensions["twinning_db"] = self

        @app.teardown_appcontext
        def remove_session(exc: BaseException | None) -> None:
            self.session.remove()

    def read_scalar(self, sql: str):
        """One value read without a session, a request or an ORM round: for WSGI middleware.

        It reads through whatever the sessions are bound to: the engine (a pooled DBAPI
        connection; on SQLite in autocommit, so no BEGIN, which would take the write lock
        outside requests) or, in tests, the connection of the test's own transaction.
        """
        bind = self.session.session_factory.kw.get("bind") or self.engine
        if isinstance(bind, Connection):
            return bind.exec_driver_sql(sql).scalar()
        raw = bind.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(sql)
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        return row[0] if row else None


def make_engine(url: str) -> Engine:
    """An engine with SQLite made safe for a web server: FKs on, WAL, a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _begin_sqlite(connection) -> None:
    """Writers take the write lock at BEGIN; readers don't.

    A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, no
    waiting) when another writer committed in between, so requests that may write
    (POST, PUT, DELETE; and commands outside requests) begin IMMEDIATE and queue on the
    busy timeout instead. GET and HEAD only read, and must not serialise on each other.
    """
    reading = has_request_context() and request.method in ("GET", "HEAD")
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _configure_sqlite(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" listener issue BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
