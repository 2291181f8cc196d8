"""`rapport autostart`: the file each system reads, and on Linux a real systemd user manager starting it.

Every test points HOME (and XDG_RUNTIME_DIR, APPDATA) at its own tmp folder: the real home is never touched."""

from __future__ import annotations

import os
import plistlib
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from companion import autostart
from companion.autostart import AutostartError, Launch
from tests.conftest import ROOT, free_port

# A data folder whose name systemd, launchd and cmd.exe each have their own way of quoting.
AWKWARD = 'my data 100% $HOME "quoted" back\\slash'


def rapport(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def user_env(tmp_path: Path) -> dict[str, str]:
    """This user's environment with a home and a runtime folder of the test's own (no session bus in it)."""
    run = tmp_path / "run"
    run.mkdir(mode=0o700, exist_ok=True)
    home = tmp_path / "my home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CONFIG_HOME", "DBUS_SESSION_BUS_ADDRESS", "RAPPORT_DATA_DIR")}
    return {**env, "HOME": str(home), "XDG_RUNTIME_DIR": str(run)}


# -- the files --------------------------------------------------------------------------------------------
def test_the_unit_file_runs_this_interpreter_on_the_data_folder_and_port_as_systemd_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "interpreter with spaces"
    folder.mkdir()
    (folder / "python 3").symlink_to(sys.executable)
    launch = Launch(str(folder / "python 3"), str(tmp_path / AWKWARD), 48123)
    system = autostart.for_this_system(env={"HOME": str(tmp_path)}, platform="linux")
    assert system.path == tmp_path / ".config" / "systemd" / "user" / "rapport.service"
    unit = system.render(launch).decode()

    assert autostart.systemd_exec_start(unit) == [
        str(folder / "python 3"), "-P", "-m", "companion", "serve", "--port", "48123", "--data-dir",
        str(tmp_path / AWKWARD)]
    lines = unit.splitlines()
    assert {"Restart=on-failure", "Type=exec", "WantedBy=default.target"} <= set(lines)
    exec_start = next(x for x in lines if x.startswith("ExecStart="))
    assert "100%% $$HOME" in exec_start  # a bare % is a specifier to systemd, a bare $ a variable
    if shutil.which("systemd-analyze"):
        # systemd's own parser: it finds the interpreter through the quoted spaces, and accepts every line.
        target = tmp_path / "rapport.service"
        target.write_text(unit)
        verified = subprocess.run(["systemd-analyze", "verify", "--man=no", str(target)], capture_output=True,
                                  text=True, timeout=60)
        assert verified.returncode == 0, verified.stderr
        (folder / "python 3").unlink()
        missing = subprocess.run(["systemd-analyze", "verify", "--man=no", str(target)], capture_output=True,
                                 text=True, timeout=60)
        assert f"Command {folder / 'python 3'} is not executable" in missing.stderr


def test_xdg_config_home_is_where_the_unit_goes_when_it_is_set(tmp_path: Path) -> None:
    system = autostart.for_this_system(env={"HOME": "/nowhere", "XDG_CONFIG_HOME": str(tmp_path)}, platform="linux")
    assert system.path == tmp_path / "systemd" / "user" / "rapport.service"


def test_the_launch_agent_is_a_plist_that_runs_at_load_and_restarts_only_after_a_failure(tmp_path: Path) -> None:
    launch = Launch("/Users/me/.local/pipx/venvs/rapport/bin/python", f"/Users/me/{AWKWARD}", 47600)
    system = autostart.for_this_system(env={}, platform="darwin", home=tmp_path)
    assert system.path == tmp_path / "Library" / "LaunchAgents" / "app.rapport.companion.plist"

    agent = plistlib.loads(system.render(launch))
    assert agent["Label"] == "app.rapport.companion"
    assert agent["ProgramArguments"] == launch.argv()
    assert agent["ProgramArguments"][-1] == f"/Users/me/{AWKWARD}"  # one argument, no shell in between
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["StandardOutPath"] == agent["StandardErrorPath"] == str(tmp_path / "Library" / "Logs" / "Rapport.log")
    assert system.argv_in(system.render(launch)) == launch.argv()


