#!/usr/bin/env python3
"""Benchmark of letters generated for many clients (extrabat_letters).

Builds a throw-away database (``tools/odoo_env.py``) with the addon and
French, then measures inside Odoo (``odoo shell`` fed
``bench_letters_odoo.py`` on stdin), each figure against the previous way
measured in the same run, alternating:

* one letter from a client through the *Generate a letter* wizard, with its
  PDF, as a user clicks (``BENCH_ONE`` clicks per side, median; and the
  first click of the process, LibreOffice not yet running): now by the
  LibreOffice kept running by the Odoo process, previously one LibreOffice
  started for the letter;
* letters for 500 clients (``BENCH_CLIENTS``) from the contact list, their
  filled .docx stored at once, their PDFs queued (what the user waits for):
  now one ``ir.attachment`` create for all, previously letter by letter;
* the scheduled action making the queued PDFs, one commit per batch of 50:
  now by the kept LibreOffice, previously one LibreOffice call per batch;
* LibreOffice alone: 20 documents by the kept LibreOffice, and in one call.

The previous way also stores the files letter by letter (the previous
``_store_files``: two ``ir.attachment`` creates and a tracked write per
letter), see ``bench_letters_odoo.py``.

Each measure reports the time, the peak RSS of the Odoo process and the
peak RSS of its children (LibreOffice).

Usage: ``python3 benchmarks/bench_letters.py`` (environment:
``BENCH_CLIENTS``, ``BENCH_ONE``, ``KEEP_DB=1``, and the connection
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


def _ratio(peer, new):
    return f"{peer / new:.1f}x faster" if new else "n/a"


def _side(label, m, per):
    return (
        f"    {label}: {m['seconds']:.1f} s for {m['count']}, "
        f"{m['ms_per_letter']:.1f} ms per {per} (Odoo peak RSS "
        f"{m['peak_rss_mb']:.0f} MB, LibreOffice {m['children_peak_rss_mb']:.0f} MB)"
    )


def _pair(label, new_label, peer_label, new, peer, per="letter"):
    return (
        f"  {label}:\n{_side(new_label, new, per)}\n{_side(peer_label, peer, per)}\n"
        f"    ratio: {_ratio(peer['ms_per_letter'], new['ms_per_letter'])}"
    )


def report(r, build_seconds):
    print()
    print(
        f"Letters benchmark — Odoo {r['odoo']}, Python {r['python']}, PostgreSQL "
        f"{r['postgres']}, {r['cpus']} CPUs (load {r['load'][0]:.1f}), {r['soffice']}"
    )
    print(
        f"  {r['letters']} letters per side from a {r['template_bytes'] / 1000:.1f} kB"
        f" .docx template ({r['document_bytes'] / 1000:.1f} kB per letter); "
        f"database built in {build_seconds:.0f} s"
    )
    one = r["one"]
    print(
        f"  one letter from a client, wizard opened then Generate, with its PDF "
        f"({len(one['new'])} clicks per side, median):\n"
        f"    now (LibreOffice kept running): {one['new_median'] * 1000:.0f} ms "
        f"(min {min(one['new']) * 1000:.0f}, max {max(one['new']) * 1000:.0f}); "
        f"first click of the process, LibreOffice starting: "
        f"{one['cold'] * 1000:.0f} ms at once, {one['cold_pause'] * 1000:.0f} ms "
        f"when Generate is clicked 3 s after the wizard opens\n"
        f"    previous way (a LibreOffice started for the letter): "
        f"{one['peer_median'] * 1000:.0f} ms (min {min(one['peer']) * 1000:.0f}, "
        f"max {max(one['peer']) * 1000:.0f})\n"
        f"    ratio: {_ratio(one['peer_median'], one['new_median'])}"
    )
    print(
        _pair(
            "from the contact list, PDFs queued",
            "now (one attachment create for all)",
            "previous way (stored letter by letter)",
            r["without_pdf"],
            r["without_pdf_peer"],
        )
    )
    print(f"    PDFs queued: {r['pending_after_generate']}")
    print(
        _pair(
            f"PDFs by the scheduled action (batches of {r['batch_size']})",
            "now (LibreOffice kept running)",
            "previous way (a LibreOffice started per batch)",
            r["with_pdf"],
            r["with_pdf_peer"],
        )
    )
    print(
        f"    PDFs done: {r['pdf_done']} / {r['letters']} "
        f"(previous way {r['pdf_done_peer']} / {r['letters']})"
    )
    print(
        _pair(
            "LibreOffice alone, the same documents",
            "kept running",
            "one call",
            r["convert"],
            r["convert_peer"],
            per="document",
        )
    )
    print(f"  LibreOffice started {r['libreoffice_starts']} time(s) by the new way")
    print(json.dumps(r))


if __name__ == "__main__":
    sys.exit(main())
