"""The benchmark script keeps working (a few letters; no timing asserted)."""

import subprocess
import sys

from .dochelpers import ROOT


def test_benchmark_runs_and_reports_ratios():
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_docengine.py"),
            "--renders", "20", "--peer-renders", "1",
        ],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "faster than docxtpl" in proc.stdout
    assert "faster than py3o.template" in proc.stdout
    assert proc.stdout.count("memory (RSS)") == 2
