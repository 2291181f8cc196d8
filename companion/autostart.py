"""`rapport autostart`: start the companion at login with each system's own mechanism.

A systemd user unit on Linux, a LaunchAgent on macOS, a Startup-folder entry on Windows. Each file is
rendered by a pure function of what runs (this interpreter, the data folder, the port); turning it on
writes the file atomically and asks the system to start it, turning it off stops it and removes the file.
Every folder is injectable, so tests never touch the real home.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from companion.domain.errors import RapportError
from companion.store.files import write_atomically

UNIT = "rapport.service"
LABEL = "app.rapport.companion"  # the LaunchAgent's label, and its file's name
STARTUP_ENTRY = "Rapport companion.cmd"
SYSTEMCTL_TIMEOUT_S = 60


class AutostartError(RapportError):
    """The system cannot start Rapport at login (no user session, a failing service manager, a bad path)."""


@dataclass(frozen=True)
class Launch:
    """What starts at login: this interpreter serving one data folder on one port (all paths absolute)."""

    executable: str
    data_dir: str
    port: int
    live_port: int | None = None

    @classmethod
    def here(cls, data_dir: Path, port: int, live_port: int | None = None) -> Launch:
        # abspath, not resolve: a venv's python is a symlink, and following it would leave the venv behind.
        return cls(os.path.abspath(sys.executable), os.path.abspath(data_dir.expanduser()), port, live_port)

    def argv(self) -> list[str]:
        # -P: the folder the service starts in is not put on sys.path (a `companion/` there would win).
        live = ["--live-port", str(self.live_port)] if self.live_port is not None else []
        argv = [self.executable, "-P", "-m", "companion", "serve", "--port", str(self.port), *live,
                "--data-dir", self.data_dir]
        for arg in argv:
            if any(ord(c) < 32 for c in arg):
                raise AutostartError(f"{arg!r} has a line break or a control character: no start-up file can hold it")
        return argv

    @classmethod
    def from_argv(cls, argv: list[str]) -> Launch | None:
        """The launch a file of ours starts, or None when the file says something else."""
        if argv[1:5] != ["-P", "-m", "companion", "serve"]:
            return None
        try:
            options = dict(zip(argv[5::2], argv[6::2], strict=True))
            live = options.get("--live-port")
            return cls(argv[0], options["--data-dir"], int(options["--port"]), int(live) if live else None)
        except (KeyError, ValueError, IndexError):
            return None


# -- the files, one pure function each ----------------------------------------------------------------
def _systemd_word(arg: str) -> str:
    # systemd's own quoting: C-style escapes inside double quotes; % starts a specifier and $ a variable.
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$") + '"'


def systemd_unit(launch: Launch) -> str:
    return "\n".join([
        "# Written by `rapport autostart on`; `rapport autostart off` stops Rapport and removes this file.",
        "[Unit]",
        "Description=Rapport companion (your relationships on X, kept on this machine)",
        # A companion that cannot start (its port taken, a damaged database) stops being retried after 5 tries.
        "StartLimitIntervalSec=300",
        "StartLimitBurst=5",
        "",
        "[Service]",
        "Type=exec",  # `systemctl start` fails when the interpreter cannot be run, not later
        "ExecStart=" + " ".join(_systemd_word(a) for a in launch.argv()),
        "Restart=on-failure",
        "RestartSec=5",
        # SIGTERM makes the companion save its last snapshot: give it time.
        "TimeoutStopSec=60",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ])


def systemd_exec_start(unit: str) -> list[str]:
    """ExecStart's words, read back the way systemd reads the quoting that systemd_unit writes."""
    line = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    return [re.sub(r"%%|\$\$", lambda m: m.group()[0], w) for w in shlex.split(line.removeprefix("ExecStart="))]


def launch_agent(launch: Launch, log: Path) -> bytes:
    return plistlib.dumps({
        "Label": LABEL,
        "ProgramArguments": launch.argv(),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # restarted when it fails, not when it was stopped
        "ThrottleInterval": 10,
        "StandardOutPath": str(log),
        "StandardErrorPath": str(log),
    })


