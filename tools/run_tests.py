#!/usr/bin/env python3
"""The project's test command (``make test``).

1. Framework-free tier: pytest over ``tests/`` (including the linters).
2. Odoo tier, when Odoo 19.0 is found: a fresh throw-away database, the three
   addons installed with tests enabled (at_install and post_install), the log
   checked for errors and for warnings of our addons, the database dropped.

Ends with one line ``N passed, N failed`` over both tiers; exit status 1 on any
failure. Without Odoo the second tier is reported as not run, which is a
failure when ``REQUIRE_ODOO=1``.

When an optional addon of ``odoo_env.OPTIONAL_ADDONS`` can be installed
(OCA's ``queue_job`` found: ``extrabat_queue``), its tests run in a second
throw-away database with it installed; the first one stays without it.

Options (environment): ``ODOO_PATH``, ``DB_HOST``/``DB_PORT``/``DB_USER``/
``DB_PASSWORD`` (see tools/odoo_env.py), ``REQUIRE_ODOO=1``, ``TEST_TAGS``
(Odoo --test-tags, default: our three addons), ``PYTEST_ARGS``,
``TEST_EXTRA_MODULES`` (modules installed beside ours in the test database,
default ``l10n_fr_account``: the tests of the FEC export need it),
``SKIP_PYTEST=1`` / ``SKIP_ODOO=1`` (to iterate on one tier; never in CI),
``KEEP_DB=1`` (keep the test database for inspection).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env
import odoo_log

ROOT = odoo_env.REPO_ROOT
# Installed in the throw-away test database beside our addons
# (TEST_EXTRA_MODULES, comma-separated, changes them; empty: none).
TEST_DB_EXTRA_MODULES = ("l10n_fr_account",)


def banner(text):
    print(f"\n=== {text} ===", flush=True)


def run_pytest():
    """Run the framework-free tier; return (passed, failed, skipped)."""
    banner("Framework-free tier (pytest)")
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        args = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            *shlex.split(os.environ.get("PYTEST_ARGS", "")),
            "tests",
        ]
        proc = subprocess.run(args, cwd=ROOT, check=False)
        if not junit.exists():
            print(f"pytest did not run (exit status {proc.returncode})")
            return 0, 1, 0
        root = ET.parse(junit).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        total = sum(int(s.get("tests", 0)) for s in suites)
        failed = sum(
            int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites
        )
        skipped = sum(int(s.get("skipped", 0)) for s in suites)
        if proc.returncode not in (0, 1) and failed == 0:
            failed = 1  # pytest itself broke (usage or internal error)
        return total - failed - skipped, failed, skipped


def _tag_addon(tag):
    """The addon a ``--test-tags`` item is about (``/addon:Class.method``,
    ``-/addon``...), or None."""
    spec = tag.lstrip("-+")
    if not spec.startswith("/") and ":" in spec:
        spec = spec.split(":", 1)[1]
    if not spec.startswith("/"):
        return None
    return spec[1:].split(":", 1)[0].split(".", 1)[0] or None


def plan_odoo_runs(optional, test_tags=None):
    """The throw-away databases to test in: ``[(label, addons, tags)]``.

    Our addons are tested without the optional OCA addons (what everyone
    gets: nothing changes without them); each optional addon found
    (``optional``: see ``odoo_env.optional_addons``) in a second database
    where it and its OCA addon are installed. ``test_tags`` (TEST_TAGS)
    items naming an addon go to its database; the others to both.
    """
    extra = os.environ.get("TEST_EXTRA_MODULES", ",".join(TEST_DB_EXTRA_MODULES))
    base = (*odoo_env.OUR_ADDONS, *filter(None, extra.split(",")))
    if test_tags:
        items = [t for t in test_tags.split(",") if t]
        base_tags = [t for t in items if _tag_addon(t) not in optional]
        optional_tags = [t for t in items if _tag_addon(t) not in odoo_env.OUR_ADDONS]
    else:
        base_tags = [f"/{a}" for a in odoo_env.OUR_ADDONS]
        optional_tags = [f"/{a}" for a in optional]
    runs = []
    if any(_tag_addon(t) not in optional for t in base_tags if not t.startswith("-")):
        runs.append(("our addons", ",".join(base), ",".join(base_tags)))
    wanted = [t for t in optional_tags if not t.startswith("-")]
    if optional and any(_tag_addon(t) in optional for t in wanted):
        needed = [odoo_env.OPTIONAL_ADDONS[a] for a in optional]
        runs.append(
            (
                "with " + ", ".join(needed),
                # the French localisation is for the FEC tests of the first
                # database only
                ",".join((*odoo_env.OUR_ADDONS, *needed, *optional)),
                ",".join(optional_tags),
            )
        )
    return runs


def run_odoo_tier(odoo, label, addons, tags):
    """Install ``addons`` with the tests of ``tags`` in a throw-away
    database.

    :return: (passed, failed, skipped)
    """
    banner(f"Odoo tier (Odoo {odoo.version}, {label})")
    problem = odoo_env.check_postgres()
    if problem:
        print(f"The Odoo tier cannot run: {problem}")
        return 0, 1, 0
    dbname = f"extrabat_test_{os.getpid()}_{int(time.time())}"
    with tempfile.TemporaryDirectory(prefix="extrabat-odoo-") as data_dir:
        logfile = Path(data_dir) / "odoo.log"
        cmd = odoo_env.odoo_command(
            odoo,
            f"--database={dbname}",
            f"--data-dir={data_dir}",
            f"--init={addons}",
            "--test-enable",
            f"--test-tags={tags}",
            "--stop-after-init",
            "--http-interface=127.0.0.1",
            f"--http-port={odoo_env.free_port()}",
            "--max-cron-threads=0",
            "--log-level=info",
            "--log-handler=werkzeug:WARNING",
            "--log-handler=odoo.modules.loading:WARNING",
            "--log-handler=odoo.modules.registry:WARNING",
        )
        print("$ " + shlex.join(cmd), flush=True)
        started = time.time()
        try:
            with open(logfile, "w", encoding="utf-8") as out:
                proc = subprocess.Popen(
                    cmd,
                    cwd=ROOT,
                    env=odoo.env(),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
                for line in proc.stdout:
                    out.write(line)
                    if _worth_echoing(line):
                        sys.stdout.write(line)
                        sys.stdout.flush()
                rc = proc.wait()
            with open(logfile, encoding="utf-8") as fh:
                report = odoo_log.analyse(fh)
        finally:
            if os.environ.get("KEEP_DB") == "1":
                print(f"Database kept: {dbname}")
            else:
                odoo_env.drop_database(dbname)
    elapsed = time.time() - started
    print(
        f"\nOdoo tier: {report.tests_run} tests run in {elapsed:.0f}s, "
        f"{report.failures} failed, {report.errors} error(s), "
        f"{len(report.skipped)} skipped"
    )
    for name in report.skipped:
        print(f"  skipped (not counted as passed): {name}")
    for record in report.bad_records:
        print(
            f"  log record counted as a failure: {record.level} {record.logger}: "
            f"{record.message.splitlines()[0][:300]}"
        )
    if report.other_warnings:
        print(
            f"  {len(report.other_warnings)} warning(s) from other modules (not ours):"
        )
        for record in report.other_warnings[:20]:
            print(f"    {record.logger}: {record.message.splitlines()[0][:200]}")
    failed = report.failed
    if not report.summary_found:
        print(
            f"Odoo stopped without a test report (exit status {rc}): "
            "counted as a failure."
        )
        failed += 1
    elif report.tests_run == 0:
        print("Odoo ran no test at all: counted as a failure.")
        failed += 1
    elif rc != 0 and failed == 0:
        print(f"Odoo exited with status {rc}: counted as a failure.")
        failed += 1
    return report.passed, failed, len(report.skipped)


def _worth_echoing(line):
    """Keep the console readable: show problems and test progress only."""
    return (
        " WARNING " in line
        or " ERROR " in line
        or " CRITICAL " in line
        or "odoo.tests.stats" in line
        or "odoo.tests.result" in line
        or line.startswith(("Traceback", "  File", "    ", "AssertionError"))
        or " Starting post tests" in line
        or ": Starting " in line
        and os.environ.get("VERBOSE") == "1"
    )


def main():
    passed = failed = skipped = 0
    if os.environ.get("SKIP_PYTEST") != "1":
        p, f, s = run_pytest()
        passed, failed, skipped = passed + p, failed + f, skipped + s
        print(f"Framework-free tier: {p} passed, {f} failed, {s} skipped")
    odoo_ran = False
    if os.environ.get("SKIP_ODOO") == "1":
        print("\nOdoo tier skipped on request (SKIP_ODOO=1).")
    else:
        try:
            odoo = odoo_env.locate_odoo()
        except odoo_env.OdooNotFound as exc:
            banner("Odoo tier NOT RUN")
            print(str(exc).rstrip())
            if os.environ.get("REQUIRE_ODOO") == "1":
                print(
                    "REQUIRE_ODOO=1: the Odoo tier is required, counted as a failure."
                )
                failed += 1
        else:
            runs = plan_odoo_runs(
                odoo_env.optional_addons(odoo), os.environ.get("TEST_TAGS")
            )
            for label, addons, tags in runs:
                p, f, s = run_odoo_tier(odoo, label, addons, tags)
                passed, failed, skipped = passed + p, failed + f, skipped + s
            odoo_ran = bool(runs)
    if not odoo_ran and os.environ.get("SKIP_ODOO") != "1":
        print("The Odoo tier did not run: only the framework-free tests are counted.")
    if skipped:
        print(f"{skipped} skipped (not counted)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
