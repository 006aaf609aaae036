"""``python -m extrabat_core markers|render``."""

import json
import os
import subprocess
import sys

import pytest

from extrabat_core.docengine import list_markers
from extrabat_core.docengine.cli import main

from . import docfixtures as fx
from .dochelpers import ROOT, docx_paragraph_texts, part, pdf_text


def _module(*args, env=None):
    """Run ``python -m extrabat_core`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "extrabat_core", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "LANG": "C", **(env or {})},
    )


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "lettre.docx"
    path.write_bytes(
        fx.simple_docx(
            fx.para(fx.run("Bonjour "), fx.word_split("nom_client"), fx.run(",")),
            fx.para(fx.run("[data.adresse_client] [data.logo] [data.nom_client]")),
        )
    )
    return path


def test_markers_prints_one_name_per_line(template):
    proc = _module("markers", template)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "nom_client\nadresse_client\nlogo\n"


def test_markers_json(template, capsys):
    assert main(["markers", str(template), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["markers"][0] == {
        "name": "nom_client",
        "count": 2,
        "locations": ["body"],
    }


def test_render_docx(template, tmp_path):
    values = tmp_path / "values.json"
    (tmp_path / "logo.png").write_bytes(fx.png())
    values.write_text(
        json.dumps(
            {
                "nom_client": "Dupont",
                "adresse_client": "1 rue A\n69000 Lyon",
                "logo": {"image": "logo.png", "width_mm": 30},
            }
        )
    )
    output = tmp_path / "out.docx"
    proc = _module("render", template, values, output)
    assert proc.returncode == 0, proc.stderr
    data = output.read_bytes()
    assert list_markers(data).names == []
    texts = docx_paragraph_texts(part(data, "word/document.xml"))
    assert texts == ["Bonjour Dupont,", "1 rue A\n69000 Lyon  Dupont"]


def test_render_unknown_empty_numbers_and_null(template, tmp_path, capsys):
    values = tmp_path / "values.json"
    values.write_text('{"nom_client": 42, "adresse_client": null}')
    output = tmp_path / "out.docx"
    assert (
        main(["render", str(template), str(values), str(output), "--unknown", "empty"])
        == 0
    )
    texts = docx_paragraph_texts(part(output.read_bytes(), "word/document.xml"))
    assert texts == ["Bonjour 42,", "  42"]


@pytest.mark.libreoffice
def test_render_to_pdf(template, tmp_path):
    values = tmp_path / "values.json"
    values.write_text('{"nom_client": "Dupont", "adresse_client": "Lyon", "logo": ""}')
    output = tmp_path / "out.pdf"
    proc = _module("render", template, values, output)
    assert proc.returncode == 0, proc.stderr
    assert "Bonjour Dupont," in pdf_text(output.read_bytes())


def _error(args, tmp_path, lang="C"):
    proc = _module(*args, env={"LANG": lang})
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_error_missing_template(tmp_path):
    line = _error(["markers", tmp_path / "nope.docx"], tmp_path)
    assert line.startswith("error: cannot read") and "No such file" in line


def test_error_not_a_template_in_english_whatever_the_locale(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"%PDF-1.4")
    line = _error(["markers", bad], tmp_path, lang="fr_FR.UTF-8")
    assert line == (
        "error: This file is not a Word (.docx) or LibreOffice (.odt) document "
        "(it is a PDF file)."
    )


def test_error_odt_named_docx(tmp_path):
    bad = tmp_path / "lettre.docx"
    bad.write_bytes(fx.simple_odt(fx.opara("[data.x]")))
    line = _error(["markers", bad], tmp_path)
    assert line.startswith("error: The file lettre.docx is not what its name says")


def test_error_usage(tmp_path):
    assert "required" in _error([], tmp_path)
    assert "invalid choice" in _error(["frobnicate"], tmp_path)


def test_error_bad_json(template, tmp_path):
    values = tmp_path / "values.json"
    values.write_text("{nope")
    line = _error(["render", template, values, tmp_path / "o.docx"], tmp_path)
    assert "is not valid JSON" in line


def test_error_json_not_an_object(template, tmp_path):
    values = tmp_path / "values.json"
    values.write_text("[1, 2]")
    assert "JSON object" in _error(
        ["render", template, values, tmp_path / "o.docx"], tmp_path
    )


def test_error_bad_value_type(template, tmp_path):
    values = tmp_path / "values.json"
    values.write_text('{"nom_client": [1]}')
    assert "nom_client" in _error(
        ["render", template, values, tmp_path / "o.docx"], tmp_path
    )


def test_error_output_extension_mismatch(template, tmp_path):
    values = tmp_path / "values.json"
    values.write_text("{}")
    line = _error(["render", template, values, tmp_path / "o.odt"], tmp_path)
    assert ".docx or .pdf" in line
    assert not (tmp_path / "o.odt").exists()


def test_error_bad_image_value(template, tmp_path):
    values = tmp_path / "values.json"
    (tmp_path / "logo.png").write_bytes(b"not a png")
    values.write_text('{"logo": {"image": "logo.png"}}')
    line = _error(["render", template, values, tmp_path / "o.docx"], tmp_path)
    assert "[data.logo]" in line
