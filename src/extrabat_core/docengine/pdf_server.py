"""A LibreOffice kept running per process, for fast PDF conversions.

Starting LibreOffice costs about a second (more on a loaded machine); a
document converted by a LibreOffice already running costs some 40 ms. A
:class:`PdfServer` starts, on its first conversion, a worker
(:mod:`extrabat_core.docengine.uno_worker`, run by a Python that has
LibreOffice's ``uno`` module, e.g. Debian's ``python3-uno``) that starts
``soffice`` headless with a private profile and converts documents over
UNO, one at a time, until it is closed.

The safeguards of the one-shot conversion (:mod:`.pdf`) are kept: the worker
and LibreOffice run in their own process group, killed as a whole when a
call times out (the next call starts a new one); the profile is private to
the process (a temporary folder, removed on close); documents are opened
with the import filter of their declared format (nothing guessed), hidden,
read-only, without running macros nor updating links. In addition
the worker is restarted after :attr:`PdfServer.max_documents` documents,
stops after :attr:`PdfServer.idle` seconds without work, and stops with its
caller (stdin closed); if the worker itself is killed, what is left of its
process group is killed by the next call or at exit.

:func:`get_server` gives the server of the current process: one per
process (a forked child, e.g. an Odoo worker, starts its own; the parent's
is left alone), shared by its threads (one document at a time, so that the
documents of concurrent calls interleave), closed at exit.
"""

from __future__ import annotations

import atexit
import io
import json
import logging
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from .errors import ConversionError
from .pdf import FORMATS, convert_many_to_pdf, find_soffice

_logger = logging.getLogger(__name__)

WORKER = Path(__file__).with_name("uno_worker.py")
#: LibreOffice's import filter of each format: a document is read as what
#: it is declared to be, never as something LibreOffice guesses.
IMPORT_FILTERS = {"docx": "MS Word 2007 XML", "odt": "writer8"}


def find_uno_python(python: str | None = None) -> list[str]:
    """Pythons that may have LibreOffice's ``uno`` module, in order: the
    ``python`` argument, ``$EXTRABAT_UNO_PYTHON``, the ``python`` bundled
    with LibreOffice (next to ``soffice.bin``), ``/usr/bin/python3``
    (Debian's ``python3-uno``)."""
    if python:
        return [python]
    candidates = []
    if os.environ.get("EXTRABAT_UNO_PYTHON"):
        candidates.append(os.environ["EXTRABAT_UNO_PYTHON"])
    try:
        program = Path(os.path.realpath(find_soffice())).parent
        candidates.append(str(program / "python"))
    except ConversionError:
        pass
    candidates.append("/usr/bin/python3")
    return [c for c in candidates if os.access(c, os.X_OK) and not os.path.isdir(c)]


