"""LibreOffice kept running per process (pdf_server): reuse, restart after a
crash or a timeout, idle stop, one per process, fallback without ``uno``.

The failure cases use fake workers (no LibreOffice needed); the others a
real LibreOffice driven over UNO (Debian's ``python3-uno``)."""

import io
import os
import subprocess
import sys
import threading
import time
import zipfile

import pytest

from extrabat_core.docengine import (
    ConversionError,
    convert_many_to_pdf,
    pdf_server,
    render,
)
from extrabat_core.docengine import pdf as pdf_module
from extrabat_core.docengine.pdf_server import PdfServer, Unavailable

from . import docfixtures as fx
from .dochelpers import pdf_text


def _has_uno():
    for python in pdf_server.find_uno_python():
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return True
    return False


needs_uno = pytest.mark.skipif(
    not _has_uno(), reason="no Python with LibreOffice's uno (python3-uno)"
)


def _docx(name):
    return render(
        fx.simple_docx(fx.para(fx.run("Lettre à [data.nom_client]"))),
        {"nom_client": name},
    )


def _fake_worker(tmp_path, body, name="fake-python"):
    """An executable standing for the Python running the worker: it gets the
    worker's arguments and talks the worker's protocol."""
    path = tmp_path / name
    path.write_text(
        f"#!{sys.executable}\n"
        "import json, os, subprocess, sys, time\n"
        "def answer(**v):\n"
        "    sys.stdout.write(json.dumps(v) + '\\n'); sys.stdout.flush()\n"
        "def requests():\n"
        "    for line in sys.stdin:\n"
        "        yield json.loads(line)\n" + body
    )
    path.chmod(0o755)
    return str(path)


# A worker that converts by writing a fake PDF, counting its documents.
FAKE_OK = """
print("READY", flush=True)
for number, request in enumerate(requests(), 1):
    with open(request["target"], "wb") as handle:
        handle.write(b"%PDF-1.4 " + str(os.getpid()).encode())
    answer(ok=True)
"""


@pytest.mark.libreoffice
@needs_uno
def test_one_libreoffice_converts_every_call_in_order():
    server = PdfServer()
    try:
        first = server.convert_many([(_docx("Dupont"), "docx")])
        odt = render(
            fx.simple_odt(fx.opara(fx.span("Courrier pour [data.nom_client]"))),
            {"nom_client": "Martin"},
        )
        second = server.convert_many([(odt, "odt"), (_docx("Durand"), "docx")])
        assert server.starts == 1
        assert "Lettre à Dupont" in pdf_text(first[0])
        assert "Courrier pour Martin" in pdf_text(second[0])
        assert "Lettre à Durand" in pdf_text(second[1])
        assert server.running
    finally:
        server.close()
    assert not server.running


@pytest.mark.libreoffice
@needs_uno
def test_persistent_conversion_is_used_and_reused(monkeypatch):
    monkeypatch.setattr(pdf_server, "_servers", {})
    calls = []
    monkeypatch.setattr(pdf_module, "_run", lambda *args: calls.append(args))
    try:
        for name in ("Dupont", "Martin"):
            (pdf,) = convert_many_to_pdf([(_docx(name), "docx")], persistent=True)
            assert f"Lettre à {name}" in pdf_text(pdf)
        assert pdf_server.get_server().starts == 1
        assert calls == []  # no one-shot soffice
    finally:
        pdf_server.get_server().close()


@pytest.mark.libreoffice
@needs_uno
def test_idle_libreoffice_stops_and_comes_back():
    server = PdfServer(idle=1)
    try:
        server.convert_many([(_docx("Dupont"), "docx")])
        deadline = time.monotonic() + 20
        while server.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not server.running
        (pdf,) = server.convert_many([(_docx("Martin"), "docx")])
        assert "Lettre à Martin" in pdf_text(pdf)
        assert server.starts == 2
    finally:
        server.close()


@pytest.mark.libreoffice
@needs_uno
def test_warm_up_starts_libreoffice_without_waiting():
    server = PdfServer()
    try:
        started = time.monotonic()
        server.warm_up()
        assert time.monotonic() - started < 0.5
        assert server.running
        (pdf,) = server.convert_many([(_docx("Dupont"), "docx")])
        assert "Lettre à Dupont" in pdf_text(pdf)
        assert server.starts == 1
    finally:
        server.close()


def test_timeout_kills_the_process_group_and_the_next_call_restarts(tmp_path):
    pidfile = tmp_path / "pid"
    stuck = _fake_worker(
        tmp_path,
        f"""
print("READY", flush=True)
for request in requests():
    child = subprocess.Popen(["sleep", "60"])
    open({str(pidfile)!r}, "w").write(str(child.pid))
    child.wait()
""",
    )
    server = PdfServer(python=stuck)
    started = time.monotonic()
    with pytest.raises(ConversionError) as info:
        server.convert_many([(b"doc", "docx")], timeout=1)
    assert info.value.code == "timeout"
    assert time.monotonic() - started < 10
    child = int(pidfile.read_text())
    for _attempt in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the worker's child survived the timeout")
    assert not server.running
    server.python = _fake_worker(tmp_path, FAKE_OK, "fake-ok")
    server._pythons = None
    assert server.convert_many([(b"doc", "docx")]) == [
        b"%PDF-1.4 " + str(server._process.pid).encode()
    ]
    server.close()


