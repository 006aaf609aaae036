"""Measurement part of bench_letters.py, run inside ``odoo shell`` (fed on
stdin, ``env`` being the shell's superuser environment).

Prints one line ``BENCH_RESULT {json}``. Commits: this runs on a throw-away
database made for the benchmark.
"""

import base64
import json
import os
import platform
import threading
import time
import tracemalloc
from pathlib import Path

import psutil

from odoo import Command, release
from odoo.tools.misc import file_open

from extrabat_core import docengine

env = globals()["env"]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "500"))
PEER = int(os.environ.get("BENCH_PEER", "5"))
MB = 1024 * 1024
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class PeakRss:
    """Peak RSS of this process and of its children (LibreOffice), sampled."""

    def __init__(self, interval=0.1):
        self.interval = interval
        self.own = self.children = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        process = psutil.Process()
        while not self._stop.is_set():
            self.own = max(self.own, process.memory_info().rss / MB)
            total = 0
            for child in process.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.children = max(self.children, total / MB)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure(function):
    tracemalloc.start()
    started = time.perf_counter()
    with PeakRss() as rss:
        result = function()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, {
        "seconds": seconds,
        "tracemalloc_peak_mb": peak / MB,
        "peak_rss_mb": rss.own,
        "children_peak_rss_mb": rss.children,
    }


# --- fixtures ----------------------------------------------------------------
env["res.lang"]._activate_lang("fr_FR")
with file_open("extrabat_letters/demo/courrier_relance_devis.docx", "rb") as handle:
    template_bytes = handle.read()
template = env["extrabat.letter.template"].create(
    {
        "name": "Relance (benchmark)",
        "kind": "file",
        "template_file": base64.b64encode(template_bytes),
        "template_filename": "courrier_relance_devis.docx",
    }
)
partners = (
    env["res.partner"]
    .with_context(**QUIET)
    .create(
        [
            {
                "name": f"Client{index:04d} Dupont",
                "street": f"{index} rue des Lilas",
                "zip": "69100",
                "city": "Villeurbanne",
                "country_id": env.ref("base.fr").id,
                "lang": "fr_FR",
                "email": f"client{index}@example.com",
                "phone": "06 12 34 56 78",
            }
            for index in range(CLIENTS)
        ]
    )
)
env.cr.commit()


# --- 1. from the list: documents now, PDFs queued ----------------------------
def generate():
    wizard = (
        env["extrabat.letter.generate"]
        .with_context(**QUIET)
        .create(
            {"template_id": template.id, "partner_ids": [Command.set(partners.ids)]}
        )
    )
    letters = wizard._generate_letters()
    env.cr.commit()
    return letters


letters, without_pdf = measure(generate)
pending = env["extrabat.letter"].search_count([("pdf_state", "=", "pending")])


# --- 2. the scheduled action makes the PDFs in batches -------------------------
def cron():
    env["extrabat.letter"].with_context(**QUIET)._cron_generate_pending_pdfs()


env.invalidate_all()
_none, with_pdf = measure(cron)
done = env["extrabat.letter"].search_count(
    [("id", "in", letters.ids), ("pdf_state", "=", "done")]
)


# --- 3. peer: one LibreOffice call per letter (the naive way) ----------------
documents = [letter.document_attachment_id.raw for letter in letters[:PEER]]


def one_by_one():
    for data in documents:
        docengine.convert_to_pdf(data, "docx")


_none, peer = measure(one_by_one)

# the same documents in one call, for the per-letter cost of a batch
_none, peer_batch = measure(
    lambda: docengine.convert_many_to_pdf([(data, "docx") for data in documents])
)

env.cr.execute("SHOW server_version")
postgres = env.cr.fetchone()[0]
result = {
    "odoo": release.version,
    "python": platform.python_version(),
    "postgres": postgres,
    "cpus": os.cpu_count(),
    "clients": CLIENTS,
    "letters": len(letters),
    "pending_after_generate": pending,
    "pdf_done": done,
    "batch_size": 50,
    "without_pdf": without_pdf,
    "with_pdf": with_pdf,
    "peer": peer,
    "peer_batch": peer_batch,
    "peer_count": len(documents),
    "template_bytes": len(template_bytes),
    "document_bytes": len(documents[0]) if documents else 0,
    "soffice": str(Path(docengine.find_soffice()).name),
}
print("BENCH_RESULT " + json.dumps(result))
