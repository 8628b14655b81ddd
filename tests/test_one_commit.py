"""Views commit or refuse through ``twinning.core.transactions.commit`` only (docs/development.md).

A view that commits by hand forgets, sooner or later, the rollback, the constraint the
database refused, or the message on the form; this reads every view module and names each
``db.session.commit()`` / ``rollback()`` / ``except DomainError`` outside that one helper.
"""

from __future__ import annotations

import ast
from pathlib import Path

import twinning

ROOT = Path(twinning.__file__).parent

# (module, view, what): each with its reason.
ALLOWED = {
    # A bad link (TokenInvalid) is no refusal: it never reaches commit() and gets its own page.
    ("auth/views.py", "confirm", "rollback"),
    ("auth/views.py", "confirm_email_change", "rollback"),
    # The health check only reads, and answers 503 when the database is gone.
    ("pages/views.py", "healthz", "rollback"),
    # Reads an invitation's token before anything is written.
    ("associations/views.py", "invitation", "except DomainError"),
}


def _view_modules():
    return sorted(
        path for path in ROOT.rglob("*.py") if path.name == "views.py" or path.name.endswith("_views.py")
    )


def _manual_transactions(path: Path):
    tree = ast.parse(path.read_text())
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and ast.unparse(node.func.value) == "db.session"
            ):
                yield function.name, node.func.attr
            if (
                isinstance(node, ast.ExceptHandler)
                and node.type is not None
                and "DomainError" in ast.unparse(node.type)
            ):
                yield function.name, "except DomainError"


def test_views_commit_only_through_the_helper():
    found = {
        (str(path.relative_to(ROOT)), view, what)
        for path in _view_modules()
        for view, what in _manual_transactions(path)
    }
    assert found - ALLOWED == set()


def test_the_check_sees_the_view_modules():
    names = {str(path.relative_to(ROOT)) for path in _view_modules()}
    assert {
        "admin/views.py",
        "auth/views.py",
        "groups/views.py",
        "associations/manage_views.py",
        "associations/partner_views.py",
        "proposals/comment_views.py",
        "notifications/views.py",
    } <= names