def test_the_windows_startup_entry_starts_it_minimised_with_each_path_quoted(tmp_path: Path) -> None:
    launch = Launch(r"C:\Program Files\Python311\python.exe", r"C:\Users\me\Rapport 100% data", 48000, live_port=48010)
    system = autostart.for_this_system(env={"APPDATA": str(tmp_path)}, platform="win32")
    assert system.path == tmp_path / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / \
        "Rapport companion.cmd"

    entry = system.render(launch).decode()
    assert entry.endswith("\r\n") and "\n" not in entry.replace("\r\n", "")  # cmd.exe's line ends
    start = entry.splitlines()[-1]
    assert start == ('start "Rapport companion" /min "C:\\Program Files\\Python311\\python.exe" "-P" "-m" '
                     '"companion" "serve" "--port" "48000" "--live-port" "48010" "--data-dir" '
                     '"C:\\Users\\me\\Rapport 100%% data"')
    assert system.argv_in(entry.encode()) == launch.argv()


def test_a_changed_port_or_folder_is_a_different_file_and_the_same_one_is_the_same(tmp_path: Path) -> None:
    for platform in ("linux", "darwin", "win32"):
        system = autostart.for_this_system(env={"HOME": str(tmp_path), "APPDATA": str(tmp_path)}, platform=platform,
                                           home=tmp_path)
        one = Launch.here(tmp_path / "data", 47600)
        assert system.render(one) == system.render(Launch.here(tmp_path / "data", 47600))
        assert system.render(one) != system.render(Launch.here(tmp_path / "data", 47601))
        assert system.render(one) != system.render(Launch.here(tmp_path / "other", 47600))
        assert Launch.from_argv(system.argv_in(system.render(one))) == one


def test_the_data_folder_is_made_absolute_and_the_interpreter_is_not_followed_out_of_its_venv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    launch = Launch.here(Path("relative/data"), 47600)
    assert launch.data_dir == str(tmp_path / "relative" / "data")
    assert launch.executable == os.path.abspath(sys.executable)  # the venv's python, a symlink, as it is


# -- the command, where no systemd user manager answers ---------------------------------------------------
def test_without_a_systemd_user_session_on_fails_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    env = user_env(tmp_path)  # a runtime folder with no manager in it
    refused = rapport("autostart", "on", "--data-dir", str(tmp_path / "data"), env=env)
    assert refused.returncode == 2
    assert refused.stderr.startswith("rapport: no systemd user session") and len(refused.stderr.splitlines()) == 1
    assert not (Path(env["HOME"]) / ".config").exists()
    status = rapport("autostart", "status", env=env)
    assert status.returncode == 0 and status.stdout.startswith("autostart is off")
    off = rapport("autostart", "off", env=env)
    assert off.returncode == 0 and off.stdout.startswith("autostart is off already")


def test_a_data_folder_with_a_line_break_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    env = user_env(tmp_path)
    refused = rapport("autostart", "on", "--data-dir", str(tmp_path / "two\nlines"), env=env)
    assert refused.returncode == 2 and "line break" in refused.stderr
    assert not (Path(env["HOME"]) / ".config").exists()


# -- a real systemd user manager ----------------------------------------------------------------------------
def _manager_command() -> list[str] | str:
    """How to start a user manager of the test's own, or why none can run here."""
    systemd = "/usr/lib/systemd/systemd"
    if not Path(systemd).exists() or not shutil.which("systemctl"):
        return "systemd is not installed"
    if Path("/run/systemd/system").is_dir():  # booted with systemd: a user manager runs as it is
        return [systemd, "--user"]
    # In a container systemd did not boot, and `systemd --user` refuses to run. As root, a private mount
    # namespace can show it the /run/systemd/system it looks for, without changing anything outside it.
    if os.geteuid() != 0 or not shutil.which("unshare") or not Path("/run/systemd").is_dir():
        return ("`systemctl --user` has no user manager to talk to here (systemd did not boot this machine), and "
                "starting one in a private mount namespace needs root and unshare")
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            f"mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec {systemd} --user"]


