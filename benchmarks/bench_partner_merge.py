#!/usr/bin/env python3
"""Benchmark of the merge of two clients (extrabat_crm), with Odoo's own
merge wizard as the peer, in the same run.

Builds two throw-away databases (``tools/odoo_env.py``): one with
extrabat_crm, one with the same dependencies (contacts, sale_management,
account, l10n_fr_account) without it. In each, ``odoo shell`` runs
``bench_partner_merge_odoo.py``: two clients with 1,000 related documents
each (quotations, posted invoices, attachments, messages; 50 documents
followed by both; a shared tag), merged with the merge wizard.

Prints, for both sides, the time and queries of the merge and the rows
referencing the clients before (both) and after (the kept one), table by
table where they differ: Odoo's wizard deletes the merged client's followers
as soon as one collides, and the merged client itself.

Usage: ``python3 benchmarks/bench_partner_merge.py`` (environment:
``BENCH_DOCUMENTS`` per client, ``BENCH_RUNS`` merges per side (median),
``KEEP_DB=1``, and the connection variables of
``tools/odoo_env.py``). Timings depend on the machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

import odoo_env

PEER_MODULES = "contacts,sale_management,account,l10n_fr_account"


def run_side(odoo, modules, label, documents):
    result, _build_seconds = odoo_env.measure_in_throwaway_db(
        odoo,
        f"merge_{label}",
        modules,
        HERE / "bench_partner_merge_odoo.py",
        BENCH_DOCUMENTS=documents,
        BENCH_RUNS=os.environ.get("BENCH_RUNS", "3"),
    )
    return result


def main():
    documents = int(os.environ.get("BENCH_DOCUMENTS", "1000"))
    odoo = odoo_env.locate_odoo()
    problem = odoo_env.check_postgres()
    if problem:
        print(problem)
        return 2
    try:
        ours = run_side(odoo, "extrabat_crm", "ours", documents)
        peer = run_side(odoo, PEER_MODULES, "peer", documents)
    except odoo_env.MeasurementFailed as error:
        print(error)
        return 1
    report(ours, peer)
    return 0


def report(ours, peer):
    print()
    print(
        f"Merge benchmark — Odoo {ours['odoo']}, Python {ours['python']}, "
        f"PostgreSQL {ours['postgres']}, {ours['cpus']} CPUs; two clients with "
        f"{ours['documents']:,} related documents each, median of {ours['runs']} "
        "merges per side"
    )
    for side, r in (("extrabat_crm", ours), ("Odoo's wizard (peer)", peer)):
        total_before = sum(r["before"].values())
        total_after = sum(r["after"].values())
        print(
            f"  {side}: {r['seconds']:.2f} s (runs: "
            f"{', '.join(f'{x:.2f}' for x in r['seconds_all'])}), "
            f"{r['queries']:,.0f} queries; rows "
            f"referencing the clients: {total_before:,} before, {total_after:,} on "
            f"the kept client after; merged client "
            f"{'kept (trash)' if r['merged_exists'] else 'deleted'}"
        )
        for key in sorted(set(r["before"]) | set(r["after"])):
            was, now = r["before"].get(key, 0), r["after"].get(key, 0)
            if was != now:
                left = r["merged_left"].get(key, 0)
                print(f"      {key}: {was:,} -> {now:,} (left on the merged: {left})")
    print(
        f"  ratio: {ours['seconds'] / max(peer['seconds'], 0.001):.1f}x the time "
        "of Odoo's wizard"
    )


if __name__ == "__main__":
    sys.exit(main())
