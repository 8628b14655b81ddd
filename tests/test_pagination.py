"""One parser for ``?page=`` and one page of results, for every paged list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_association
from twinning.associations.models import Association
from twinning.core.pagination import MAX_PAGE, PAGE_SIZE, Page, page_number, paginate
from twinning.proposals.queries import ProposalPage

ROOT = Path(__file__).resolve().parent.parent


def test_page_number_accepts_only_sensible_numbers():
    assert page_number(None) == 1
    assert page_number("3") == 3
    for bad in ("0", "-1", "abc", "", "1.5", "٣", "²", " 2", "9" * 50, "99999999999999999999"):
        assert page_number(bad) == 1, bad
    assert page_number("999999") == MAX_PAGE  # far past any list: the caller's 404 or empty page
    assert page_number(str(MAX_PAGE)) == MAX_PAGE


def test_a_page_knows_its_neighbours():
    assert Page([], 1, 0).pages == 1 and not Page([], 1, 0).beyond_the_end
    page = Page(["x"] * PAGE_SIZE, 2, 2 * PAGE_SIZE + 1)
    assert page.pages == 3 and page.has_prev and page.has_next and not page.beyond_the_end
    assert Page([], 4, 2 * PAGE_SIZE + 1).beyond_the_end
    assert Page([], 2, 50, per_page=50).beyond_the_end


def test_paginate_counts_and_cuts(session):
    for number in range(3):
        make_association(session, name=f"Verein {number}", slug=f"verein-page-{number}")
    session.flush()
    statement = select(Association).where(Association.slug.like("verein-page-%"))
    second = paginate(statement, 2, per_page=2, order_by=(Association.slug,))
    assert second.total == 3 and second.pages == 2 and not second.has_next
    assert [a.slug for a in second.items] == ["verein-page-2"]


def test_no_module_keeps_its_own_page_parser_or_page_class():
    """The six parsers and five page classes there were are now twinning/core/pagination.py."""
    others = []
    for module in (ROOT / "twinning").rglob("*.py"):
        if module.name == "pagination.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in {"page_number", "parse_page"}:
                others.append(f"{module.name}: def {node.name}")
            if isinstance(node, ast.ClassDef) and node.name.endswith("Page"):
                bases = {getattr(base, "id", None) for base in node.bases}
                if "Page" not in bases:  # a page with more fields is still a Page
                    others.append(f"{module.name}: class {node.name}")
    assert others == []
    assert issubclass(ProposalPage, Page)


@pytest.mark.parametrize("path", ["/associations?page=99", "/associations?page=999999"])
def test_a_page_past_the_end_is_still_404(client, path):
    assert client.get(path).status_code == 404