def _one_call_spy(monkeypatch):
    """Replaces the one-shot conversion the kept LibreOffice falls back on."""
    calls = []

    def fake(documents, **kwargs):
        calls.append([data for data, _fmt in documents])
        return [b"%PDF-1.4 one call"] * len(documents)

    monkeypatch.setattr(pdf_server, "convert_many_to_pdf", fake)
    return calls


def test_a_document_that_stops_libreoffice_is_converted_as_before(
    tmp_path, monkeypatch
):
    # The worker dies on its second document: that one is converted by one
    # LibreOffice call, the third by a new worker.
    crashing = _fake_worker(
        tmp_path,
        """
print("READY", flush=True)
for number, request in enumerate(requests(), 1):
    if b"crash" in open(request["source"], "rb").read():
        os._exit(4)
    with open(request["target"], "wb") as handle:
        handle.write(b"%PDF-1.4 ok")
    answer(ok=True)
""",
    )
    calls = _one_call_spy(monkeypatch)
    server = PdfServer(python=crashing)
    try:
        results = server.convert_many(
            [(b"one", "docx"), (b"crash", "docx"), (b"three", "odt")]
        )
        assert results == [b"%PDF-1.4 ok", b"%PDF-1.4 one call", b"%PDF-1.4 ok"]
        assert calls == [[b"crash"]]
        assert server.starts == 2
    finally:
        server.close()


def _with_comment_docx():
    with zipfile.ZipFile(io.BytesIO(_docx("Dupont"))) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries["word/comments.xml"] = b"<w:comments/>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return out.getvalue()


def test_documents_with_comments_are_converted_by_one_call(tmp_path, monkeypatch):
    # LibreOffice without its user interface files (-nogui) stops when it
    # shows the comments of a document it keeps open.
    annotated = render(fx.odt_kitchen_sink(), {"nom_client": "Martin"})
    commented = _with_comment_docx()
    assert pdf_server.has_comments(annotated, "odt")
    assert pdf_server.has_comments(commented, "docx")
    assert not pdf_server.has_comments(_docx("Dupont"), "docx")
    plain_odt = render(fx.simple_odt(fx.opara("Lettre")), {})
    assert not pdf_server.has_comments(plain_odt, "odt")
    assert not pdf_server.has_comments(b"not a zip", "odt")
    calls = _one_call_spy(monkeypatch)
    server = PdfServer(python=_fake_worker(tmp_path, FAKE_OK))
    try:
        results = server.convert_many(
            [(annotated, "odt"), (plain_odt, "odt"), (commented, "docx")]
        )
        assert results[0] == results[2] == b"%PDF-1.4 one call"
        assert results[1].startswith(b"%PDF-1.4 ") and results[1] != results[0]
        assert calls == [[annotated, commented]]
    finally:
        server.close()


@pytest.mark.libreoffice
@needs_uno
def test_a_document_that_stops_the_real_libreoffice_still_gets_its_pdf(
    monkeypatch,
):
    annotated = render(fx.odt_kitchen_sink(), {"nom_client": "Martin"})
    # not routed to the one call: the kept LibreOffice stops on it
    monkeypatch.setattr(pdf_server, "has_comments", lambda data, fmt: False)
    server = PdfServer()
    try:
        first, crashed, after = server.convert_many(
            [(_docx("Dupont"), "docx"), (annotated, "odt"), (_docx("Durand"), "docx")]
        )
        assert "Lettre à Dupont" in pdf_text(first)
        assert "Martin" in pdf_text(crashed)
        assert "Lettre à Durand" in pdf_text(after)
        assert server.starts == 2
    finally:
        server.close()


def test_unreadable_document_is_an_error_for_it_only(tmp_path):
    refusing = _fake_worker(
        tmp_path,
        """
print("READY", flush=True)
for request in requests():
    if open(request["source"], "rb").read() == b"bad":
        answer(ok=False, error="General Error.")
    else:
        open(request["target"], "wb").write(b"not a pdf")
        answer(ok=True)
""",
    )
    server = PdfServer(python=refusing)
    try:
        bad, not_pdf = server.convert_many([(b"bad", "docx"), (b"good", "docx")])
        assert bad.code == "no_output" and "General Error." in bad.message_en
        assert not_pdf.code == "no_output"
        assert server.starts == 1
    finally:
        server.close()


