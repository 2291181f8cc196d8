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
