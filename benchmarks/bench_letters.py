#!/usr/bin/env python3
"""Benchmark of letters generated for many clients (extrabat_letters).

Builds a throw-away database (``tools/odoo_env.py``) with the addon and
French, then, inside Odoo (``odoo shell`` fed ``bench_letters_odoo.py`` on
stdin):

* 500 clients (``BENCH_CLIENTS``) and the demo Word template;
* "Generate a letter" from the contact list for all of them: one letter per
  client, its filled .docx stored at once, its PDF queued (the user waits for
  this part only) — measured "without PDF";
* the scheduled action that makes the queued PDFs, one LibreOffice call and
  one commit per batch of 50 letters — measured "with PDF";
* a peer in the same run: ``BENCH_PEER`` (5) letters converted one
  LibreOffice call each, as a naive implementation would, and the same
  letters in one call.

Each measure reports the time, the peak of Python allocations
(``tracemalloc``), the peak RSS of the Odoo process and the peak RSS of its
children (LibreOffice).

Usage: ``python3 benchmarks/bench_letters.py`` (environment:
``BENCH_CLIENTS``, ``BENCH_PEER``, ``KEEP_DB=1``, and the connection
variables of ``tools/odoo_env.py``). Timings depend on the machine.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

import odoo_env


def main():
    clients = int(os.environ.get("BENCH_CLIENTS", "500"))
    odoo = odoo_env.locate_odoo()
    problem = odoo_env.check_postgres()
    if problem:
        print(problem)
        return 2
    try:
        result, build_seconds = odoo_env.measure_in_throwaway_db(
            odoo,
            "letters",
            "extrabat_letters",
            HERE / "bench_letters_odoo.py",
            french=True,
            BENCH_CLIENTS=clients,
        )
    except odoo_env.MeasurementFailed as error:
        print(error)
        return 1
    report(result, build_seconds)
    return 0


def _line(label, m, count):
    per_letter = m["seconds"] / max(count, 1) * 1000
    return (
        f"  {label}: {m['seconds']:.1f} s ({per_letter:.0f} ms "
        f"per letter), Python peak {m['tracemalloc_peak_mb']:.1f} MB (tracemalloc), "
        f"Odoo peak RSS {m['peak_rss_mb']:.0f} MB, LibreOffice peak RSS "
        f"{m['children_peak_rss_mb']:.0f} MB"
    )


def report(r, build_seconds):
    print()
    print(
        f"Letters benchmark — Odoo {r['odoo']}, Python {r['python']}, PostgreSQL "
        f"{r['postgres']}, {r['cpus']} CPUs, {r['soffice']}"
    )
    print(
        f"  {r['letters']} letters for {r['clients']} clients from a "
        f"{r['template_bytes'] / 1000:.1f} kB .docx template "
        f"({r['document_bytes'] / 1000:.1f} kB per letter); database built in "
        f"{build_seconds:.0f} s"
    )
    print(_line("generate from the list, without PDF", r["without_pdf"], r["letters"]))
    print(f"    PDFs queued: {r['pending_after_generate']}")
    print(_line("PDFs by the scheduled action (batches)", r["with_pdf"], r["letters"]))
    print(f"    PDFs done: {r['pdf_done']} / {r['letters']}")
    print(
        _line(f"peer: {r['peer_count']} PDFs one call each", r["peer"], r["peer_count"])
    )
    print(
        _line(
            f"peer: the same {r['peer_count']} PDFs in one call",
            r["peer_batch"],
            r["peer_count"],
        )
    )
    print(json.dumps(r))


if __name__ == "__main__":
    sys.exit(main())