def startup_cmd(launch: Launch) -> str:
    # Windows paths cannot hold '"'; in a batch file % must be doubled. A minimised console keeps the
    # companion's output, and closing it stops the companion.
    words = " ".join('"' + a.replace("%", "%%") + '"' for a in launch.argv())
    return "\r\n".join([
        "@echo off",
        "rem Written by `rapport autostart on`; `rapport autostart off` removes this file.",
        f'start "Rapport companion" /min {words}',
        "",
    ])


def startup_cmd_argv(text: str) -> list[str]:
    line = next(x for x in text.splitlines() if x.startswith("start "))
    words = re.findall(r'"([^"]*)"', line)[1:]  # the first quoted word is the window's title
    return [w.replace("%%", "%") for w in words]


# -- each system ---------------------------------------------------------------------------------------
class System(Protocol):
    name: str
    path: Path

    def render(self, launch: Launch) -> bytes: ...
    def argv_in(self, content: bytes) -> list[str]: ...
    def check(self) -> None: ...
    def start(self, changed: bool, now: bool) -> None: ...
    def stop(self) -> str | None: ...
    def reload(self) -> None: ...
    def state(self) -> str: ...


def _run(command: list[str], missing: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the system's own tool; with `check`, a failure is an AutostartError saying what it said."""
    shown = " ".join(command)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT_S)
    except FileNotFoundError:
        raise AutostartError(f"{command[0]} not found: {missing}") from None
    except subprocess.TimeoutExpired:
        raise AutostartError(f"`{shown}` did not answer within {SYSTEMCTL_TIMEOUT_S} s") from None
    if check and done.returncode != 0:
        raise AutostartError(f"`{shown}` failed: {_said(done)}")
    return done


