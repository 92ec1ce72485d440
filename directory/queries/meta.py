"""Facts about the built database itself: version, build time, counts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class DatasetInfo:
    """What the running app is serving."""

    dataset_version: str
    built_at: str
    schema_version: int
    counts: dict[str, int]


def dataset_info(db: sqlite3.Connection) -> DatasetInfo:
    """Read the ``meta`` table written by the build."""
    meta = {row["key"]: row["value"] for row in db.execute("SELECT key, value FROM meta")}
    return DatasetInfo(
        dataset_version=meta.get("dataset_version", ""),
        built_at=meta.get("built_at", ""),
        schema_version=int(meta.get("schema_version", "0")),
        counts=json.loads(meta.get("counts", "{}")),
    )
