"""Batch conversion: one LibreOffice call for several documents."""

from unittest import mock

import pytest

from extrabat_core.docengine import ConversionError, convert_many_to_pdf, render
from extrabat_core.docengine import pdf as pdf_module

from . import docfixtures as fx
from .dochelpers import pdf_text


def test_empty_batch_starts_nothing():
    with mock.patch.object(pdf_module, "_run") as run:
        assert convert_many_to_pdf([]) == []
    run.assert_not_called()


def test_bad_format_refused_before_starting():
    with pytest.raises(ConversionError) as info:
        convert_many_to_pdf([(b"x", "doc")])
    assert info.value.code == "bad_format"


def test_missing_soffice():
    with pytest.raises(ConversionError) as info:
        convert_many_to_pdf([(b"x", "docx")], soffice="/nonexistent/soffice")
    assert info.value.code == "soffice_missing"


@pytest.mark.libreoffice
def test_one_call_converts_every_document_in_order():
    template_docx = fx.simple_docx(fx.para(fx.run("Lettre à [data.nom_client]")))
    template_odt = fx.simple_odt(fx.opara(fx.span("Courrier pour [data.nom_client]")))
    documents = [
        (render(template_docx, {"nom_client": "Dupont"}), "docx"),
        (render(template_odt, {"nom_client": "Martin"}), "odt"),
        (render(template_docx, {"nom_client": "Durand"}), "docx"),
    ]
    calls = []
    real_run = pdf_module._run

    def counting_run(command, timeout, workdir):
        calls.append(command)
        return real_run(command, timeout, workdir)

    with mock.patch.object(pdf_module, "_run", counting_run):
        results = convert_many_to_pdf(documents)
    assert len(calls) == 1
    assert any(arg.startswith("-env:UserInstallation=") for arg in calls[0])
    assert [type(result) for result in results] == [bytes, bytes, bytes]
    texts = [pdf_text(result) for result in results]
    assert "Lettre à Dupont" in texts[0]
    assert "Courrier pour Martin" in texts[1]
    assert "Lettre à Durand" in texts[2]


@pytest.mark.libreoffice
def test_unreadable_document_does_not_spoil_the_batch():
    good = render(
        fx.simple_docx(fx.para(fx.run("Bonjour [data.nom_client]"))),
        {"nom_client": "Dupont"},
    )
    results = convert_many_to_pdf([(b"not a document at all", "docx"), (good, "docx")])
    assert "Bonjour Dupont" in pdf_text(results[1])
    # LibreOffice may import garbage as plain text; either it gives a PDF
    # or an error for that document only.
    assert isinstance(results[0], bytes | ConversionError)
