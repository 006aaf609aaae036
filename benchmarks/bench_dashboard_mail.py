#!/usr/bin/env python3
"""Benchmark of the dashboard by email (extrabat_dashboard_mail).

Builds a throw-away database (``tools/odoo_env.py``) with the addons and
French, then, inside Odoo (``odoo shell`` fed ``bench_dashboard_mail_odoo.py``
on stdin):

* 200 users (20 managers who see every document, 180 salespeople who see
  their own) in French, each subscribed to every element;
* 100,000 orders and invoices over six months (half each), plus partners,
  payments, activities and meetings. A few documents are made through the
  ORM; the bulk are SQL copies of them (``INSERT ... SELECT`` built with
  ``odoo.tools.SQL``), the ORM being far too slow for 100,000 documents;
* then runs the daily cron once, every dashboard being due.

Prints the total time (target: under 60 s), the time and queries per user
(bounded by the number of elements, not by the number of documents), the
memory, and a peer measured in the same run: the same three elements
(revenue, quotes sent, unpaid invoices) computed the naive way, reading every
record of the user through the ORM.

Usage: ``python3 benchmarks/bench_dashboard_mail.py`` (environment:
``BENCH_USERS``, ``BENCH_DOCUMENTS``, ``KEEP_DB=1``, and the connection
variables of ``tools/odoo_env.py``). Timings depend on the machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

import odoo_env


def main():
    users = int(os.environ.get("BENCH_USERS", "200"))
    documents = int(os.environ.get("BENCH_DOCUMENTS", "100000"))
    odoo = odoo_env.locate_odoo()
    problem = odoo_env.check_postgres()
    if problem:
        print(problem)
        return 2
    try:
        result, build_seconds = odoo_env.measure_in_throwaway_db(
            odoo,
            "dashboard",
            "extrabat_dashboard_mail",
            HERE / "bench_dashboard_mail_odoo.py",
            french=True,
            BENCH_USERS=users,
            BENCH_DOCUMENTS=documents,
        )
    except odoo_env.MeasurementFailed as error:
        print(error)
        return 1
    report(result, build_seconds)
    return 0


def report(r, build_seconds):
    ours, peer = r["ours"], r["peer"]
    print()
    print(
        f"Dashboard by email benchmark — Odoo {r['odoo']}, Python {r['python']}, "
        f"PostgreSQL {r['postgres']}, {r['cpus']} CPUs"
    )
    print(
        f"  fixtures: {r['users']} users ({r['managers']} managers), "
        f"{r['orders']:,} orders + {r['invoices']:,} invoices = "
        f"{r['orders'] + r['invoices']:,} documents, {r['partners']:,} partners, "
        f"{r['payments']:,} payments; built in {r['fixture_seconds']:.0f} s "
        f"(database {build_seconds:.0f} s)"
    )
    print(
        f"  cron: {ours['sent']} dashboards of {r['elements']} elements queued "
        f"in {ours['seconds']:.1f} s (target < 60 s), "
        f"{ours['seconds'] / max(ours['sent'], 1) * 1000:.0f} ms per user "
        f"(p95 {ours['p95_ms']:.0f} ms, max {ours['max_ms']:.0f} ms)"
    )
    print(
        f"  queries per user: mean {ours['queries_mean']:.1f}, "
        f"max {ours['queries_max']}, min {ours['queries_min']} "
        f"({ours['queries_max'] / r['elements']:.1f} per element at most; "
        f"the same with 10x fewer documents: {ours['queries_small_data']})"
    )
    print(
        f"  memory (RSS): {ours['rss_before_mb']:.0f} MB before, "
        f"{ours['rss_after_mb']:.0f} MB after "
        f"({ours['rss_after_mb'] - ours['rss_before_mb']:+.0f} MB), "
        f"peak {ours['rss_peak_mb']:.0f} MB; mail bodies "
        f"{ours['body_kb_mean']:.0f} KB on average"
    )
    print(
        f"  peer (revenue, quotes sent, unpaid invoices read record by record "
        f"through the ORM, {peer['users']} users, {peer['managers']} managers): "
        f"{peer['ms_per_user']:.0f} ms and {peer['queries_per_user']:.0f} queries "
        f"per user ({peer['records_per_user']:,.0f} records read; managers: "
        f"{peer['managers_ms']:.0f} ms, {peer['records_per_manager']:,.0f} records); "
        f"ours for the same three elements: {peer['ours_ms_per_user']:.0f} ms and "
        f"{peer['ours_queries_per_user']:.0f} queries (managers: "
        f"{peer['ours_managers_ms']:.0f} ms)"
    )
    print(
        f"  ratio: {peer['ms_per_user'] / max(peer['ours_ms_per_user'], 0.001):.1f}x "
        f"faster than the per-record peer "
        f"({peer['managers_ms'] / max(peer['ours_managers_ms'], 0.001):.1f}x for "
        f"the managers, who see every document)"
    )


if __name__ == "__main__":
    sys.exit(main())
