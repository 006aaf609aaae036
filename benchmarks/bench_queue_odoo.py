#!/usr/bin/env python3
"""Benchmark of letter PDFs made by queue_job jobs (extrabat_queue), with
real Odoo processes.

On a throw-away database with ``extrabat_queue`` (and so OCA's ``queue_job``):

1. a real Odoo server with ``--workers=1``, then one with ``--workers=2``,
   each started with ``--load=base,web,queue_job`` and a configuration file
   whose ``[queue_job] channels`` is ``root:<workers>`` (the job runner
   dispatches as many jobs at once as there are workers);
2. for each, ``BENCH_LETTERS`` letters (default 200; the issue asks 2,000)
   generated for as many clients by the *Generate a letter* wizard in an
   ``odoo shell`` (documents at once, PDFs queued as jobs of
   ``BENCH_JOB_SIZE`` letters, default 20, on ``root.extrabat.pdf``); the
   time from the wizard's commit until the last PDF is stored gives the
   throughput; the ratio of the two is printed;
3. a crash: ``--workers=2`` again, the same number of new letters, and a
   ``kill -9`` of the worker running a PDF job once a job is started; the
   job runner puts the dead job back, it runs again; then every letter must
   have its PDF and exactly one PDF attachment (none lost, none converted
   twice).

Usage: ``python3 benchmarks/bench_queue_odoo.py`` (environment:
``BENCH_LETTERS``, ``BENCH_JOB_SIZE``, ``BENCH_TIMEOUT`` seconds per run
(default 3600), ``KEEP_DB=1``, and the connection variables of
``tools/odoo_env.py``). The CPU is shared with whatever else runs on the
machine: the load average is printed with the results.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

import odoo_env

LETTERS = int(os.environ.get("BENCH_LETTERS", "200"))
JOB_SIZE = int(os.environ.get("BENCH_JOB_SIZE", "20"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "3600"))

SETUP_SCRIPT = """
import base64, json
from odoo.tools.misc import file_open
with file_open("extrabat_letters/demo/courrier_rendez_vous.odt", "rb") as fh:
    data = fh.read()
template = env["extrabat.letter.template"].create({
    "name": "Bench queue", "kind": "file",
    "template_file": base64.b64encode(data),
    "template_filename": "courrier_rendez_vous.odt",
})
env["ir.config_parameter"].set_param("extrabat_queue.pdf_job_size", "%(job_size)s")
env.cr.commit()
print("BENCH_SETUP " + json.dumps({"template_id": template.id}))
"""

GENERATE_SCRIPT = """
import json, time
from odoo import Command
quiet = {"tracking_disable": True, "mail_create_nolog": True,
         "mail_create_nosubscribe": True, "mail_notrack": True}
partners = env["res.partner"].with_context(**quiet).create(
    [{"name": "Bench %(run)s client %%s" %% i} for i in range(%(count)s)]
)
env.cr.commit()
started = time.time()
wizard = env["extrabat.letter.generate"].create({
    "template_id": %(template_id)s,
    "partner_ids": [Command.set(partners.ids)],
})
action = wizard.action_generate()
batch = env["extrabat.letter.batch"].browse(action["res_id"])
letter_ids = batch.letter_ids.ids
env.cr.commit()
print("BENCH_GENERATED " + json.dumps({
    "batch_id": batch.id, "letter_ids": letter_ids,
    "generate_seconds": time.time() - started, "committed_at": time.time(),
}))
"""


def shell(odoo, dbname, data_dir, script):
    """Run ``script`` in ``odoo shell``; return the JSON of its
    ``BENCH_<WORD> {json}`` line."""
    proc = subprocess.run(
        odoo_env.odoo_command(
            odoo,
            f"--database={dbname}",
            f"--data-dir={data_dir}",
            "--no-http",
            "--log-level=warn",
            command="shell",
        ),
        cwd=ROOT,
        env=odoo.env(),
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_"):
            return json.loads(line.split(" ", 1)[1])
    print(proc.stdout[-3000:], proc.stderr[-5000:])
    raise RuntimeError("the odoo shell script failed")


class Server:
    """An Odoo server with ``workers`` workers and queue_job's runner."""

    def __init__(self, odoo, dbname, data_dir, workers, logfile):
        self.port = odoo_env.free_port()
        self.logfile = Path(logfile)
        config = Path(data_dir) / f"odoo-{workers}.conf"
        odoo_env.write_config(config, odoo)
        with open(config, "a") as fh:
            fh.write(f"\n[queue_job]\nchannels = root:{workers}\n")
        cmd = odoo_env.odoo_command(
            odoo,
            f"--config={config}",
            f"--database={dbname}",
            f"--data-dir={data_dir}",
            f"--workers={workers}",
            "--load=base,web,queue_job",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            "--limit-time-real=1800",
            "--limit-time-cpu=1800",
            "--log-level=info",
            "--log-handler=werkzeug:WARNING",
        )
        self.out = open(self.logfile, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=odoo.env(),
            stdout=self.out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Odoo stopped: see {self.logfile}")
            log = self.logfile.read_text(errors="replace")
            if "queue job runner ready for db" in log:
                try:
                    url = f"http://127.0.0.1:{self.port}/web/health"
                    with urllib.request.urlopen(url, timeout=5) as answer:
                        if answer.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(1)
        raise RuntimeError(f"Odoo not ready after {timeout} s: see {self.logfile}")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.out.close()


def pg(dbname):
    import psycopg2

    kwargs = odoo_env.pg_connect_kwargs()
    kwargs["dbname"] = dbname
    conn = psycopg2.connect(**kwargs)
    conn.autocommit = True
    return conn


def pdf_states(conn, letter_ids):
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pdf_state, count(*) FROM extrabat_letter WHERE id = ANY(%s)"
            " GROUP BY pdf_state",
            (letter_ids,),
        )
        return dict(cr.fetchall())


