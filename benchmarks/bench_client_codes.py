#!/usr/bin/env python3
"""What automatic client codes add to confirming sale orders.

Creates a throw-away database with ``extrabat_crm`` (no demo data), then, in
``odoo shell``, confirms N quotes of N new customers (one transaction per
confirmation, as a user clicking "Confirm" does) with the company's setting
"automatic client codes" off, then on, alternating batches so that both see
the same machine. Prints the time per order (mean and median: the median
resists the noise of a shared machine), the queries per order and the
overhead ratio (target: under 5 %). The database is dropped afterwards.

Usage::

    python3 benchmarks/bench_client_codes.py [N]      # default N=500

Environment: ``ODOO_PATH``, ``DB_HOST``/``DB_PORT``/``DB_USER``/``DB_PASSWORD``
(see tools/odoo_env.py), ``KEEP_DB=1`` to keep the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import odoo_env

# Run inside `odoo shell` (``env`` is given); prints one "BENCH ..." line per
# figure. Batches alternate off/on so that noise hits both modes alike.
SHELL_SCRIPT = """
import time
N = {orders}
BATCHES = {batches}
company = env.company
product = env["product.product"].create(
    {{"name": "Entretien chaudière", "type": "service", "list_price": 150.0}}
)
env.cr.commit()
results = {{False: [[], 0], True: [[], 0]}}  # per-order seconds, queries
codes_before = env["res.partner"].search_count([("ref", "!=", False)])

def batch(auto, size, tag):
    company.client_code_auto = auto
    partners = env["res.partner"].create(
        [{{"name": f"Client {{tag}} {{i}} Dupont"}} for i in range(size)]
    )
    orders = env["sale.order"].create(
        [
            {{
                "partner_id": partner.id,
                "order_line": [(0, 0, {{"product_id": product.id}})],
            }}
            for partner in partners
        ]
    )
    env.cr.commit()
    times, queries = [], 0
    for order_id in orders.ids:
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        env["sale.order"].browse(order_id).action_confirm()
        env.cr.commit()  # each confirmation is its own request
        times.append(time.perf_counter() - start)
        queries += env.cr.sql_log_count - start_queries
    return times, queries

batch(False, 20, "warmup-off")
batch(True, 20, "warmup-on")
size = max(N // BATCHES, 1)
for index in range(BATCHES):
    for auto in ((False, True) if index % 2 == 0 else (True, False)):
        times, queries = batch(auto, size, f"{{index}}-{{auto}}")
        results[auto][0].extend(times)
        results[auto][1] += queries
codes_after = env["res.partner"].search_count([("ref", "!=", False)])
for auto, (times, queries) in results.items():
    times.sort()
    median = times[len(times) // 2]
    print(
        f"BENCH {{'on' if auto else 'off'}} {{len(times)}} {{sum(times):.6f}}"
        f" {{queries}} {{median:.6f}}"
    )
print(f"BENCH codes {{codes_after - codes_before}}")
"""


def run_benchmark(orders=500, batches=10):
    odoo = odoo_env.locate_odoo()
    problem = odoo_env.check_postgres()
    if problem:
        raise SystemExit(problem)
    dbname = f"extrabat_bench_codes_{os.getpid()}"
    print(f"Odoo {odoo.version}; throw-away database {dbname}", flush=True)
    with tempfile.TemporaryDirectory(prefix="extrabat-bench-") as data_dir:
        common = (f"--database={dbname}", f"--data-dir={data_dir}", "--no-http")
        try:
            started = time.time()
            subprocess.run(
                odoo_env.odoo_command(
                    odoo,
                    *common,
                    "--init=extrabat_crm",
                    "--stop-after-init",
                    "--log-level=warn",
                ),
                env=odoo.env(),
                cwd=odoo_env.REPO_ROOT,
                check=True,
            )
            print(f"Database ready in {time.time() - started:.0f}s", flush=True)
            proc = subprocess.run(
                odoo_env.odoo_command(
                    odoo, *common, "--log-level=warn", command="shell"
                ),
                input=SHELL_SCRIPT.format(orders=orders, batches=batches),
                env=odoo.env(),
                cwd=odoo_env.REPO_ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if os.environ.get("KEEP_DB") == "1":
                print(f"Database kept: {dbname}")
            else:
                odoo_env.drop_database(dbname)
    figures = {}
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            key, *values = line.split()[1:]
            figures[key] = values
    if proc.returncode != 0 or "on" not in figures:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit("the benchmark did not run to its end")
    return figures


def report(figures):
    rows = {}
    for mode in ("off", "on"):
        count, seconds, queries, median = figures[mode]
        count, seconds = int(count), float(seconds)
        queries, median = int(queries), float(median)
        rows[mode] = (count, seconds, queries, median)
        print(
            f"setting {mode:>3}: {count} orders confirmed in {seconds:.2f} s, "
            f"mean {1000 * seconds / count:.2f} ms/order, "
            f"median {1000 * median:.2f} ms/order, "
            f"{queries / count:.1f} queries/order"
        )
    count_off, off, q_off, median_off = rows["off"]
    count_on, on, q_on, median_on = rows["on"]
    ratio_mean = (on / count_on) / (off / count_off)
    ratio = median_on / median_off
    print(f"codes assigned with the setting on: {figures['codes'][0]}")
    print(
        f"ratio on/off = {ratio:.3f} on medians (overhead "
        f"{100 * (ratio - 1):+.1f} %), {ratio_mean:.3f} on means; "
        f"+{(q_on / count_on) - (q_off / count_off):.1f} queries/order; "
        f"target: under +5 %"
    )
    return ratio


def main(argv):
    orders = int(argv[0]) if argv else 500
    report(run_benchmark(orders))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
