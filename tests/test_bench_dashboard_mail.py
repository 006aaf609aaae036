"""The dashboard benchmark's report (the measurement itself needs an Odoo
database and several minutes: run benchmarks/bench_dashboard_mail.py)."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_dashboard_mail

RESULT = {
    "odoo": "19.0",
    "python": "3.11.7",
    "postgres": "15",
    "cpus": 2,
    "users": 200,
    "managers": 20,
    "orders": 50000,
    "invoices": 50000,
    "partners": 2000,
    "payments": 2000,
    "elements": 10,
    "fixture_seconds": 35.0,
    "ours": {
        "sent": 200,
        "mails": 200,
        "seconds": 35.4,
        "p95_ms": 264.0,
        "max_ms": 365.0,
        "queries_mean": 55.5,
        "queries_max": 62,
        "queries_min": 37,
        "queries_small_data": "33 ..., 33 with 100,000",
        "rss_before_mb": 195.0,
        "rss_after_mb": 192.0,
        "rss_peak_mb": 230.0,
        "body_kb_mean": 38.0,
    },
    "peer": {
        "users": 20,
        "managers": 5,
        "ms_per_user": 247.0,
        "queries_per_user": 15.0,
        "managers_ms": 860.0,
        "records_per_user": 5157.0,
        "records_per_manager": 20349.0,
        "ours_ms_per_user": 78.0,
        "ours_queries_per_user": 11.0,
        "ours_managers_ms": 85.0,
    },
}


def test_report_prints_time_queries_memory_and_ratio(capsys):
    bench_dashboard_mail.report(RESULT, 94.0)
    out = capsys.readouterr().out
    assert "200 dashboards of 10 elements queued in 35.4 s (target < 60 s)" in out
    assert "queries per user: mean 55.5, max 62, min 37" in out
    assert "memory (RSS): 195 MB before, 192 MB after (-3 MB)" in out
    assert "ratio: 3.2x faster than the per-record peer (10.1x for the managers" in out
