"""A template must be what its file name says (``wrong_format``)."""

import io
import zipfile

import pytest

from extrabat_core.docengine import (
    TemplateError,
    check_declared_format,
    detect_format,
    list_markers,
    load_template,
    render,
)

from . import docfixtures as fx


def _wrong(call):
    with pytest.raises(TemplateError) as info:
        call()
    assert info.value.code == "wrong_format", info.value.message_en
    return info.value


def test_odt_renamed_docx_is_refused(odt_template):
    error = _wrong(lambda: list_markers(odt_template, filename="lettre.docx"))
    assert "lettre.docx" in error.message_en
    assert "LibreOffice Writer document (.odt)" in error.message_en
    assert error.params["detail_code"] == "is_odt"
    assert error.params["declared"] == "docx" and error.params["actual"] == "odt"


def test_docx_renamed_odt_is_refused(word_template):
    error = _wrong(lambda: render(word_template, {}, filename="Courrier.ODT"))
    assert "Word document (.docx)" in error.message_en


@pytest.mark.parametrize("name", ["lettre.pdf", "lettre.doc", "lettre.rtf"])
def test_document_named_as_another_document_type_is_refused(word_template, name):
    _wrong(lambda: detect_format(word_template, filename=name))


def test_zip_that_is_neither_named_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = _wrong(lambda: list_markers(out.getvalue(), filename="lettre.docx"))
    assert "not a .docx document" in error.message_en
    assert "readme.txt" in error.message_en
    assert error.params["detail_code"] == "not_extension"
    assert error.params["found_code"] == "zip_holding"
    assert error.params["extension"] == "docx"


def test_spreadsheet_named_odt_is_refused():
    data = fx.odt_package(
        fx.odt_content(""), mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    error = _wrong(lambda: list_markers(data, filename="modele.odt"))
    assert "spreadsheet" in error.message_en


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("lettre.docx", "docx"), ("MODELE.DOTX", "docx"), ("lettre.odt", "odt"),
     ("lettre.ott", "odt"), ("lettre", None), ("upload.tmp", None), (None, None),
     (".docx", None)],
)  # fmt: skip
def test_matching_or_silent_names_are_accepted(word_template, odt_template, name, fmt):
    for data, actual in ((word_template, "docx"), (odt_template, "odt")):
        if fmt not in (None, actual):
            continue
        assert detect_format(data, filename=name) == actual


def test_path_gives_the_declared_name(tmp_path, odt_template):
    path = tmp_path / "lettre.docx"
    path.write_bytes(odt_template)
    _wrong(lambda: load_template(path))
    _wrong(lambda: load_template(str(path)))
    # An explicit name wins over the path's (a file stored under another name).
    assert load_template(path, filename="lettre.odt").format == "odt"


def test_cached_template_is_still_checked(odt_template):
    template = load_template(odt_template)  # cached, no name
    _wrong(lambda: load_template(odt_template, filename="x.docx"))
    _wrong(lambda: check_declared_format(template, "x.docx"))
    assert check_declared_format(template, "x.odt") is template


def test_other_refusals_keep_their_code():
    with pytest.raises(TemplateError) as info:
        list_markers(b"%PDF-1.7 ...", filename="lettre.docx")
    assert info.value.code == "not_a_zip"
