"""Where the data-update machinery reads and writes, resolved once from the app's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.dataset.codes import is_jurisdiction_code
from directory.dataset.models import slug_is_valid


@dataclass(frozen=True)
class Workspace:
    """The dataset folder, the built database, the gazetteer, the queue and the limits.

    The lock and journal that keep approvals and imports atomic live beside the built
    database, because they guard it and the dataset together, and the web app and the
    command line share them whatever their working directory.
    """

    data_dir: Path
    database: Path
    gazetteer: Path
    queue: Path
    stale_after_days: int = 365
    submit_limit: int = 10
    login_limit: int = 10
    #: The instance secret the rate limits derive their daily keys from (never stored).
    rate_secret: bytes = field(default=b"", repr=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Workspace:
        """The workspace described by a Flask config mapping (its paths resolved by
        :func:`directory.settings.load_settings`)."""
        return cls(
            data_dir=Path(config["DATA_DIR"]),
            database=Path(config["DATABASE"]),
            gazetteer=Path(config["GAZETTEER"]),
            queue=Path(config["SUBMISSIONS_DATABASE"]),
            stale_after_days=int(config.get("STALE_AFTER_DAYS", 365)),
            submit_limit=int(config.get("SUBMIT_LIMIT_PER_HOUR", 10)),
            login_limit=int(config.get("LOGIN_LIMIT_PER_HOUR", 10)),
            rate_secret=str(config.get("SECRET_KEY") or "").encode(),
        )

    @property
    def providers_dir(self) -> Path:
        """The folder of provider files."""
        return self.data_dir / "providers"

    @property
    def changelog(self) -> Path:
        """The field-level change log, one JSON object per line."""
        return self.data_dir / "changelog.jsonl"

    @property
    def lock_file(self) -> Path:
        """Held while an approval or an import changes data/ and the database.

        It is the lock ``build_database`` takes for this database, so ``flask build`` and a
        commit never interleave either (a build reading data/ mid-commit could otherwise
        rename an older database over the new one).
        """
        return self.database.parent / f".{self.database.name}.lock"

    @property
    def journal(self) -> Path:
        """The list of renames of a change being committed; present only mid-commit."""
        return self.database.parent / f".{self.database.name}.changes.journal"

    def provider_file(self, provider_id: str) -> Path:
        """The file of provider ``provider_id``; raises ValueError for an invalid id."""
        if not slug_is_valid(provider_id):
            raise ValueError(f"not a provider id: {provider_id[:60]!r}")
        return self.providers_dir / f"{provider_id}.yaml"

    def has_jurisdiction(self, code: str) -> bool:
        """Whether the dataset has a jurisdiction file for ``code``."""
        if not is_jurisdiction_code(code):
            return False
        return (self.data_dir / "jurisdictions" / f"{code}.yaml").is_file()
