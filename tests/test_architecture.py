"""The map of the house stays true: every module under directory/ is listed in
docs/architecture.md, and the document names no module that is gone."""

from __future__ import annotations

import re

from directory.settings import PACKAGE_ROOT, PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "architecture.md"


def _modules() -> set[str]:
    return {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in PACKAGE_ROOT.rglob("*.py")
        if "__pycache__" not in path.parts
    }


def _listed() -> set[str]:
    rows = re.findall(r"^\| `(directory/[\w/]+\.py)` \|", DOC.read_text(), flags=re.M)
    return set(rows)


def test_every_module_is_in_the_module_map() -> None:
    assert sorted(_modules() - _listed()) == []


def test_the_module_map_lists_no_missing_module() -> None:
    assert sorted(_listed() - _modules()) == []


def test_benchmarks_are_not_in_the_product_package() -> None:
    assert not (PACKAGE_ROOT / "benchmarks").exists()
    assert (PROJECT_ROOT / "bench" / "compare.py").exists()
