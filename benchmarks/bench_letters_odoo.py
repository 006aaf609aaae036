"""Measurement part of bench_letters.py, run inside ``odoo shell`` (fed on
stdin, ``env`` being the shell's superuser environment).

Every figure is measured twice in the same run: the way letters are made now
and the previous way (the peer), alternating, so that the load of the
machine weighs on both:

* one letter from a client through the *Generate a letter* wizard, with its
  PDF, as a user clicks (opening the wizard, then *Generate*);
* letters from the contact list (PDFs queued);
* the PDFs by the scheduled action (batches of 50, one commit per batch);
* LibreOffice alone: the same documents by the kept LibreOffice and by one
  call.

The previous way (:func:`previous_way`): a LibreOffice started for each
conversion call (one ``soffice --convert-to`` per batch, or per letter
through the wizard), and the files stored letter by letter by the previous
``_store_files`` (two ``ir.attachment`` creates and a tracked write per
letter); now the LibreOffice kept running by the process, and one create
for the files of all the letters.

Prints one line ``BENCH_RESULT {json}``. Commits: this runs on a throw-away
database made for the benchmark.
"""

import base64
import contextlib
import json
import os
import platform
import statistics
import threading
import time
from pathlib import Path
from unittest import mock

import psutil

from odoo import Command, release
from odoo.tools.misc import file_open

from odoo.addons.extrabat_letters.models import extrabat_letter

from extrabat_core import docengine

env = globals()["env"]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "500"))
ONE = int(os.environ.get("BENCH_ONE", "10"))
CHUNK = 100
MB = 1024 * 1024
Letter = extrabat_letter.ExtrabatLetter


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


