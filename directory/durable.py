"""Making a write survive a crash: flushing a file, or a folder's entries, to the disk."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_directory(folder: Path) -> None:
    """Flush ``folder``'s entries, so a file renamed into it stays renamed after a crash."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    """Flush the contents of the file at ``path``."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
