"""Every visible string has a German and an English translation."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from twinning import ROOT
from twinning.translations_tools import untranslated

CATALOGUES = ROOT / "twinning" / "translations"


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--ignore-dirs",
            ".* ._",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_extraction_reads_the_shared_macros(source_ids):
    # templates/_macros/ starts with "_", which Babel skips by default.
    assert "Please correct the marked fields." in source_ids


@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_msgid_in_code_is_in_the_catalogue(source_ids, locale):
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = sorted(source_ids - known)
    assert not missing, f"run `twinning translate update`, then translate: {missing[:10]}"


@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_msgid_is_translated(locale):
    missing = untranslated(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", locale)
    assert not missing, f"untranslated in {locale}: {missing[:10]}"


def test_german_is_not_a_copy_of_english():
    with (CATALOGUES / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    same = [m.id for m in catalog if m.id and m.string == m.id and len(str(m.id)) > 12]
    assert len(same) < 5, same


def test_dates_and_numbers_follow_the_locale(app):
    from datetime import date

    from flask_babel import force_locale, format_date, format_decimal

    with app.test_request_context("/"):
        with force_locale("de"):
            assert format_decimal(1234.5) == "1.234,5"
            assert format_date(date(2026, 5, 9), "long") == "9. Mai 2026"
        with force_locale("en"):
            assert format_decimal(1234.5) == "1,234.5"
            assert format_date(date(2026, 5, 9), "long") == "May 9, 2026"
