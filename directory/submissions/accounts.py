"""Maintainer accounts: names and argon2id password hashes in the queue database.

Accounts are created only from the command line (``flask --app directory maintainers add``);
there is no sign-up page. :func:`verify` spends the same time on an unknown name as on a
wrong password, so a login form does not reveal which names exist.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sqlite3
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from directory.submissions import ratelimit

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS maintainers (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    session_epoch TEXT NOT NULL DEFAULT ''
);
"""

#: Added to the accounts table of queues made before sessions could be ended on the server.
MIGRATIONS = ("ALTER TABLE maintainers ADD COLUMN session_epoch TEXT NOT NULL DEFAULT ''",)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so both failures cost one argon2 run."""
    return _hasher.hash("not a real password, only used to even out timing")


class AccountError(ValueError):
    """A name or password that cannot be used, with a message saying why."""


@dataclass(frozen=True)
class Maintainer:
    """A maintainer account (never with its hash).

    ``session_epoch`` is a random token every session of the account carries; replacing it
    (logout, a new password, removal) ends them all, wherever their cookies were copied.
    """

    name: str
    created_at: str
    session_epoch: str = ""


def check_name(name: str) -> str:
    """``name`` if it is a usable account name; raises :class:`AccountError`."""
    if not NAME_PATTERN.match(name):
        raise AccountError(
            "a name is 2 to 40 letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    """``password`` if it is long enough; raises :class:`AccountError`."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def add(connection: sqlite3.Connection, name: str, password: str) -> Maintainer:
    """Create an account; raises :class:`AccountError` if the name is taken or unusable."""
    check_name(name)
    check_password(password)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    epoch = secrets.token_urlsafe(24)
    try:
        connection.execute(
            "INSERT INTO maintainers (name, password_hash, created_at, session_epoch) "
            "VALUES (?, ?, ?, ?)",
            [name, _hasher.hash(password), created, epoch],
        )
    except sqlite3.IntegrityError:
        raise AccountError(f"a maintainer called {name!r} already exists") from None
    return Maintainer(name, created, epoch)


def end_sessions(connection: sqlite3.Connection, name: str) -> str:
    """End every session of ``name`` by giving the account a new epoch; returns it."""
    epoch = secrets.token_urlsafe(24)
    connection.execute("UPDATE maintainers SET session_epoch = ? WHERE name = ?", [epoch, name])
    return epoch


def set_password(connection: sqlite3.Connection, name: str, password: str) -> bool:
    """Give ``name`` a new password and end its sessions; False if there is no such account."""
    check_password(password)
    cursor = connection.execute(
        "UPDATE maintainers SET password_hash = ?, session_epoch = ? WHERE name = ?",
        [_hasher.hash(password), secrets.token_urlsafe(24), name],
    )
    return cursor.rowcount == 1


def remove(connection: sqlite3.Connection, name: str) -> bool:
    """Delete an account; False if there was none. Its sessions stop working at once."""
    cursor = connection.execute("DELETE FROM maintainers WHERE name = ?", [name])
    return cursor.rowcount == 1


def list_all(connection: sqlite3.Connection) -> list[Maintainer]:
    """Every account, by name."""
    rows = connection.execute("SELECT name, created_at FROM maintainers ORDER BY name")
    return [Maintainer(row[0], row[1]) for row in rows]


def find(connection: sqlite3.Connection, name: str) -> Maintainer | None:
    """The account called ``name`` (any case), or None."""
    row = connection.execute(
        "SELECT name, created_at, session_epoch FROM maintainers WHERE name = ?", [name]
    ).fetchone()
    return None if row is None else Maintainer(row[0], row[1], row[2])


def verify(connection: sqlite3.Connection, name: str, password: str) -> Maintainer | None:
    """The account if ``password`` is right for ``name``, else None (in about the same time)."""
    if len(password) > MAX_PASSWORD or len(name) > 100:
        return None
    row = connection.execute(
        "SELECT name, password_hash, created_at, session_epoch FROM maintainers WHERE name = ?",
        [name],
    ).fetchone()
    stored = row[1] if row is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):  # parameters were raised since it was hashed
        connection.execute(
            "UPDATE maintainers SET password_hash = ? WHERE name = ?",
            [_hasher.hash(password), row[0]],
        )
    epoch = row[3] or end_sessions(connection, row[0])  # accounts from before epochs existed
    return Maintainer(row[0], row[2], epoch)


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the account, or whether the limit stopped it."""

    maintainer: Maintainer | None
    limited: bool = False


#: Failures on one account, from every client together, that stop all logins to it for an
#: hour (or until ``flask maintainers unlock``): ``limit`` times this, far above a person's
#: mistyping, so a few guesses from elsewhere never lock a maintainer out.
ACCOUNT_CEILING_FACTOR = 10


def _account_key(name: str) -> str:
    return name.strip().lower()[:100]


def unlock(connection: sqlite3.Connection, secret: bytes, name: str) -> None:
    """Forget the recent failed logins counted against account ``name`` (not per client)."""
    ratelimit.clear(connection, secret, "login-name", _account_key(name))


def attempt_login(
    connection: sqlite3.Connection,
    secret: bytes,
    name: str,
    password: str,
    client: str,
    limit: int,
) -> LoginResult:
    """Check a login, counting failures per client and per account name.

    A client with ``limit`` failures in the past hour is refused without checking the
    password; an account is refused to everyone only past :data:`ACCOUNT_CEILING_FACTOR`
    times that, so guessing spread over many addresses stays slow without one client's
    guesses locking the maintainer out.
    """
    account_key = _account_key(name)
    if ratelimit.blocked(connection, secret, "login-client", client, limit) or ratelimit.blocked(
        connection, secret, "login-name", account_key, limit * ACCOUNT_CEILING_FACTOR
    ):
        return LoginResult(None, limited=True)
    maintainer = verify(connection, name.strip(), password)
    if maintainer is None:
        ratelimit.record(connection, secret, "login-client", client)
        ratelimit.record(connection, secret, "login-name", account_key)
    return LoginResult(maintainer)
