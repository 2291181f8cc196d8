"""The `rapport` command as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, Companion, batch, tweet


def rapport(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_token_new_prints_the_token_alone_and_list_and_revoke_work(data_dir: Path) -> None:
    made = rapport("token", "new", "chrome", "--data-dir", str(data_dir))
    assert made.returncode == 0 and len(made.stdout.strip().splitlines()) == 1 and len(made.stdout.strip()) >= 40
    assert made.stdout.strip() not in (data_dir / "tokens.json").read_text()  # only its digest is kept
    assert rapport("token", "new", "chrome", "--data-dir", str(data_dir)).returncode == 2
    listed = rapport("token", "list", "--data-dir", str(data_dir))
    assert "chrome" in listed.stdout and "active" in listed.stdout
    assert rapport("token", "revoke", "chrome", "--data-dir", str(data_dir)).returncode == 0
    assert "revoked" in rapport("token", "list", "--data-dir", str(data_dir)).stdout
    gone = rapport("token", "revoke", "chrome", "--data-dir", str(data_dir))
    assert gone.returncode == 2 and "no active client" in gone.stderr


def test_data_dir_comes_from_the_environment_too(tmp_path: Path) -> None:
    where = rapport("where", env={"RAPPORT_DATA_DIR": str(tmp_path / "elsewhere")})
    assert f"database  {tmp_path / 'elsewhere' / 'rapport.json'}" in where.stdout


def test_export_and_import_from_the_command_line(data_dir: Path, tmp_path: Path) -> None:
    server = Companion(data_dir).start()
    server.post("/ingest", batch(tweets=[tweet("1", "alice", reply_to=["me"])]))
    busy = rapport("export", "--data-dir", str(data_dir))
    assert busy.returncode == 2 and "Another Rapport process" in busy.stderr
    server.stop()
    out = tmp_path / "export.json"
    assert rapport("export", "-o", str(out), "--data-dir", str(data_dir)).returncode == 0
    assert json.loads(out.read_text())["people"][0]["handle"] == "alice"
    fresh = tmp_path / "fresh"
    imported = rapport("import", str(out), "--data-dir", str(fresh))
    assert imported.returncode == 0 and "1 people created" in imported.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "rapport-export", "version": 1, "exported_at": "2026-01-01T00:00:00Z", "people": [{}]}')
    refused = rapport("import", str(bad), "--data-dir", str(fresh))
    assert refused.returncode == 2 and "/people/0" in refused.stderr


def test_serve_says_where_data_lives_and_what_to_do_next(tmp_path: Path) -> None:
    import signal

    from tests.conftest import free_port

    fresh = tmp_path / "fresh"
    for _ in range(3):  # a free port can be taken by another test's connection before serve binds it: another one
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(port),
                                 "--data-dir", str(fresh)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        assert proc.stdout is not None
        banner: list[str] = []
        while not banner or "Stop with Ctrl+C." not in banner[-1]:
            line = proc.stdout.readline()
            if not line:
                break
            banner.append(line)
        if banner and "Stop with Ctrl+C." in banner[-1]:
            break
        output = "".join(banner)
        assert proc.wait(timeout=20) != 0 and "cannot listen" in output, f"serve exited before its banner:\n{output}"
    else:
        raise AssertionError("three free ports were taken before serve could listen on them")
    proc.send_signal(signal.SIGTERM)
    first_run = "".join(banner) + proc.communicate(timeout=20)[0]
    assert f"listening on 127.0.0.1:{port}" in first_run and str(fresh / "rapport.json") in first_run
    assert f"pair approve CODE --data-dir '{fresh}'" in first_run
    assert first_run.rstrip().endswith("stopped; everything is saved.")

    server = Companion(fresh).start()  # now with a token
    server.stop()
    assert "Clients:     1 with a token" in server.log.read_text()


def test_serve_on_a_busy_port_explains_itself(companion: Companion, tmp_path: Path) -> None:
    other = tmp_path / "other"
    run = rapport("serve", "--port", str(companion.port), "--data-dir", str(other))
    assert run.returncode != 0 and "cannot listen" in run.stderr and "Traceback" not in run.stderr


def test_a_busy_live_port_names_its_own_option(companion: Companion, tmp_path: Path) -> None:
    from tests.conftest import free_port

    run = rapport("serve", "--port", str(free_port()), "--live-port", str(companion.port),
                  "--data-dir", str(tmp_path / "other"))
    assert run.returncode != 0 and "--live-port N" in run.stderr and "Traceback" not in run.stderr