def test_restarted_after_max_documents(tmp_path):
    server = PdfServer(python=_fake_worker(tmp_path, FAKE_OK), max_documents=2)
    try:
        results = server.convert_many([(b"doc", "docx")] * 5)
        # the fake PDF holds the worker's pid: 2 + 2 + 1 documents
        pids = [result.split()[-1] for result in results]
        assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
        assert server.starts == 3
    finally:
        server.close()


def test_no_python_with_uno_falls_back_to_one_call(tmp_path, monkeypatch):
    no_uno = _fake_worker(tmp_path, 'print("NO_UNO", flush=True)\nsys.exit(3)\n')
    server = PdfServer(python=no_uno)
    with pytest.raises(Unavailable):
        server.convert_many([(b"doc", "docx")])
    with pytest.raises(Unavailable):  # known for good: not tried again
        server.convert_many([(b"doc", "docx")])
    server.warm_up()
    assert not server.running
    # convert_many_to_pdf(persistent=True) then makes one soffice call
    monkeypatch.setattr(pdf_server, "_servers", {os.getpid(): server})
    calls = []

    def fake_run(command, timeout, workdir):
        calls.append(command)
        for source in command[command.index("--outdir") + 2 :]:
            name = os.path.basename(source).rsplit(".", 1)[0] + ".pdf"
            with open(
                os.path.join(command[command.index("--outdir") + 1], name), "wb"
            ) as out:
                out.write(b"%PDF-1.4 one call")

    monkeypatch.setattr(pdf_module, "_run", fake_run)
    monkeypatch.setattr(pdf_module, "find_soffice", lambda soffice=None: "soffice")
    assert (
        convert_many_to_pdf([(b"a", "docx"), (b"b", "odt")], persistent=True)
        == [b"%PDF-1.4 one call"] * 2
    )
    assert len(calls) == 1


def test_worker_that_does_not_start_is_a_failure(tmp_path):
    broken = _fake_worker(
        tmp_path, 'answer(ok=False, error="LibreOffice did not start")\nsys.exit(4)\n'
    )
    server = PdfServer(python=broken)
    with pytest.raises(ConversionError) as info:
        server.convert_many([(b"doc", "docx")])
    assert info.value.code == "failed"
    assert "did not start" in info.value.message_en
    assert not server.running


def test_each_process_has_its_own_server(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRABAT_UNO_PYTHON", _fake_worker(tmp_path, FAKE_OK))
    monkeypatch.setattr(pdf_server, "_servers", {})
    parent = pdf_server.get_server()
    assert pdf_server.get_server() is parent
    try:
        parent.convert_many([(b"doc", "docx")])
        parent_worker = parent._process.pid
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its own server, the parent's left alone
            try:
                child = pdf_server.get_server()
                (pdf,) = child.convert_many([(b"doc", "docx")])
                ok = (
                    child is not parent
                    and pdf.split()[-1] != str(parent_worker).encode()
                )
                child.close()
                os.write(write, b"1" if ok else b"0")
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        assert os.read(read, 1) == b"1"
        assert parent.running and parent._process.pid == parent_worker
    finally:
        parent.close()


def test_a_letter_does_not_wait_for_a_whole_batch_of_another_thread(tmp_path):
    slow = _fake_worker(
        tmp_path,
        """
print("READY", flush=True)
for request in requests():
    time.sleep(0.3)
    with open(request["target"], "wb") as handle:
        handle.write(b"%PDF-1.4 " + open(request["source"], "rb").read())
    answer(ok=True)
""",
    )
    server = PdfServer(python=slow)
    finished = {}

    def convert(name, count):
        server.convert_many([(name.encode(), "docx")] * count)
        finished[name] = time.monotonic()

    try:
        batch = threading.Thread(target=convert, args=("batch", 8))
        batch.start()
        time.sleep(0.5)  # the batch is being converted
        convert("letter", 1)
        batch.join()
        assert finished["letter"] < finished["batch"] - 1
        assert server.starts == 1
    finally:
        server.close()


@pytest.mark.libreoffice
@needs_uno
def test_documents_are_read_as_their_declared_format(word_template, odt_template):
    dotx = fx.WordPackage(fx.para(fx.run("Modèle [data.x]")))
    dotx.main_type = (
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.template.main+xml"
    )
    word = render(word_template, {"nom_client": "Dupont"})
    server = PdfServer()
    try:
        results = server.convert_many(
            [
                (word, "docx"),
                (render(odt_template, {"nom_client": "Martin"}), "odt"),
                (render(dotx.build(), {"x": "Durand"}), "docx"),
                (word, "odt"),  # a .docx declared .odt is not guessed
                (b"plain text, not a document", "docx"),
            ]
        )
        assert "Dupont" in pdf_text(results[0])
        assert "Martin" in pdf_text(results[1])
        assert "Modèle Durand" in pdf_text(results[2])
        assert [r.code for r in results[3:]] == ["no_output", "no_output"]
        assert server.starts == 1
    finally:
        server.close()
