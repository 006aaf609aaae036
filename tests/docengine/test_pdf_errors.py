"""PDF conversion failures, with fake LibreOffice programs (no LibreOffice needed)."""

import os
import time

import pytest

from extrabat_core.docengine import ConversionError, convert_to_pdf, find_soffice


def _script(tmp_path, body):
    path = tmp_path / "fake-soffice"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def test_missing_soffice_given_explicitly():
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"x", "docx", soffice="/nonexistent/soffice")
    assert info.value.code == "soffice_missing"
    assert "/nonexistent/soffice" in info.value.message_en
    assert "LibreOffice was not found" in info.value.message_en


def test_missing_soffice_from_environment(monkeypatch):
    monkeypatch.setenv("EXTRABAT_SOFFICE", "/nonexistent/lo")
    with pytest.raises(ConversionError) as info:
        find_soffice()
    assert info.value.code == "soffice_missing"
    assert "EXTRABAT_SOFFICE" in info.value.message_en


def test_missing_soffice_on_path(monkeypatch, tmp_path):
    monkeypatch.delenv("EXTRABAT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"x", "odt")
    assert "soffice, libreoffice" in info.value.message_en


def test_environment_variable_is_used(monkeypatch, tmp_path):
    script = _script(
        tmp_path,
        'for a; do last="$a"; done\n'
        'out=$(dirname "$last")/out/document.pdf\nprintf "%%PDF-1.4 fake" > "$out"\n',
    )
    monkeypatch.setenv("EXTRABAT_SOFFICE", script)
    assert convert_to_pdf(b"doc", "docx") == b"%PDF-1.4 fake"


def test_each_conversion_gets_its_own_profile_and_the_expected_arguments(tmp_path):
    log = tmp_path / "args"
    script = _script(
        tmp_path,
        f'echo "$@" >> {log}\n'
        'for a; do last="$a"; done\n'
        'printf "%%PDF-1.4" > "$(dirname "$last")/out/document.pdf"\n',
    )
    convert_to_pdf(b"doc", "docx", soffice=script)
    convert_to_pdf(b"doc", "odt", soffice=script)
    first, second = log.read_text().splitlines()
    for line, fmt in ((first, "docx"), (second, "odt")):
        args = line.split()
        assert args[:3] == ["--headless", "--norestore", "--nolockcheck"]
        assert args[-1].endswith(f"/document.{fmt}")
        assert "--convert-to" in args and "pdf" in args
    profiles = [
        next(a for a in line.split() if a.startswith("-env:UserInstallation=file:///"))
        for line in (first, second)
    ]
    assert profiles[0] != profiles[1]
    # The temporary folder is removed afterwards.
    folder = profiles[0].split("file://", 1)[1].rsplit("/", 1)[0]
    assert not os.path.exists(folder)


def test_timeout_kills_the_whole_process_group(tmp_path):
    pidfile = tmp_path / "pid"
    script = _script(tmp_path, f"sleep 60 &\necho $! > {pidfile}\nwait\n")
    started = time.monotonic()
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"doc", "docx", soffice=script, timeout=1)
    assert time.monotonic() - started < 10
    assert info.value.code == "timeout"
    assert "within 1 seconds" in info.value.message_en
    assert info.value.params["timeout"] == "1"
    child = int(pidfile.read_text())
    for _attempt in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the child of soffice survived the timeout")


def test_failure_reports_the_exit_status_and_last_error_line(tmp_path):
    script = _script(
        tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 3\n"
    )
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"doc", "docx", soffice=script)
    assert info.value.code == "failed"
    assert "exit status 3" in info.value.message_en
    assert "source file could not be loaded" in info.value.message_en


def test_no_output_is_an_error(tmp_path):
    script = _script(tmp_path, "exit 0\n")
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"doc", "odt", soffice=script)
    assert info.value.code == "no_output"
    assert "no PDF file" in info.value.message_en


def test_output_that_is_not_a_pdf_is_an_error(tmp_path):
    script = _script(
        tmp_path,
        'for a; do last="$a"; done\necho nope > '
        '"$(dirname "$last")/out/document.pdf"\n',
    )
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"doc", "odt", soffice=script)
    assert info.value.code == "no_output"


def test_unknown_format_is_refused():
    with pytest.raises(ConversionError) as info:
        convert_to_pdf(b"doc", "doc")
    assert info.value.code == "bad_format"
    assert isinstance(info.value, RuntimeError)
