"""PDF conversion with LibreOffice headless.

Each conversion runs ``soffice`` with its own throw-away user profile
(``-env:UserInstallation``) in its own temporary folder, so conversions can
run in parallel (LibreOffice refuses a second instance on a shared profile),
in its own process group, killed as a whole on timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ConversionError

FORMATS = ("docx", "odt")


def find_soffice(soffice: str | None = None) -> str:
    """The LibreOffice executable: ``soffice`` argument, ``$EXTRABAT_SOFFICE``,
    then ``soffice`` or ``libreoffice`` on the PATH.

    :raise ConversionError: ``soffice_missing``.
    """
    candidates = [soffice] if soffice else []
    if not soffice and os.environ.get("EXTRABAT_SOFFICE"):
        candidates.append(os.environ["EXTRABAT_SOFFICE"])
    if not candidates:
        candidates = ["soffice", "libreoffice"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise ConversionError("soffice_missing", tried=", ".join(candidates))


def convert_to_pdf(
    data: bytes,
    fmt: str,
    *,
    timeout: float = 120,
    soffice: str | None = None,
) -> bytes:
    """Convert a .docx or .odt document to PDF with LibreOffice.

    :param data: the document.
    :param fmt: ``"docx"`` or ``"odt"``.
    :param timeout: seconds before LibreOffice is killed.
    :param soffice: LibreOffice executable (default: see :func:`find_soffice`).
    :return: the PDF bytes.
    :raise ConversionError: LibreOffice missing, timed out, failed or produced
        nothing.
    """
    if fmt not in FORMATS:
        raise ConversionError("bad_format", fmt=str(fmt)[:20])
    executable = find_soffice(soffice)
    workdir = Path(tempfile.mkdtemp(prefix="extrabat-soffice-"))
    try:
        source = workdir / f"document.{fmt}"
        source.write_bytes(data)
        outdir = workdir / "out"
        outdir.mkdir()
        command = _soffice_command(executable, workdir, outdir, [source])
        _run(command, timeout, workdir)
        result = outdir / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionError("no_output", detail="the document could not be read")
        pdf = result.read_bytes()
        if not pdf.startswith(b"%PDF"):
            raise ConversionError("no_output", detail="the output is not a PDF")
        return pdf
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def convert_many_to_pdf(
    documents,
    *,
    timeout: float | None = None,
    soffice: str | None = None,
    persistent: bool = False,
) -> list:
    """Convert several .docx/.odt documents to PDF with one LibreOffice call.

    Starting LibreOffice costs seconds; converting one more document in the
    same call costs a fraction of that. One throw-away profile
    (``-env:UserInstallation``) per call, as :func:`convert_to_pdf`.

    With ``persistent`` (and no ``soffice`` given), the documents are
    converted by the LibreOffice kept running by this process
    (:func:`.pdf_server.get_server`, started on first use), or by one call
    as above when no Python has LibreOffice's ``uno`` module.

    :param documents: ``[(data, fmt)]`` with ``fmt`` ``"docx"`` or ``"odt"``.
    :param timeout: seconds before LibreOffice is killed (default 60 plus 10
        per document).
    :param soffice: LibreOffice executable (default: see :func:`find_soffice`).
    :param persistent: use the LibreOffice kept running (see above).
    :return: one item per document, in order: the PDF ``bytes``, or a
        :class:`ConversionError` for a document that gave no PDF (the others
        are still converted).
    :raise ConversionError: LibreOffice missing, or the call timed out or
        failed before converting anything.
    """
    documents = list(documents)
    if not documents:
        return []
    for _data, fmt in documents:
        if fmt not in FORMATS:
            raise ConversionError("bad_format", fmt=str(fmt)[:20])
    if persistent and soffice is None:
        from .pdf_server import Unavailable, get_server

        try:
            return get_server().convert_many(documents, timeout=timeout)
        except Unavailable:
            pass  # converted by one call below
    executable = find_soffice(soffice)
    if timeout is None:
        timeout = 60 + 10 * len(documents)
    workdir = Path(tempfile.mkdtemp(prefix="extrabat-soffice-"))
    try:
        outdir = workdir / "out"
        outdir.mkdir()
        sources = []
        for index, (data, fmt) in enumerate(documents):
            source = workdir / f"document-{index:05d}.{fmt}"
            source.write_bytes(data)
            sources.append(source)
        command = _soffice_command(executable, workdir, outdir, sources)
        failure = None
        try:
            _run(command, timeout, workdir)
        except ConversionError as error:
            if error.code in ("timeout",) or not any(outdir.iterdir()):
                raise
            failure = error  # some documents were converted
        results = []
        for source in sources:
            result = outdir / f"{source.stem}.pdf"
            pdf = result.read_bytes() if result.is_file() else b""
            if pdf.startswith(b"%PDF"):
                results.append(pdf)
            elif failure is not None:
                results.append(failure)
            else:
                results.append(
                    ConversionError(
                        "no_output", detail="the document could not be read"
                    )
                )
        return results
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(command, timeout, workdir):
    try:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed as one
        )
    except OSError as exc:
        raise ConversionError("failed", detail=str(exc)[:200]) from None
    try:
        _stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConversionError("timeout", timeout=f"{timeout:g}") from None
    finally:
        if process.poll() is None:  # interrupted (KeyboardInterrupt...)
            _kill_group(process)
    if process.returncode != 0:
        last = (stderr or b"").decode("utf-8", "replace").strip().splitlines()
        detail = f"exit status {process.returncode}"
        if last:
            detail += f": {last[-1][:200]}"
        raise ConversionError("failed", detail=detail)


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def _soffice_command(executable, workdir, outdir, sources):
    """LibreOffice's command converting ``sources`` to PDF in ``outdir``,
    headless, with a throw-away profile in ``workdir`` (so that conversions
    can run in parallel)."""
    profile = (workdir / "profile").as_uri()
    return [
        executable,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        "--nofirststartwizard",
        f"-env:UserInstallation={profile}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
