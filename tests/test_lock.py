"""requirements.lock, which `make install` installs from, holds every dependency pyproject.toml names."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from twinning import ROOT


def _pins() -> dict[str, list[tuple[str, str]]]:
    """name → [(version, environment marker)] as pinned in the lock."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.*?))?\s*\\?$", line)
        if match:
            pins.setdefault(canonicalize_name(match.group(1)), []).append(
                (match.group(2), match.group(3) or "")
            )
    return pins


def test_every_dependency_is_pinned_with_hashes_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pins = _pins()
    lock = (ROOT / "requirements.lock").read_text()
    stale = []
    for requirement in wanted:
        versions = pins.get(canonicalize_name(requirement.name), [])
        if not any(
            requirement.specifier.contains(version, prereleases=True) for version, _marker in versions
        ):
            stale.append(str(requirement))
    assert not stale, f"requirements.lock is out of date for {stale}: run `make lock`"
    blocks = [block for block in re.split(r"\n(?=[A-Za-z0-9])", lock) if "==" in block.split("\n", 1)[0]]
    assert len(blocks) >= len(wanted)
    for block in blocks:  # pip's --require-hashes refuses the whole file otherwise
        assert "--hash=sha256:" in block, block.split("\n", 1)[0]
