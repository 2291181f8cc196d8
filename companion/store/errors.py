"""Store failures the CLI and HTTP layers explain to the user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The store could not do what was asked; nothing was changed."""


class CorruptDatabase(StoreError):
    """A data file cannot be read. It is left exactly as it is."""

    def __init__(self, path: Path, reason: str, backups: Path | None = None) -> None:
        self.path = path
        self.reason = reason
        hint = f" Backups are in {backups}." if backups else ""
        super().__init__(
            f"The database file {path} is damaged ({reason}). Rapport has not changed it. "
            f"Restore it from a backup, or move it aside to start with an empty database.{hint}"
        )


class DataDirInUse(StoreError):
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        super().__init__(
            f"Another Rapport process is using {data_dir}. Stop it first "
            f"(or use the running companion's API), then try again."
        )


class WriteFailed(StoreError):
    """The journal could not be written (disk full, permissions): the change was rolled back."""
