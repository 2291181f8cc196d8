"""Store failures the CLI and HTTP layers explain to the user."""

from __future__ import annotations

from pathlib import Path

from .files import backups_in


class StoreError(Exception):
    """The store could not do what was asked; nothing was changed."""


def newest_backup(backups: Path | None) -> Path | None:
    found = backups_in(backups)
    return found[-1] if found else None


class CorruptDatabase(StoreError):
    """A data file cannot be read. It is left exactly as it is."""

    def __init__(self, path: Path, reason: str, backups: Path | None = None) -> None:
        self.path = path
        self.reason = reason
        self.backup = newest_backup(backups)
        # Moving the whole folder aside keeps everything in it (backups too) and always starts empty.
        folder = path.parent
        if self.backup is not None:
            hint = (f"The newest backup is {self.backup}: `rapport restore {self.backup}` goes back to it "
                    f"(the damaged files are kept aside). Or move the folder {folder} aside to start with an "
                    f"empty database.")
        else:
            where = f" in {backups}" if backups else ""
            hint = f"There is no backup{where}: move the folder {folder} aside to start with an empty database."
        super().__init__(f"The database file {path} is damaged ({reason}). Rapport has not changed it. {hint}")


class DataDirInUse(StoreError):
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        super().__init__(
            f"Another Rapport process is using {data_dir}. Stop it first "
            f"(or use the running companion's API), then try again."
        )


class WriteFailed(StoreError):
    """The journal could not be written (disk full, permissions): the change was rolled back."""