@pytest.fixture
def user_manager(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real systemd user manager for a home in tmp_path; yields the environment that reaches it."""
    command = _manager_command()
    if isinstance(command, str):
        pytest.skip(command)
    env = user_env(tmp_path)
    log = tmp_path / "user-manager.log"
    with open(log, "w") as out:
        manager = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["systemctl", "--user", "show", "--property=Version"], env=env, capture_output=True,
                             timeout=30).returncode != 0:
            if manager.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"a systemd user manager would not start here: {log.read_text()[-400:]}")
            time.sleep(0.1)
        yield env
    finally:
        subprocess.run(["systemctl", "--user", "stop", autostart.UNIT], env=env, capture_output=True, timeout=90)
        manager.send_signal(signal.SIGTERM)
        try:
            manager.wait(timeout=20)
        except subprocess.TimeoutExpired:
            manager.kill()
            manager.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).json()["name"] == "rapport"
    except (requests.ConnectionError, requests.Timeout):
        return False


def _answers_soon(port: int) -> bool:
    """systemctl returns once the interpreter runs; the companion listens a moment later."""
    deadline = time.monotonic() + 20
    while not _answers(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _why(env: dict[str, str], data: Path) -> str:
    """What systemd and the companion said, for a failure's message."""
    status = subprocess.run(["systemctl", "--user", "status", "-l", "--no-pager", autostart.UNIT], env=env,
                            capture_output=True, text=True, timeout=30)
    logs = "".join(f.read_text()[-1500:] for f in data.glob("serve-*")) if data.exists() else ""
    return f"{status.stdout[-2000:]}{status.stderr[-500:]}\n{logs}"


def test_on_starts_the_companion_under_systemd_and_off_stops_it(user_manager: dict[str, str], tmp_path: Path) -> None:
    env = user_manager
    data = tmp_path / AWKWARD
    # Both ports chosen free (the live port would otherwise be the next one, which something may hold).
    port, live = free_port(), free_port()
    unit = Path(env["HOME"]) / ".config" / "systemd" / "user" / "rapport.service"

    on = rapport("autostart", "on", "--port", str(port), "--live-port", str(live), "--data-dir", str(data), env=env)
    assert on.returncode == 0, f"{on.stderr}\n{_why(env, data)}"
    assert on.stdout.startswith(f"autostart is on: systemd user unit {unit}") and "the companion answers" in on.stdout
    assert _answers(port) and (data / "rapport.lock").exists()  # that very folder, through systemd's quoting
    assert subprocess.run(["systemctl", "--user", "is-enabled", "rapport.service"], env=env, capture_output=True,
                          text=True).stdout.strip() == "enabled"
    status = rapport("autostart", "status", env=env)
    assert f"it serves {data} on port {port}" in status.stdout and "enabled, active" in status.stdout
    assert f"the companion answers on http://127.0.0.1:{port}/" in status.stdout
    written = unit.read_bytes()

    again = rapport("autostart", "on", "--port", str(port), "--live-port", str(live), "--data-dir", str(data), env=env)
    assert again.returncode == 0 and "on (unchanged)" in again.stdout and unit.read_bytes() == written

    moved = free_port()
    changed = rapport("autostart", "on", "--port", str(moved), "--live-port", str(live), "--data-dir", str(data),
                      env=env)
    assert changed.returncode == 0 and "on (updated)" in changed.stdout, f"{changed.stderr}\n{_why(env, data)}"
    assert _answers(moved) and not _answers(port)  # restarted with the new port

    off = rapport("autostart", "off", env=env)
    assert off.returncode == 0 and off.stdout.startswith(f"autostart is off: stopped, and {unit} removed")
    assert not unit.exists() and not _answers(moved)
    assert rapport("autostart", "status", env=env).stdout.startswith("autostart is off")


def test_when_systemd_cannot_start_it_the_unit_file_is_left_as_it_was(
        user_manager: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in user_manager.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    system = autostart.for_this_system()
    broken = Launch(str(tmp_path / "no such python"), str(tmp_path / "data"), free_port())

    with pytest.raises(AutostartError, match=r"`systemctl --user enable --now rapport.service` failed"):
        autostart.turn_on(system, broken)
    assert [p for p in system.path.parent.rglob("*") if not p.is_dir()] == []  # not even enabled

    good = Launch.here(tmp_path / "data", free_port(), free_port())
    assert autostart.turn_on(system, good) == "on"
    with pytest.raises(AutostartError):
        autostart.turn_on(system, broken)
    assert autostart.installed(system) == good and _answers_soon(good.port)  # the working one is back, and runs
    assert autostart.turn_off(system) == (True, None) and not system.path.exists()


def test_a_unit_folder_that_cannot_be_written_is_one_clear_line(user_manager: dict[str, str], tmp_path: Path) -> None:
    blocked = Path(user_manager["HOME"]) / ".config" / "systemd"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the folder should be")
    refused = rapport("autostart", "on", "--port", str(free_port()), "--data-dir", str(tmp_path / "data"),
                      env=user_manager)
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1
    assert refused.stderr.startswith(f"rapport: cannot write {blocked / 'user' / 'rapport.service'}")