def wait_done(conn, letter_ids, on_tick=None):
    """Poll until no letter is pending; return the time it happened."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        states = pdf_states(conn, letter_ids)
        if not states.get("pending"):
            return time.time(), states
        if on_tick:
            on_tick(states)
        time.sleep(0.5)
    raise RuntimeError(f"PDFs still pending after {TIMEOUT} s: {states}")


def pdfs_per_letter(conn, letter_ids):
    """``{number of PDF attachments: number of letters}``."""
    with conn.cursor() as cr:
        cr.execute(
            "SELECT l.id, count(a.id) FROM extrabat_letter l"
            " LEFT JOIN ir_attachment a ON a.extrabat_letter_id = l.id"
            "  AND a.mimetype = 'application/pdf'"
            " WHERE l.id = ANY(%s) GROUP BY l.id",
            (letter_ids,),
        )
        histogram = {}
        for _letter, count in cr.fetchall():
            histogram[count] = histogram.get(count, 0) + 1
        return histogram


def batch_closed(conn, batch_id, timeout=60):
    """Wait for the batch to be closed (after the last job's commit);
    return its state and the number of messages addressed to its user."""
    deadline = time.monotonic() + timeout
    while True:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT b.state, count(DISTINCT m.id) FROM extrabat_letter_batch b"
                " JOIN res_users u ON u.id = b.user_id"
                " LEFT JOIN mail_message m ON m.model = 'extrabat.letter.batch'"
                "  AND m.res_id = b.id AND EXISTS (SELECT 1 FROM"
                "   mail_message_res_partner_rel r WHERE r.mail_message_id = m.id"
                "   AND r.res_partner_id = u.partner_id)"
                " WHERE b.id = %s GROUP BY b.state",
                (batch_id,),
            )
            state, messages = cr.fetchone()
        if state == "done" or time.monotonic() > deadline:
            return {"state": state, "messages_to_user": messages}
        time.sleep(0.5)


def jobs_of(conn, letter_ids):
    """The PDF jobs of these letters: ``[(uuid, state, retry, worker_pid)]``."""
    with conn.cursor() as cr:
        cr.execute(
            "SELECT uuid, state, retry, worker_pid, records FROM queue_job"
            " WHERE method_name = '_job_make_pdfs'"
        )
        wanted = set(letter_ids)
        jobs = []
        for uuid, state, retry, pid, records in cr.fetchall():
            if isinstance(records, str):
                records = json.loads(records)
            if wanted & set(records.get("ids", [])):
                jobs.append((uuid, state, retry, pid))
        return jobs


def run(odoo, dbname, data_dir, template_id, workers, name, kill=False):
    logfile = Path(data_dir) / f"odoo-{name}.log"
    server = Server(odoo, dbname, data_dir, workers, logfile)
    result = {"workers": workers, "letters": LETTERS, "log": str(logfile)}
    try:
        server.wait_ready()
        load_before = os.getloadavg()[0]
        generated = shell(
            odoo,
            dbname,
            data_dir,
            GENERATE_SCRIPT
            % {"run": name, "count": LETTERS, "template_id": template_id},
        )
        letter_ids = generated["letter_ids"]
        conn = pg(dbname)
        killed = {}

        def kill_a_worker(_states):
            if killed:
                return
            for uuid, state, _retry, pid in jobs_of(conn, letter_ids):
                if state == "started" and pid:
                    time.sleep(1.0)  # mid-job: LibreOffice is converting
                    os.kill(pid, signal.SIGKILL)
                    killed.update(uuid=uuid, pid=pid, at=time.time())
                    # its letters: still pending (rolled back) if it was
                    # killed before its commit
                    with conn.cursor() as cr:
                        cr.execute(
                            "SELECT records FROM queue_job WHERE uuid = %s", (uuid,)
                        )
                        records = cr.fetchone()[0]
                    if isinstance(records, str):
                        records = json.loads(records)
                    killed["job_letters_pending_after_kill"] = pdf_states(
                        conn, records["ids"]
                    ).get("pending", 0)
                    killed["job_letters"] = len(records["ids"])
                    return

        done_at, states = wait_done(conn, letter_ids, kill_a_worker if kill else None)
        seconds = done_at - generated["committed_at"]
        result["batch"] = batch_closed(conn, generated["batch_id"])
        result.update(
            generate_seconds=generated["generate_seconds"],
            pdf_seconds=seconds,
            letters_per_minute=len(letter_ids) / seconds * 60,
            states=states,
            pdfs_per_letter=pdfs_per_letter(conn, letter_ids),
            load_average=(load_before, os.getloadavg()[0]),
        )
        if kill:
            jobs = jobs_of(conn, letter_ids)
            result["killed"] = killed
            result["killed_job_after"] = [j for j in jobs if j[0] == killed.get("uuid")]
            result["jobs_retried"] = sum(1 for j in jobs if j[2] > 1)
            result["requeued_in_log"] = logfile.read_text(errors="replace").count(
                "Re-queued dead job"
            )
        conn.close()
    finally:
        server.stop()
    return result


def main():
    odoo = odoo_env.locate_odoo()
    problem = odoo_env.check_postgres()
    if problem:
        print(problem)
        return 2
    if "extrabat_queue" not in odoo_env.optional_addons(odoo):
        print("OCA queue_job is not installed (make setup installs it).")
        return 2
    dbname = f"extrabat_bench_queue_{os.getpid()}"
    keep = os.environ.get("KEEP_DB") == "1"
    data_dir = tempfile.mkdtemp(prefix="extrabat-bench-queue-")
    results = []
    try:
        print(f"Creating {dbname} (Odoo {odoo.version}: extrabat_queue)...", flush=True)
        subprocess.run(
            odoo_env.odoo_command(
                odoo,
                f"--database={dbname}",
                f"--data-dir={data_dir}",
                "--init=extrabat_queue",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ),
            cwd=ROOT,
            env=odoo.env(),
            check=True,
        )
        setup = shell(odoo, dbname, data_dir, SETUP_SCRIPT % {"job_size": JOB_SIZE})
        for workers, name, kill in (
            (1, "w1", False),
            (2, "w2", False),
            (2, "kill", True),
        ):
            print(
                f"{LETTERS} letters, --workers={workers}"
                + (", kill -9 of a worker mid-job" if kill else "")
                + "...",
                flush=True,
            )
            result = run(
                odoo, dbname, data_dir, setup["template_id"], workers, name, kill
            )
            results.append(result)
            print("  " + json.dumps(result), flush=True)
    finally:
        if keep:
            print(f"Database kept: {dbname}; logs in {data_dir}")
        else:
            odoo_env.drop_database(dbname)
            shutil.rmtree(data_dir, ignore_errors=True)
    report(results)
    return 0 if all(_sound(r) for r in results) else 1


def _sound(result):
    """Every letter has its PDF, exactly one; the batch was closed and its
    user told once; the killed job was done."""
    sound = (
        result["states"] == {"done": result["letters"]}
        and result["pdfs_per_letter"] == {1: result["letters"]}
        and result["batch"] == {"state": "done", "messages_to_user": 1}
    )
    if "killed" in result:
        after = result["killed_job_after"]
        sound = sound and bool(result["killed"]) and after and after[0][1] == "done"
    return bool(sound)


def report(results):
    w1, w2, crash = results
    print()
    print(
        f"Letter PDFs by queue_job jobs: {LETTERS} letters, {JOB_SIZE} per job, "
        f"{os.cpu_count()} CPUs (shared: load average shown)"
    )
    for r in (w1, w2):
        print(
            f"  --workers={r['workers']}: {r['pdf_seconds']:.1f} s, "
            f"{r['letters_per_minute']:.0f} letters/min (documents generated in "
            f"{r['generate_seconds']:.1f} s before); load "
            f"{r['load_average'][0]:.1f} -> {r['load_average'][1]:.1f}; "
            f"PDFs per letter {r['pdfs_per_letter']}; batch {r['batch']}"
        )
    print(
        f"  ratio 2 workers / 1 worker: "
        f"{w2['letters_per_minute'] / w1['letters_per_minute']:.2f}"
    )
    print(
        f"  kill -9 of worker {crash['killed'].get('pid')} running job "
        f"{crash['killed'].get('uuid')} "
        f"({crash['killed'].get('job_letters_pending_after_kill')} of its "
        f"{crash['killed'].get('job_letters')} letters still pending after the "
        f"kill): letters {crash['states']}, PDFs per "
        f"letter {crash['pdfs_per_letter']}, the killed job afterwards "
        f"{crash['killed_job_after']}, 'Re-queued dead job' in the log "
        f"{crash['requeued_in_log']} time(s), total {crash['pdf_seconds']:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
