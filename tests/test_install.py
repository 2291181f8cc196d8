"""`pip install .` (what `pipx install .` runs) gives a working `rapport`: built as a wheel from a copy of the
repo, installed in a fresh venv that shares nothing with the development one but pip's download cache."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, batch, tweet

pytestmark = pytest.mark.install

# What is not part of the package: the copy leaves out the venv, builds and browsers' files.
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "node_modules", "dist", "build", "*.egg-info", "__pycache__",
                                     "artifacts", ".pytest_cache", ".ruff_cache")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with Rapport installed from a wheel."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED, symlinks=True)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)  # no system site-packages
    # --no-compile: Python compiles what it imports when it runs; no need to compile every module up front.
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", str(source)]
    done = subprocess.run(pip, capture_output=True, text=True, cwd=tmp, env=outside_env(), timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def outside_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python back at the checkout or the dev venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, **extra}


def run_installed(bin_dir: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "rapport"), *args], capture_output=True, text=True, cwd=cwd,
                          env=outside_env(**env), timeout=60)


@pytest.fixture
def serving(installed: Path, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The installed `rapport serve --port 0`, away from the checkout: (address, sign-in link, token)."""
    data = tmp_path / "data"
    token = run_installed(installed, "token", "new", "test", "--data-dir", str(data), cwd=tmp_path).stdout.strip()
    proc = subprocess.Popen([str(installed / "rapport"), "serve", "--port", "0", "--live-port", "0",
                             "--data-dir", str(data)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=tmp_path, env=outside_env())
    try:
        assert proc.stdout is not None
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if line.startswith("http://127.0.0.1:") and "/login?token=" in line:
                break
        link = seen[-1].strip() if seen else ""
        found = re.match(r"http://127\.0\.0\.1:\d+", link)
        assert found, "".join(seen)
        yield found.group(), link, token
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "everything is saved" in out, out


def test_the_installed_rapport_reports_its_version_and_runs_from_the_venv_not_the_checkout(
        installed: Path, tmp_path: Path) -> None:
    version = run_installed(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == "rapport, version 0.1.0"
    status = run_installed(installed, "autostart", "status", cwd=tmp_path, HOME=str(tmp_path),
                           XDG_CONFIG_HOME=str(tmp_path / ".config"))
    assert status.returncode == 0 and status.stdout.startswith("autostart is off"), status.stderr
    where = subprocess.run([str(installed / "python"), "-c", "import companion; print(companion.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert where.stdout.strip().startswith(str(installed.parent / "lib")), where.stdout + where.stderr


def test_the_installed_companion_serves_its_dashboard_assets_and_validates_with_its_schemas(
        serving: tuple[str, str, str]) -> None:
    base, link, token = serving
    browser = requests.Session()
    page = browser.get(link, timeout=30)  # signs in, then the dashboard's first page: templates
    assert page.status_code == 200 and "<title>" in page.text and 'src="/assets/js/' in page.text
    for asset, wanted in (("js/app.js", "text/javascript"), ("dashboard.css", "text/css"),
                          ("vendor/chart.umd.js", "text/javascript")):
        got = browser.get(f"{base}/assets/{asset}", timeout=30)
        shipped = ROOT / "companion" / "dashboard" / "static" / asset
        assert got.status_code == 200 and got.content == shipped.read_bytes(), asset
        assert got.headers["Content-Type"].startswith(wanted)

    health = requests.get(f"{base}/api/v1/health", timeout=30).json()  # the API version from shared_schema/api.json
    assert health["name"] == "rapport"
    api = {"Authorization": f"Bearer {token}"}
    ingested = requests.post(f"{base}/api/v1/ingest", json=batch(tweets=[tweet("1", "alice", reply_to=["me"])]),
                             headers=api, timeout=30)
    assert ingested.status_code == 200, ingested.text
    refused = requests.post(f"{base}/api/v1/ingest", json=batch(tweets=[{"status_id": "2"}]), headers=api, timeout=30)
    assert refused.status_code == 400 and "/tweets/0" in refused.text  # the scrape-batch schema answered
