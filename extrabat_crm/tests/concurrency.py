"""Real concurrent transactions for the tests: threads, each with its own
database connection (``registry.cursor()``), on fixtures committed in a
separate transaction.

Not a test module itself (no ``test_`` prefix): helpers for the tests.
"""

import threading
import time
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tools import SQL

#: Odoo retries a request 5 times on a serialization failure
#: (odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE).
MAX_TRIES = 5


class ConcurrencyMixin:
    """For a ``TransactionCase``: there, ``self.registry.cursor()`` is a real
    new connection, so its commits are visible to the other threads."""

    @contextmanager
    def committed_env(self, uid=SUPERUSER_ID):
        """An environment on a new connection, committed on exit."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, {})

    def run_concurrently(self, *jobs, uid=SUPERUSER_ID, wait_for_lock=True):
        """Run each ``job(env)`` in its own thread and transaction, at the
        same time, and commit them all.

        Every transaction takes its snapshot before any of them works (a
        barrier), then does its job and holds its commit until one of the
        other transactions is seen waiting for a lock in PostgreSQL (or 10
        seconds pass): the transactions really overlap. A serialization
        failure rolls the transaction back and runs the job again, as Odoo's
        ``retrying()`` does for every RPC and HTTP request.

        :return: dict with ``retries`` (list of retries per job), ``waited``
            (whether a transaction was seen blocked on a lock) and ``errors``
            (list of exceptions that were not serialization failures)
        """
        count = len(jobs)
        barrier = threading.Barrier(count, timeout=30)
        may_commit = threading.Event()
        ready = threading.Semaphore(0)
        pids = [None] * count
        retries = [0] * count
        errors = []

        def attempt(index, job, first):
            """One transaction: commits when the block ends without error."""
            with self.registry.cursor() as cr:
                pids[index] = cr._cnx.get_backend_pid()
                if first:
                    cr.execute("SELECT 1")  # the snapshot of REPEATABLE READ
                    barrier.wait()
                env = api.Environment(cr, uid, {})
                job(env)
                env.flush_all()
                ready.release()
                may_commit.wait(timeout=30)

        def worker(index, job):
            for tryno in range(MAX_TRIES):
                try:
                    attempt(index, job, first=tryno == 0)
                    return
                except psycopg2.errors.SerializationFailure:
                    retries[index] += 1
                except Exception as error:  # noqa: BLE001 - reported to the test
                    errors.append(error)
                    ready.release()
                    return
            errors.append(RuntimeError(f"job {index} failed {MAX_TRIES} times"))

        threads = [
            threading.Thread(target=worker, args=(index, job), daemon=True)
            for index, job in enumerate(jobs)
        ]
        # The test thread holds the registry lock while modules load; the
        # workers only look the (loaded) registry up, as HttpCase lets them.
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.start()
            waited = False
            if wait_for_lock:
                waited = self._wait_until_one_waits_for_a_lock(pids, ready)
            may_commit.set()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(
            [thread for thread in threads if thread.is_alive()], "a job hangs"
        )
        return {"retries": retries, "waited": waited, "errors": errors}

    def _wait_until_one_waits_for_a_lock(self, pids, ready, timeout=10):
        """Once a job is done (holding its commit), poll PostgreSQL until
        another backend of ours waits for a lock."""
        if not ready.acquire(timeout=30):
            return False
        ready.release()
        deadline = time.monotonic() + timeout
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                ours = tuple(pid for pid in pids if pid)
                cr.execute(
                    SQL(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE pid IN %s AND wait_event_type = 'Lock'",
                        ours,
                    )
                )
                if cr.fetchone()[0]:
                    return True
                # pg_stat_activity is a snapshot per transaction.
                cr.rollback()
                time.sleep(0.02)
        return False