def _said(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


class SystemdUser:
    name = "systemd user unit"

    def __init__(self, unit_dir: Path) -> None:
        self.unit = UNIT
        self.path = unit_dir / UNIT

    def render(self, launch: Launch) -> bytes:
        return systemd_unit(launch).encode()

    def argv_in(self, content: bytes) -> list[str]:
        return systemd_exec_start(content.decode())

    def _systemctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(["systemctl", "--user", *args], "this Linux has no systemd; start `rapport serve` from your "
                                                    "desktop's own autostart settings instead", check)

    def check(self) -> None:
        done = self._systemctl("show", "--property=Version", check=False)
        if done.returncode != 0:
            raise AutostartError(f"no systemd user session to start Rapport in ({_said(done)}): log in to a desktop "
                                 "or an ssh session with systemd, or run `rapport serve` yourself")

    def start(self, changed: bool, now: bool) -> None:
        self._systemctl("daemon-reload")
        self._systemctl("reset-failed", self.unit, check=False)  # after 5 failed starts, `on` tries again
        self._systemctl("enable", *(["--now"] if now else []), self.unit)
        if changed and now:
            self._systemctl("restart", self.unit)

    def stop(self) -> str | None:
        self._systemctl("disable", "--now", self.unit)
        return None

    def reload(self) -> None:
        self._systemctl("daemon-reload", check=False)

    def state(self) -> str:
        try:
            self.check()
        except AutostartError as exc:
            return str(exc)
        enabled = self._systemctl("is-enabled", self.unit, check=False).stdout.strip()
        active = self._systemctl("is-active", self.unit, check=False).stdout.strip()
        return f"{enabled}, {active} (journalctl --user -u {self.unit} shows its output)"


class LaunchAgent:
    name = "LaunchAgent"

    def __init__(self, home: Path, uid: int) -> None:
        self.path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        self.log = home / "Library" / "Logs" / "Rapport.log"
        self.domain = f"gui/{uid}"

    def render(self, launch: Launch) -> bytes:
        return launch_agent(launch, self.log)

    def argv_in(self, content: bytes) -> list[str]:
        return list(plistlib.loads(content)["ProgramArguments"])

    def _launchctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run(["launchctl", *args], "a LaunchAgent needs macOS's launchd", check)

    def _loaded(self) -> subprocess.CompletedProcess[str]:
        return self._launchctl("print", f"{self.domain}/{LABEL}", check=False)

    def check(self) -> None:
        done = self._launchctl("print", self.domain, check=False)
        if done.returncode != 0:
            raise AutostartError(f"no macOS login session ({self.domain}) to load a LaunchAgent in ({_said(done)}): "
                                 "run this in a Terminal of your desktop session")

    def start(self, changed: bool, now: bool) -> None:
        # Loading the agent runs it (RunAtLoad); an agent already loaded keeps running unless it changed.
        loaded = self._loaded().returncode == 0
        if loaded and changed:
            self._launchctl("bootout", f"{self.domain}/{LABEL}")
        if not loaded or changed:
            self._launchctl("bootstrap", self.domain, str(self.path))

    def stop(self) -> str | None:
        if self._loaded().returncode == 0:
            self._launchctl("bootout", f"{self.domain}/{LABEL}")
        return None

    def reload(self) -> None:
        return None

    def state(self) -> str:
        loaded = self._loaded()
        if loaded.returncode != 0:
            return "not loaded"
        running = re.search(r"^\s*state = (\S+)", loaded.stdout, re.MULTILINE)
        return f"loaded, {running.group(1) if running else 'state unknown'} (its output goes to {self.log})"


class StartupFolder:
    name = "Startup-folder entry"

    def __init__(self, startup: Path) -> None:
        self.path = startup / STARTUP_ENTRY

    def render(self, launch: Launch) -> bytes:
        return startup_cmd(launch).encode()

    def argv_in(self, content: bytes) -> list[str]:
        return startup_cmd_argv(content.decode())

    def check(self) -> None:
        return None

    def start(self, changed: bool, now: bool) -> None:
        if now:
            os.startfile(self.path)  # type: ignore[attr-defined]  # Windows only

    def stop(self) -> str | None:
        return "the companion running now stops when you close its window (it is minimised in the taskbar)"

    def reload(self) -> None:
        return None

    def state(self) -> str:
        return "runs when you sign in to Windows"


def for_this_system(env: dict[str, str] | None = None, platform: str = sys.platform,
                    home: Path | None = None) -> System:
    """This system's mechanism, with its folders taken from `env` and `home` (tests pass their own)."""
    env = dict(os.environ) if env is None else env
    home = home or Path(env.get("HOME") or Path.home())
    if platform == "darwin":
        return LaunchAgent(home, os.getuid())
    if platform == "win32":
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        return StartupFolder(appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup")
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    return SystemdUser(config / "systemd" / "user")


# -- on, off, status -----------------------------------------------------------------------------------
def installed(system: System) -> Launch | None:
    """What the system's file starts, or None when there is no file (or not one of ours)."""
    try:
        return Launch.from_argv(system.argv_in(system.path.read_bytes()))
    except (OSError, ValueError, KeyError, StopIteration, plistlib.InvalidFileException):
        return None


def turn_on(system: System, launch: Launch, already_serving: bool = False) -> str:
    """Write the file and start it: "on", "updated" or "unchanged". On any failure things stay as they were.

    `already_serving`: a companion answers on the port now (one started by hand): the new one starts at the
    next login instead of failing now on a taken port."""
    content = system.render(launch)
    system.check()
    try:
        before: bytes | None = system.path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        before = None
    try:
        system.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(system.path, content)
    except OSError as exc:
        raise AutostartError(f"cannot write {system.path}: {exc.strerror}") from None
    try:
        system.start(changed=before is not None and before != content, now=not already_serving)
    except AutostartError:
        # Back to how it was: no file and nothing enabled, or the previous file, started again.
        if before is None:
            with suppress(AutostartError):
                system.stop()
            system.path.unlink(missing_ok=True)
            system.reload()
        else:
            write_atomically(system.path, before)
            with suppress(AutostartError):
                system.start(changed=True, now=not already_serving)
        raise
    return "on" if before is None else "unchanged" if before == content else "updated"


def turn_off(system: System) -> tuple[bool, str | None]:
    """Stop it and remove the file: (whether there was one, a note for the user)."""
    if not system.path.exists():
        return False, None
    system.check()
    note = system.stop()
    system.path.unlink()
    system.reload()
    return True, note
