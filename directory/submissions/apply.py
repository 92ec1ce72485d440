"""Committing a change to the curated files, the change log and the built database, atomically.

A commit runs under an exclusive lock file, so two approvals or imports, in one process or
several, never interleave. It then:

1. finishes any commit a crash interrupted (see :func:`recover`);
2. asks the caller for its :class:`Plan` (the caller reads the current files *under the
   lock*, so a conflict check against them is final);
3. validates the whole dataset as it would be (``load_dataset`` over a staging folder of
   symbolic links plus the new files) and builds the new database beside the live one;
4. writes every new file to a temporary name, fsyncs it, and writes a *journal* listing the
   renames (itself renamed into place, so it is either complete or absent);
5. performs the renames (``os.replace``): data files, then the change log, then the
   database; runs the caller's ``after`` step; deletes the journal.

A crash before step 4 completes changes nothing (the temporary files are swept up later). A
crash during step 5 leaves the journal, and the next commit, or :func:`recover`, performs
the remaining renames: each rename is atomic and repeating the list is harmless. The live
database is only ever replaced by a complete file built from the same data, and the app
reopens it on its next request.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.dataset.build import BuildReport, PointResolver, build_database
from directory.dataset.loader import Dataset, load_dataset
from directory.durable import fsync_directory
from directory.submissions import changelog
from directory.submissions.workspace import Workspace

LOCK_TIMEOUT = 60.0
TEMP_SUFFIX = ".chg"
STAGING_PREFIX = ".staging-"

#: Called with a plan's ``meta`` once its renames are done (also after a recovery).
AfterCommit = Callable[[dict[str, Any]], None]


class UpdateError(Exception):
    """A change could not be committed; nothing was changed."""


class Conflict(UpdateError):
    """A record changed since the reviewer saw it; the caller should show it again and ask."""

    def __init__(self, message: str, records: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.records = list(records)


class Busy(UpdateError):
    """Another approval or import held the lock for too long."""


@dataclass(frozen=True)
class FileWrite:
    """The complete new content of one file in the dataset."""

    path: Path
    content: str


@dataclass
class Plan:
    """What a commit writes: files, change-log entries, and data for the ``after`` step."""

    writes: list[FileWrite]
    entries: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Committed:
    """What a commit did."""

    txn: str
    files: list[Path]
    entries: int
    build: BuildReport


@contextmanager
def locked(workspace: Workspace, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the workspace's lock file (``flock``) for the length of a ``with`` block."""
    workspace.lock_file.parent.mkdir(parents=True, exist_ok=True)
    with workspace.lock_file.open("a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Busy("another approval or import is in progress; try again") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_durably(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _replace(source: Path, target: Path) -> None:
    """One atomic rename (a seam for the crash tests)."""
    os.replace(source, target)


def _temp_name(target: Path, txn: str) -> Path:
    return target.parent / f".{target.name}.{txn}{TEMP_SUFFIX}"


@contextmanager
def staged(workspace: Workspace, writes: Sequence[FileWrite]) -> Iterator[Path]:
    """A dataset folder as it will be after ``writes``: links to the live files plus new ones.

    The folder has the same name as the live one, so validation errors name the same paths.
    """
    source = workspace.data_dir
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=workspace.database.parent) as tmp:
        root = Path(tmp) / source.name
        root.mkdir()
        for entry in source.iterdir():
            if entry.name != "providers" and not entry.name.startswith("."):
                (root / entry.name).symlink_to(entry.resolve())
        providers = root / "providers"
        providers.mkdir()
        replaced = {write.path.name: write for write in writes}
        if workspace.providers_dir.is_dir():
            for entry in workspace.providers_dir.iterdir():
                if entry.name not in replaced and not entry.name.startswith("."):
                    (providers / entry.name).symlink_to(entry.resolve())
        for name, write in replaced.items():
            (providers / name).write_text(write.content, encoding="utf-8")
        yield root


def check(workspace: Workspace, plan: Plan, today: dt.date | None = None) -> Dataset:
    """Validate the whole dataset as ``plan`` would leave it; raises ``DatasetInvalid``."""
    _check_targets(workspace, plan)
    with staged(workspace, plan.writes) as root:
        return load_dataset(root, today)


def _check_targets(workspace: Workspace, plan: Plan) -> None:
    folder = workspace.providers_dir.resolve()
    for write in plan.writes:
        if write.path.parent.resolve() != folder or write.path.suffix != ".yaml":
            raise UpdateError(f"refusing to write outside {workspace.providers_dir}: {write.path}")


