"""`make bench` keeps working: small runs complete and report every key. Speed is never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

KEYS = {"badge_p50_ms", "badge_p99_ms", "ingest_p50_ms", "ingest_p99_ms", "cold_start_s", "rss_mb", "db_mb",
        "http_floor_p50_ms", "badge_floor_p50_ms", "ingest_floor_p50_ms", "fsync_floor_p50_ms", "sqlite_badge_p50_ms",
        "sqlite_ingest_p50_ms",
        "heavy_ingest_p50_ms", "light_ingest_p50_ms", "heavy_card_p50_ms", "heavy_card_kb", "heavy_page_p50_ms",
        "heavy_page_kb", "reminded_ingest_p50_ms", "keep_in_touch_p50_ms", "keep_in_touch_p99_ms", "circles_p50_ms",
        "circles_p99_ms", "keep_in_touch_unchanged_p50_ms", "keep_in_touch_everyone_p50_ms",
        "people_list_p50_ms", "people_search_p50_ms", "people_filter_p50_ms", "pipeline_p50_ms", "insights_p50_ms",
        "near_p50_ms", "near_p99_ms", "near_london_p50_ms", "resolve_p50_ms", "resolve_p99_ms",
        "posts_off_ingest_p50_ms", "posts_on_ingest_p50_ms", "brief_p50_ms", "brief_card_p50_ms"}


def bench(script: str, *args: str) -> tuple[str, dict[str, float]]:
    """Run tests/bench/<script> with `args`: what it printed, and its report (the last line, JSON)."""
    run = subprocess.run([sys.executable, f"tests/bench/{script}", *args],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, json.loads(run.stdout.strip().splitlines()[-1])


def test_a_small_benchmark_run_reports_every_metric() -> None:
    stdout, report = bench("run_bench.py", "--people", "200", "--interactions", "1000", "--snapshots", "300",
                           "--iterations", "10")
    assert set(report) == KEYS
    assert all(isinstance(v, (int, float)) and v > 0 for v in report.values())
    assert "badge lookup, 50 handles, p50" in stdout and "SQLite ingest + HTTP floor" in stdout


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_a_short_content_script_benchmark_reports_every_metric() -> None:
    _, report = bench("content_bench.py", "--seconds", "2")
    assert set(report) == {
        "content_slice_p50_ms", "content_slice_p99_ms", "content_slice_max_ms", "content_callback_p50_ms",
        "content_callback_p99_ms", "content_callback_max_ms", "content_batches_per_s", "content_tweets_read",
        "content_long_tasks", "baseline_long_tasks", "frame_p99_ms", "baseline_frame_p99_ms", "frame_p99_ratio",
        "chips_slice_p50_ms", "chips_slice_p99_ms", "chips_created", "badge_messages_per_s", "badge_requests_per_s",
        "badge_handles_asked"}
    assert 0 < report["content_slice_p50_ms"] <= report["content_slice_p99_ms"] <= report["content_slice_max_ms"]
    assert report["frame_p99_ms"] > 0 and report["baseline_frame_p99_ms"] > 0
    assert report["content_tweets_read"] > 0 and report["content_batches_per_s"] > 0
    # Every new name got its chip, and its badge was asked for (no speed is asserted).
    assert report["chips_created"] >= report["content_tweets_read"] > 0
    assert report["badge_handles_asked"] >= report["content_tweets_read"]


def test_a_small_archive_benchmark_run_reports_every_metric() -> None:
    stdout, report = bench("archive_bench.py", "--posts", "2000", "--messages", "500", "--small-posts", "600",
                           "--naive-items", "100")
    assert set(report) == {
        "archive_import_s", "archive_alone_s", "archive_posts_mb", "archive_rss_growth_mb",
        "archive_small_rss_growth_mb", "archive_overhead_mb", "archive_small_overhead_mb", "archive_data_mb",
        "archive_small_posts_mb", "archive_badge_p50_ms", "archive_badge_p99_ms", "archive_naive_s",
        "archive_naive_peak_mb", "archive_naive_ratio"}
    assert report["archive_import_s"] > 0 and report["archive_naive_s"] > 0 and report["archive_badge_p99_ms"] > 0
    assert "import through the companion" in stdout and "naive: json.loads" in stdout
