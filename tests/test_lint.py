"""Linters are tests: ruff (check + format) and pylint-odoo's mandatory checks."""

import subprocess
import sys

import pytest
from conftest import ROOT

ADDONS = [
    "extrabat_crm",
    "extrabat_letters",
    "extrabat_dashboard_mail",
    "extrabat_stock",
]


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_check():
    proc = _run("ruff", "check", "--no-fix", "--output-format=concise", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format():
    proc = _run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("addon", ADDONS)
def test_pylint_odoo_mandatory(addon):
    proc = _run("pylint", "--rcfile=.pylintrc-mandatory", addon)
    assert proc.returncode == 0, proc.stdout + proc.stderr