class Measure:
    """Time and peak RSS summed over several runs of one side."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0
        self.peak_rss_mb = self.children_peak_rss_mb = 0.0

    def run(self, function, count):
        started = time.perf_counter()
        with PeakRss() as rss:
            result = function()
        self.seconds += time.perf_counter() - started
        self.count += count
        self.peak_rss_mb = max(self.peak_rss_mb, rss.own)
        self.children_peak_rss_mb = max(self.children_peak_rss_mb, rss.children)
        return result

    def as_dict(self):
        return {
            "seconds": self.seconds,
            "count": self.count,
            "ms_per_letter": self.seconds / max(self.count, 1) * 1000,
            "peak_rss_mb": self.peak_rss_mb,
            "children_peak_rss_mb": self.children_peak_rss_mb,
        }


def one_call_per_batch():
    """The previous conversion: one LibreOffice started per call."""
    real = docengine.convert_many_to_pdf

    def convert(documents, **kwargs):
        kwargs.pop("persistent", None)
        return real(documents, **kwargs)

    return mock.patch.object(docengine, "convert_many_to_pdf", convert)


def store_letter_by_letter():
    """The previous storing: the ``_store_files`` of before batches (its code,
    shortened: two ``ir.attachment`` creates and one tracked write per
    letter), called letter by letter."""
    SERVER_WRITE = extrabat_letter.SERVER_WRITE
    SERVER_WRITE_KEY = extrabat_letter.SERVER_WRITE_KEY

    def store_one(letter, files):
        letter.check_access("write")
        letter.partner_id.check_access("read")
        Attachment = (
            letter.env["ir.attachment"]
            .sudo()
            .with_context(**{SERVER_WRITE_KEY: SERVER_WRITE})
        )
        own = letter._get_own_attachments()
        vals = {}
        for kind, field in (
            ("document", "document_attachment_id"),
            ("pdf", "pdf_attachment_id"),
        ):
            raw = files.get(kind)
            if not raw:
                continue
            attachment_vals = letter._prepare_attachment_values(
                kind, raw, files["format"]
            )
            attachment_vals["extrabat_letter_id"] = letter.id
            current = Attachment.browse(letter[field].id)
            if current and current in own:
                current.write(attachment_vals)
            else:
                vals[field] = Attachment.create(attachment_vals).id
        if files.get("pdf"):
            vals.update(pdf_state="done", generation_error=False)
        elif files.get("error"):
            vals.update(pdf_state="error", generation_error=files["error"])
        if vals:
            letter._write_server(vals)

    def store(letters, files_by_letter):
        for letter in letters:
            store_one(letter, files_by_letter[letter])

    return mock.patch.object(Letter, "_store_files", store)


@contextlib.contextmanager
def previous_way():
    with one_call_per_batch(), store_letter_by_letter():
        yield


# --- fixtures ---
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
admin = env.ref("base.user_admin")
user_env = env(user=admin.id, context={"lang": "fr_FR", "tz": "Europe/Paris"})


def make_partners(prefix, count):
    return env["res.partner"].create(
        [
            {
                "name": f"{prefix}{index:04d} Dupont",
                "street": f"{index} rue des Lilas",
                "zip": "69100",
                "city": "Villeurbanne",
                "country_id": env.ref("base.fr").id,
                "lang": "fr_FR",
                "email": f"{prefix.lower()}{index}@example.com",
                "phone": "06 12 34 56 78",
                "user_id": admin.id,
            }
            for index in range(count)
        ]
    )


one_partners = make_partners("Un", 2 * ONE + 2)
new_partners = make_partners("Client", CLIENTS)
peer_partners = make_partners("Pair", CLIENTS)
env.cr.commit()


# --- 1. one letter through the wizard, with its PDF, as a user clicks ---
def click(partner, pause=0.0):
    """Open the wizard on the client (its form's first onchange: LibreOffice
    is warmed up), choose the template (``pause`` seconds, not counted), Generate (the
    letter's form opens). :return: the seconds of the two server calls."""
    started = time.perf_counter()
    Wizard = user_env["extrabat.letter.generate"].with_context(
        active_model="res.partner",
        active_ids=partner.ids,
        default_partner_ids=partner.ids,
    )
    spec = {"template_id": {}, "date": {}, "partner_count": {}, "company_id": {}}
    Wizard.onchange({}, [], spec)  # the form opens
    opened = time.perf_counter() - started
    time.sleep(pause)
    started = time.perf_counter()
    action = Wizard.create(
        {"template_id": template.id, "partner_ids": [Command.set(partner.ids)]}
    ).action_generate()
    letter = user_env["extrabat.letter"].browse(action["res_id"])
    letter.web_read({"pdf_state": {}, "pdf_file": {}, "document_file": {}})
    assert letter.pdf_state == "done", letter.generation_error
    env.cr.commit()
    return opened + time.perf_counter() - started


server = extrabat_letter.pdf_server.get_server()
# the first click of the process, LibreOffice not running: Generate clicked
# as soon as the wizard opens (the worst case), then 3 s after
server.close()
cold = click(one_partners[0])
server.close()
cold_pause = click(one_partners[1], pause=3.0)
one_new, one_peer = [], []
for index in range(ONE):
    one_new.append(click(one_partners[2 + 2 * index]))
    with previous_way():
        one_peer.append(click(one_partners[3 + 2 * index]))


# --- 2. from the list: documents now, PDFs queued ---
def generate(partners):
    def run():
        wizard = user_env["extrabat.letter.generate"].create(
            {"template_id": template.id, "partner_ids": [Command.set(partners.ids)]}
        )
        letters = wizard._generate_letters()
        env.cr.commit()
        return letters

    return run


without_pdf, without_pdf_peer = Measure(), Measure()
new_letters = env["extrabat.letter"]
peer_letters = env["extrabat.letter"]
for start in range(0, CLIENTS, CHUNK):
    with previous_way():
        peer_letters |= without_pdf_peer.run(
            generate(peer_partners[start : start + CHUNK]), CHUNK
        )
    new_letters |= without_pdf.run(generate(new_partners[start : start + CHUNK]), CHUNK)
pending = env["extrabat.letter"].search_count([("pdf_state", "=", "pending")])
document_bytes = len(new_letters[:1].document_attachment_id.raw)


# --- 3. the scheduled action makes the PDFs in batches ---
def cron(letters):
    def run():
        # this side's letters only: the other side's wait
        env.cr.execute(
            "UPDATE extrabat_letter SET pdf_state = 'none'"
            " WHERE pdf_state = 'pending' AND id NOT IN %s",
            [tuple(letters.ids)],
        )
        env["extrabat.letter"]._cron_generate_pending_pdfs()
        env.cr.execute(
            "UPDATE extrabat_letter SET pdf_state = 'pending'"
            " WHERE pdf_state = 'none' AND id NOT IN %s",
            [tuple(letters.ids)],
        )
        env.cr.commit()

    return run


with_pdf, with_pdf_peer = Measure(), Measure()
for start in range(0, CLIENTS, CHUNK):
    with previous_way():
        with_pdf_peer.run(cron(peer_letters[start : start + CHUNK]), CHUNK)
    with_pdf.run(cron(new_letters[start : start + CHUNK]), CHUNK)
env.invalidate_all()
done = env["extrabat.letter"].search_count(
    [("id", "in", new_letters.ids), ("pdf_state", "=", "done")]
)
done_peer = env["extrabat.letter"].search_count(
    [("id", "in", peer_letters.ids), ("pdf_state", "=", "done")]
)

# --- 4. LibreOffice alone: the same 20 documents by the kept LibreOffice
# and by one call
documents = [(letter.document_attachment_id.raw, "docx") for letter in new_letters[:20]]
convert_new, convert_peer = Measure(), Measure()
convert_peer.run(lambda: docengine.convert_many_to_pdf(documents), len(documents))
convert_new.run(
    lambda: docengine.convert_many_to_pdf(documents, persistent=True), len(documents)
)

env.cr.execute("SHOW server_version")
postgres = env.cr.fetchone()[0]
result = {
    "odoo": release.version,
    "python": platform.python_version(),
    "postgres": postgres,
    "cpus": os.cpu_count(),
    "load": os.getloadavg(),
    "clients": CLIENTS,
    "one": {
        "cold": cold,
        "cold_pause": cold_pause,
        "new": one_new,
        "peer": one_peer,
        "new_median": statistics.median(one_new),
        "peer_median": statistics.median(one_peer),
    },
    "letters": len(new_letters),
    "pending_after_generate": pending,
    "pdf_done": done,
    "pdf_done_peer": done_peer,
    "batch_size": extrabat_letter.PDF_BATCH_SIZE,
    "without_pdf": without_pdf.as_dict(),
    "without_pdf_peer": without_pdf_peer.as_dict(),
    "with_pdf": with_pdf.as_dict(),
    "with_pdf_peer": with_pdf_peer.as_dict(),
    "convert": convert_new.as_dict(),
    "convert_peer": convert_peer.as_dict(),
    "libreoffice_starts": server.starts,
    "template_bytes": len(template_bytes),
    "document_bytes": document_bytes,
    "soffice": str(Path(docengine.find_soffice()).name),
}
server.close()
print("BENCH_RESULT " + json.dumps(result))
