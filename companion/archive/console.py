"""How an archive import looks in a terminal: progress bars (rich) while it runs, then the summary."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from companion.domain.vocabulary import STAGE_NAMES

PHASES = {"opening": "Opening", "sending": "Sending to the companion", "checking": "Checking every file",
          "importing": "Importing", "done": "Done"}


class ProgressBars:
    """Two bars on stderr: the whole import (checking reads every data file once, importing reads the posts
    again), and the file being read, with how many items of it so far."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.bars = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), DownloadColumn(),
                             TextColumn("{task.fields[items]}"), TimeRemainingColumn(), console=self.console,
                             transient=True)
        self.whole = self.bars.add_task("Opening", total=None, items="")
        self.file = self.bars.add_task("", total=1, visible=False, items="")

    def __enter__(self) -> ProgressBars:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def show(self, state: dict[str, Any]) -> None:
        self.bars.update(self.whole, completed=state["done"], total=max(1, state["total"]),
                         description=PHASES.get(state["phase"], state["phase"]))
        if state.get("file"):
            items = f"{state['file_items']:,} items" if state.get("file_items") is not None else ""
            self.bars.update(self.file, description=f"  {state['file']}", completed=state["file_done"],
                             total=max(1, state["file_size"]), visible=True, items=items)


def _n(value: int) -> str:
    return f"{value:,}"


def print_summary(summary: dict[str, Any]) -> None:
    out = Console(soft_wrap=True)
    owner = summary["owner"]
    who = f"@{owner['handle']} ({owner['user_id']})" if owner.get("handle") else owner["user_id"]
    made = f", made {summary['generated_at'][:10]}" if summary.get("generated_at") else ""
    verb = "Would import" if summary["dry_run"] else "Imported"
    out.print(f"{verb} the X archive of {who}{made}:", highlight=False)
    by_stage = ", ".join(f"{_n(n)} to {STAGE_NAMES[int(s)].lower()}"
                         for s, n in sorted(summary["raised_to"].items(), reverse=True))
    rows = [("people added", _n(summary["people_added"])), ("people updated", _n(summary["people_updated"])),
            ("stages raised", _n(summary["stages_raised"]) + (f" ({by_stage})" if by_stage else "")),
            ("interactions added", _n(summary["interactions_added"]))]
    known = summary["follows_known"]
    follows = [f"{_n(summary['follows_me_set'])} newly follow you" if known["follows_me"] else "followers unknown",
               f"you newly follow {_n(summary['i_follow_set'])}" if known["i_follow"] else "whom you follow unknown"]
    rows.append(("follows", ", ".join(follows)))
    for label, value in rows:
        out.print(f"  {label:<20}{value}", highlight=False)
    if summary["missing_files"]:
        out.print(f"  not in this archive: {', '.join(summary['missing_files'])}", highlight=False)
    skipped = summary["skipped"]
    notes = [(skipped["deleted_posts"], "deleted posts (count them with --include-deleted)"),
             (skipped["handle_changed_hands"], "mentions of a handle that has changed hands since (not credited)"),
             (skipped["no_account"], "names with no account behind them any more"),
             (skipped["silent_groups"], "group conversations you never wrote in (no stage)"),
             (skipped["self_conversations"], "conversations with yourself"),
             (skipped["likes"], "likes (X's archive does not say whose posts they were)")]
    for count, what in notes:
        if count:
            out.print(f"  not counted: {_n(count)} {what}", highlight=False)
    if summary["dry_run"]:
        out.print("Dry run: nothing was written.", highlight=False)
