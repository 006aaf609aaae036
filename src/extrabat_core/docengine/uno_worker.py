"""LibreOffice conversion worker, run by a Python that has LibreOffice's
``uno`` module (Debian's ``python3-uno`` for ``/usr/bin/python3``, or the
``python`` LibreOffice bundles) — not necessarily the Python of the caller.

Started by :mod:`extrabat_core.docengine.pdf_server` in its own process
group; it starts ``soffice`` headless with the given private profile,
listening on a private pipe, connects to it over UNO, writes ``READY`` and
then converts one document per line read on stdin::

    {"source": "/tmp/.../document-00000.docx", "target": "/tmp/.../document-00000.pdf",
     "filter": "MS Word 2007 XML"}

answering one line per document on stdout: ``{"ok": true}`` or
``{"ok": false, "error": "..."}``. Documents are opened with the given
import filter (no guessing of the type), hidden, read-only, without running
macros (``MacroExecutionMode`` NEVER_EXECUTE) and without updating links
(``UpdateDocMode`` NO_UPDATE), then closed. It stops, with
LibreOffice, when stdin closes, after ``idle`` seconds without a request,
or when LibreOffice goes away (exit status 4).

Usage: ``python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME START_TIMEOUT IDLE``.
This file imports nothing from the package: it runs outside it.
"""

import contextlib
import ctypes
import json
import select
import signal
import subprocess
import sys
import time

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
    from com.sun.star.lang import DisposedException
    from com.sun.star.uno import Exception as UnoException
    from com.sun.star.uno import RuntimeException as UnoRuntimeException
except ImportError:  # no LibreOffice Python bridge for this Python
    uno = None

#: ``com.sun.star.document.MacroExecMode.NEVER_EXECUTE``
NEVER_EXECUTE = 0
#: ``com.sun.star.document.UpdateDocMode.NO_UPDATE``
NO_UPDATE = 0
EXIT_NO_UNO = 3
EXIT_SOFFICE_GONE = 4


def _properties(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def _die_with_parent():
    """Linux: LibreOffice is killed if this worker dies (even SIGKILLed)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_soffice(soffice, profile_url, pipe_name):
    return subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            "--nofirststartwizard",
            f"-env:UserInstallation={profile_url}",
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 (no threads here)
    )


def _connect(office, pipe_name, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext"
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )


def _convert(desktop, source, target, import_filter):
    options = {
        "Hidden": True,
        "ReadOnly": True,
        "MacroExecutionMode": NEVER_EXECUTE,
        "UpdateDocMode": NO_UPDATE,
    }
    if import_filter:  # read as this format only (no type detection)
        options["FilterName"] = import_filter
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, _properties(**options)
    )
    if document is None:
        raise ValueError("the document could not be read")
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            _properties(FilterName="writer_pdf_Export"),
        )
    finally:
        document.close(True)


def _answer(**values):
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def main(argv):
    if uno is None:
        sys.stdout.write("NO_UNO\n")
        sys.stdout.flush()
        return EXIT_NO_UNO
    soffice, profile_url, pipe_name, start_timeout, idle = argv
    office = _start_soffice(soffice, profile_url, pipe_name)
    desktop = None
    try:
        desktop = _connect(office, pipe_name, time.monotonic() + float(start_timeout))
        if desktop is None:
            _answer(ok=False, error="LibreOffice did not start")
            return EXIT_SOFFICE_GONE
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        stdin = sys.stdin.buffer
        while True:
            readable, _w, _x = select.select([stdin], [], [], float(idle))
            if not readable:
                return 0  # idle: the caller starts a new worker when needed
            line = stdin.readline()
            if not line:
                return 0  # the caller went away
            request = json.loads(line)
            try:
                _convert(
                    desktop, request["source"], request["target"], request.get("filter")
                )
            except (DisposedException, UnoRuntimeException) as error:
                _answer(
                    ok=False, stopped=True, error=f"LibreOffice stopped: {error}"[:200]
                )
                return EXIT_SOFFICE_GONE
            except (UnoException, ValueError) as error:
                message = getattr(error, "Message", "") or str(error)
                _answer(ok=False, error=message.strip()[:200] or type(error).__name__)
            else:
                _answer(ok=True)
    finally:
        if desktop is not None:
            # LibreOffice may already be gone
            with contextlib.suppress(UnoRuntimeException):
                desktop.terminate()
        if office.poll() is None:
            office.terminate()
            try:
                office.wait(5)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