def commit(
    workspace: Workspace,
    make_plan: Callable[[], Plan],
    *,
    after: AfterCommit | None,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> Committed:
    """Plan, validate, build and apply a change atomically (see the module docstring).

    Raises :class:`Conflict` or other :class:`UpdateError` from ``make_plan``,
    ``DatasetInvalid`` if the result would not validate, :class:`Busy` on lock timeout.
    """
    with locked(workspace):
        recover(workspace, after, _locked=True)
        plan = make_plan()
        _check_targets(workspace, plan)
        txn = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        next_database = _temp_name(workspace.database, txn)
        with staged(workspace, plan.writes) as root:
            load_dataset(root, today)
            try:
                report = build_database(root, next_database, resolve=resolve, today=today)
            finally:  # the build's own lock file for its (temporary) target
                next_database.with_name(f".{next_database.name}.lock").unlink(missing_ok=True)
        moves = _stage_files(workspace, plan, txn)
        moves.append((next_database, workspace.database))
        _write_journal(workspace, {"txn": txn, "moves": moves, "meta": plan.meta})
        _replay(workspace, moves, plan.meta, after)
    return Committed(txn, [write.path for write in plan.writes], len(plan.entries), report)


def _stage_files(workspace: Workspace, plan: Plan, txn: str) -> list[tuple[Path, Path]]:
    moves: list[tuple[Path, Path]] = []
    try:
        for write in plan.writes:
            temp = _temp_name(write.path, txn)
            _write_durably(temp, write.content.encode("utf-8"))
            moves.append((temp, write.path))
        if plan.entries:
            log = workspace.changelog
            existing = log.read_bytes() if log.exists() else b""
            if existing and not existing.endswith(b"\n"):
                existing += b"\n"
            temp = _temp_name(log, txn)
            _write_durably(temp, existing + changelog.render(plan.entries).encode("utf-8"))
            moves.append((temp, log))
    except BaseException:
        for temp, _ in moves:
            temp.unlink(missing_ok=True)
        _temp_name(workspace.database, txn).unlink(missing_ok=True)
        raise
    return moves


def _write_journal(workspace: Workspace, journal: dict[str, Any]) -> None:
    data = json.dumps(
        {**journal, "moves": [[str(a), str(b)] for a, b in journal["moves"]]}, ensure_ascii=False
    ).encode("utf-8")
    temp = workspace.journal.with_name(workspace.journal.name + TEMP_SUFFIX)
    _write_durably(temp, data)
    _replace(temp, workspace.journal)
    fsync_directory(workspace.journal.parent)


def _replay(
    workspace: Workspace,
    moves: Sequence[tuple[Path, Path]],
    meta: dict[str, Any],
    after: AfterCommit | None,
) -> None:
    folders: set[Path] = set()
    for temp, target in moves:
        if temp.exists():  # absent: renamed already, before an interruption
            _replace(temp, target)
            folders.add(target.parent)
    for folder in folders:
        fsync_directory(folder)
    if after is not None:
        after(meta)
    workspace.journal.unlink(missing_ok=True)
    fsync_directory(workspace.journal.parent)


def recover(
    workspace: Workspace, after: AfterCommit | None = None, *, _locked: bool = False
) -> dict[str, Any] | None:
    """Finish a commit that a crash interrupted; sweep up temporary files of one that never
    got as far as its journal. Returns the finished commit's ``meta``, or None.
    """
    if not _locked:
        if not workspace.journal.exists() and not _strays(workspace):
            return None
        with locked(workspace):
            return recover(workspace, after, _locked=True)
    if workspace.journal.exists():
        journal = json.loads(workspace.journal.read_text(encoding="utf-8"))
        moves = [(Path(a), Path(b)) for a, b in journal["moves"]]
        meta: dict[str, Any] = journal.get("meta") or {}
        _replay(workspace, moves, meta, after)
        _sweep(workspace)
        return meta
    _sweep(workspace)
    return None


def _strays(workspace: Workspace) -> list[Path]:
    found: list[Path] = []
    for folder in (workspace.providers_dir, workspace.data_dir, workspace.database.parent):
        if folder.is_dir():
            found += folder.glob(f".*{TEMP_SUFFIX}")
    if workspace.database.parent.is_dir():
        found += workspace.database.parent.glob(f"{STAGING_PREFIX}*")
        # what a build into a temporary target leaves if it is killed half-way
        found += workspace.database.parent.glob(f".*{TEMP_SUFFIX}.*.tmp")
        found += workspace.database.parent.glob(f".*{TEMP_SUFFIX}.lock")
    return found


def _sweep(workspace: Workspace) -> None:
    for path in _strays(workspace):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
