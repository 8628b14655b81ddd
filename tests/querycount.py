"""Count the SQL statements a block of code sends, for query budgets of pages.

with count_queries() as counted:
    client.get("/sdgs")
assert counted.total <= 6
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from twinning.core.extensions import db


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def writes(self) -> list[str]:
        """The INSERT, UPDATE and DELETE statements among them."""
        return [s for s in self.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]

    def __str__(self) -> str:
        return f"{self.total} statements:\n" + "\n---\n".join(self.statements)


@contextmanager
def count_queries(engine=None) -> Iterator[Counted]:
    """Count statements on the app's engine (and every connection made from it) in the block.

    Savepoint bookkeeping of the test transaction is left out: it is not the page's work.
    """
    engine = engine or db.engine
    counted = Counted()

    def before_cursor_execute(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "PRAGMA")):
            counted.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def get_counted(client, path: str) -> tuple[int, Counted]:
    """GET ``path`` and count its statements; returns (status code, counted)."""
    from twinning.core.extensions import db as database

    database.session.commit()  # the client would commit the test's data anyway; don't count that
    with count_queries() as counted:
        response = client.get(path)
    return response.status_code, counted