def has_comments(data: bytes, fmt: str) -> bool:
    """Whether a .docx/.odt holds comments (annotations). LibreOffice
    without its user interface files (Debian's ``-nogui`` packages) stops
    when it shows the comments of a document it keeps open, as the kept
    LibreOffice does: such documents are converted by one LibreOffice call,
    which closes them before showing anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if fmt == "docx":
                return any(name.startswith("word/comments") for name in names)
            return any(
                b":annotation" in archive.read(name)
                for name in ("content.xml", "styles.xml")
                if name in names
            )
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False


class Unavailable(Exception):
    """No Python with ``uno`` was found: use the one-shot conversion."""


class PdfServer:
    """A LibreOffice kept running to convert documents to PDF.

    :param soffice: LibreOffice executable (default: see :func:`find_soffice`).
    :param python: Python with ``uno`` (default: see :func:`find_uno_python`).
    :param start_timeout: seconds LibreOffice may take to start.
    :param idle: seconds without work after which the worker stops.
    :param max_documents: documents after which the worker is restarted
        (LibreOffice's memory grows with use).
    """

    def __init__(
        self,
        *,
        soffice: str | None = None,
        python: str | None = None,
        start_timeout: float = 60,
        idle: float = 900,
        max_documents: int = 1000,
    ):
        self.soffice = soffice
        self.python = python
        self.start_timeout = start_timeout
        self.idle = idle
        self.max_documents = max_documents
        self._process = None
        self._workdir = None
        self._buffer = b""
        self._converted = 0
        self._unavailable = False
        self._pythons = None  # candidate Pythons for the worker
        self._ready = False
        self._started_at = 0.0
        self._lock = threading.Lock()
        self.starts = 0  # for tests and benchmarks

    # --- public ---
    def convert_many(self, documents, *, timeout: float | None = None) -> list:
        """Like :func:`.pdf.convert_many_to_pdf`, with the running LibreOffice.

        :raise Unavailable: no Python with ``uno`` (nothing was converted).
        :raise ConversionError: LibreOffice missing, did not start, or the
            call timed out (LibreOffice is then killed).
        """
        documents = list(documents)
        if not documents:
            return []
        for _data, fmt in documents:
            if fmt not in FORMATS:
                raise ConversionError("bad_format", fmt=str(fmt)[:20])
        if timeout is None:
            timeout = 60 + 10 * len(documents)
        deadline = time.monotonic() + timeout
        folder = Path(tempfile.mkdtemp(prefix="extrabat-pdf-"))
        try:
            return self._convert_all(documents, folder, deadline, timeout)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def warm_up(self):
        """Start LibreOffice now, without waiting for it (e.g. when a form
        that will convert a document opens), unless it runs already or
        cannot run."""
        with self._lock:
            if self._unavailable or self.running:
                return
            self.close()
            try:
                self._spawn()
            except (ConversionError, Unavailable):
                self.close()

    def close(self, *, kill=False):
        """Stop the worker and LibreOffice (``kill``: at once), remove the
        profile."""
        process, self._process = self._process, None
        self._ready = False
        if process is not None and process.poll() is None and not kill:
            try:
                process.stdin.close()  # the worker stops LibreOffice
                process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            _kill_group(process)
        elif process is not None:
            _kill_group(process)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # --- internals ---
    def _convert_all(self, documents, folder, deadline, timeout):
        results = []
        one_call = []  # indexes of the documents converted as before
        for index, (data, fmt) in enumerate(documents):
            if has_comments(data, fmt):
                one_call.append(index)
                results.append(None)
                continue
            source = folder / f"document-{index:05d}.{fmt}"
            target = folder / f"document-{index:05d}.pdf"
            source.write_bytes(data)
            try:
                # one document at a time: the threads' calls interleave (a
                # user's letter does not wait for a whole batch)
                with self._lock:
                    result = self._convert_one(source, target, deadline, timeout)
            except _WorkerDied:
                # This document stopped LibreOffice: it is converted as
                # before, the next one starts a new LibreOffice.
                one_call.append(index)
                result = None
            finally:
                source.unlink(missing_ok=True)
            results.append(result)
        if one_call:
            converted = self._convert_in_one_call(
                [documents[index] for index in one_call], deadline
            )
            for index, result in zip(one_call, converted, strict=True):
                results[index] = result
        return results

    def _convert_in_one_call(self, documents, deadline):
        """Documents the kept LibreOffice cannot convert, by one call of a
        new LibreOffice (:func:`.pdf.convert_many_to_pdf`), within what is
        left of the call's time."""
        remaining = max(deadline - time.monotonic(), 1)
        try:
            return convert_many_to_pdf(
                documents, timeout=remaining, soffice=self.soffice
            )
        except ConversionError as error:
            return [error] * len(documents)

    def _convert_one(self, source, target, deadline, timeout):
        if not self.running or self._converted >= self.max_documents:
            self.close()
        self._ensure_ready(deadline, timeout)
        request = json.dumps(
            {
                "source": str(source),
                "target": str(target),
                "filter": IMPORT_FILTERS[source.suffix[1:]],
            }
        )
        try:
            self._process.stdin.write(request.encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            self.close()
            raise _WorkerDied("LibreOffice stopped") from None
        line = self._read_line(deadline, timeout)
        self._converted += 1
        answer = _parse(line)
        if answer.get("stopped"):  # this document made LibreOffice stop
            self.close(kill=True)
            raise _WorkerDied(answer.get("error", "LibreOffice stopped"))
        if not answer.get("ok"):
            return ConversionError("no_output", detail=answer.get("error", "")[:200])
        pdf = target.read_bytes() if target.is_file() else b""
        target.unlink(missing_ok=True)
        if not pdf.startswith(b"%PDF"):
            return ConversionError("no_output", detail="the output is not a PDF")
        return pdf

    def _spawn(self):
        """Start the worker with the first candidate Python, without waiting
        for LibreOffice.

        :raise Unavailable: no candidate Python left
        :raise ConversionError: ``soffice_missing``
        """
        if self._pythons is None:
            self._pythons = find_uno_python(self.python)
        executable = find_soffice(self.soffice)
        while self._pythons:
            self._workdir = Path(tempfile.mkdtemp(prefix="extrabat-soffice-"))
            command = [
                self._pythons[0],
                str(WORKER),
                executable,
                (self._workdir / "profile").as_uri(),
                f"extrabat_{os.getpid()}_{secrets.token_hex(8)}",  # UNO pipe
                f"{self.start_timeout:g}",
                f"{self.idle:g}",
            ]
            try:
                self._process = subprocess.Popen(
                    command,
                    cwd=self._workdir,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group
                )
            except OSError:
                self.close()
                self._pythons.pop(0)
                continue
            self._buffer, self._converted, self._ready = b"", 0, False
            self._started_at = time.monotonic()
            return
        self._unavailable = True
        raise Unavailable("no Python with LibreOffice's uno module")

    def _ensure_ready(self, deadline, timeout):
        """Start the worker if needed and wait until LibreOffice listens.

        :raise Unavailable: no Python with ``uno`` (then for good)
        :raise ConversionError: LibreOffice did not start (``failed``) or
            not in time (``timeout``)
        """
        while not self._ready:
            if self._process is None:
                self._spawn()
            start_deadline = min(deadline, self._started_at + self.start_timeout)
            try:
                line = self._read_line(start_deadline, timeout)
            except _WorkerDied as died:
                raise ConversionError("failed", detail=died.detail) from None
            if line == b"READY":
                self._ready = True
                self._pythons = self._pythons[:1]  # this one works
                self.starts += 1
                return
            self.close()
            if line == b"NO_UNO":
                self._pythons.pop(0)
                continue
            detail = _parse(line).get("error") or "LibreOffice did not start"
            raise ConversionError("failed", detail=detail[:200])

    def _read_line(self, deadline, timeout):
        """The worker's next line; kills it on timeout.

        :raise ConversionError: ``timeout``.
        :raise _WorkerDied: the worker stopped.
        """
        stdout = self._process.stdout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close(kill=True)
                raise ConversionError("timeout", timeout=f"{timeout:g}")
            with selectors.DefaultSelector() as selector:
                selector.register(stdout, selectors.EVENT_READ)
                if not selector.select(remaining):
                    continue
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                status = self._process.wait()
                self.close()
                raise _WorkerDied(f"LibreOffice stopped (exit status {status})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.strip()


def _parse(line):
    try:
        answer = json.loads(line)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return {"ok": False, "error": "unexpected answer from the worker"}
    return answer


class _WorkerDied(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        pass
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


_servers: dict[int, PdfServer] = {}
_servers_lock = threading.Lock()


def get_server() -> PdfServer:
    """The :class:`PdfServer` of the current process (created lazily)."""
    pid = os.getpid()
    with _servers_lock:
        server = _servers.get(pid)
        if server is None:
            # A forked child does not use (nor stop) its parent's server.
            _servers.clear()
            server = _servers[pid] = PdfServer()
        return server


@atexit.register
def _close_servers():
    server = _servers.get(os.getpid())
    if server is not None:
        server.close()
