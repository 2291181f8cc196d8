"""`make dist` packs both builds into zips that a browser (or a store) accepts: manifest at the root."""

from __future__ import annotations

import json
import subprocess
import zipfile

from tests.conftest import ROOT


def test_make_dist_zips_both_builds_with_every_file() -> None:
    run = subprocess.run(["make", "--no-print-directory", "dist"], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    version = json.loads((ROOT / "extension" / "package.json").read_text())["version"]
    for browser in ("chrome", "firefox"):
        package = ROOT / "extension" / "dist" / f"rapport-{browser}-{version}.zip"
        built = ROOT / "extension" / "dist" / browser
        with zipfile.ZipFile(package) as archive:
            names = {n for n in archive.namelist() if not n.endswith("/")}
            manifest = json.loads(archive.read("manifest.json"))
        assert names == {str(p.relative_to(built)) for p in built.rglob("*") if p.is_file()}
        assert manifest["manifest_version"] == 3 and manifest["version"] == version


def test_the_dashboard_files_ship_as_package_data() -> None:
    """Every template and static file of the dashboard matches pyproject's package-data (so a wheel has it)."""
    import tomllib
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "companion.dashboard" in config["packages"]
    patterns = config["package-data"]["companion.dashboard"]
    package = ROOT / "companion" / "dashboard"
    files = [str(p.relative_to(package)) for p in package.rglob("*")
             if p.is_file() and p.suffix != ".pyc" and p.name != "__init__.py"]
    assert {"templates/base.html", "static/js/app.js", "static/vendor/chart.umd.js"} <= set(files)
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []
