"""Fixtures for the benchmark's tests: a small synthetic database, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import datasets
from directory.dataset.build import build_database


@pytest.fixture(scope="session")
def synthetic_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 300 synthetic providers (the generator's seed 1); do not modify."""
    work = tmp_path_factory.mktemp("bench-synthetic")
    folder = datasets.generate(work / "providers-300", 300)
    target = work / "providers-300.db"
    build_database(folder, target)
    return target
