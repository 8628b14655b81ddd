"""Paged lists: one parser for ``?page=`` and one page of results, for every list on the site."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from twinning.core.extensions import db

PAGE_SIZE = 20
# Beyond any real list; keeps OFFSET well inside a 64-bit integer.
MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    """``?page=`` as a page number: plain ASCII digits, at most ``MAX_PAGE``.

    Anything absurd (empty, negative, "²", "1.5", fifty digits) is page 1; a page past the
    last one is the caller's to refuse (404) or to show empty.
    """
    if not raw or len(raw) > 6 or not (raw.isascii() and raw.isdigit()):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


@dataclass
class Page:
    """One page of a list: its items, which page it is, and how many items the list has."""

    items: list
    page: int
    total: int
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def beyond_the_end(self) -> bool:
        """A page number past the last page (page 1 of an empty list is not)."""
        return self.page > self.pages


def offset(page: int, per_page: int = PAGE_SIZE) -> int:
    """The OFFSET of a page."""
    return (page - 1) * per_page


def count(statement: Select) -> int:
    """How many rows the statement selects (one COUNT query, its ORDER BY dropped)."""
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


def paginate(statement: Select, page: int, per_page: int = PAGE_SIZE, *, order_by=(), options=()) -> Page:
    """A page of the statement's rows (2 queries: the count and the page).

    ``order_by`` and the loader ``options`` apply to the page only, not to the count.
    """
    total = count(statement)
    rows = statement.order_by(*order_by).options(*options).limit(per_page).offset(offset(page, per_page))
    return Page(list(db.session.scalars(rows).unique()), page, total, per_page)
