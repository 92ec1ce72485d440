"""Debian's Chromium for the tests that drive a real browser (never a downloaded one)."""

from __future__ import annotations

import os

from bench.map_bench import CHROMIUM


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None; in CI a missing browser is a failure."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return None
    return f"{CHROMIUM} is missing (apt-get install chromium); CI is not set, so skipping"
