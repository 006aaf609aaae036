"""Outputs open in LibreOffice, formatting survives, LibreOffice's own files work.

Marked ``libreoffice``: skipped (and listed as skipped) without LibreOffice
or poppler-utils.
"""

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from extrabat_core.docengine import (
    ImageValue,
    convert_to_pdf,
    find_soffice,
    list_markers,
    render,
)

from . import docfixtures as fx
from .dochelpers import pdf_fonts, pdf_text

pytestmark = pytest.mark.libreoffice

VALUES = {
    "civilite_client": "Monsieur",
    "nom_client": "Dupont & Fils",
    "prenom_client": "Jean",
    "date_du_jour": "6 janvier 2025",
    "ville_client": "Villeurbanne",
    "email_client": "jean.dupont@example.fr",
    "code_client": "C00042",
    "adresse_client": "12 rue des Lilas\n69100 Villeurbanne",
    "telephone_client": "0478",
    "suivi_par": "Paul Martin",
    "mobile_client": "0612345678",
    "pays_client": "France",
    "statut_client": "Client",
    "société": "Société Générale",
    "code_postal_client": "69100",
    "nom_societe": "Chauffage Martin SARL",
    "adresse_societe": "3 place Bellecour, Lyon",
    "telephone_societe": "0472000000",
    "email_societe": "contact@martin.fr",
    "siret_societe": "12345678900012",
    "tva_societe": "FR12345678901",
}


def _convert_with_soffice(data: bytes, source_ext: str, target_ext: str) -> bytes:
    """What LibreOffice writes when a user saves the template in another format."""
    workdir = Path(tempfile.mkdtemp(prefix="extrabat-test-"))
    try:
        source = workdir / f"template.{source_ext}"
        source.write_bytes(data)
        subprocess.run(
            [
                find_soffice(), "--headless", "--norestore",
                f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
                "--convert-to", target_ext,
                "--outdir", str(workdir / "out"), str(source),
            ],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (workdir / "out" / f"template.{target_ext}").read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _in_parallel(jobs):
    """Run ``{key: callable}`` in threads (each conversion has its own
    profile, so LibreOffice instances run side by side); return the results."""
    results, errors = {}, {}

    def run(key, job):
        try:
            results[key] = job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors[key] = exc

    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise next(iter(errors.values()))
    return results


@pytest.fixture(scope="module")
def saved_by_libreoffice():
    """Our templates saved in the other format by LibreOffice itself."""
    return _in_parallel(
        {
            "docx": lambda: _convert_with_soffice(fx.odt_kitchen_sink(), "odt", "docx"),
            "odt": lambda: _convert_with_soffice(fx.word_kitchen_sink(), "docx", "odt"),
        }
    )


APPENDED = [ImageValue(fx.png(300, 100), width_mm=40), ImageValue(fx.jpeg(80, 160), 20)]


@pytest.fixture(scope="module")
def filled_pdfs():
    """Both kitchen sinks filled (with pictures appended), converted in parallel."""
    word = render(fx.word_kitchen_sink(), VALUES, append=APPENDED)
    odt = render(fx.odt_kitchen_sink(), VALUES, append=APPENDED)
    return _in_parallel(
        {
            "docx": lambda: convert_to_pdf(word, "docx"),
            "odt": lambda: convert_to_pdf(odt, "odt"),
        }
    )


def _flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_filled_template_opens_in_libreoffice(filled_pdfs, fmt):
    text = _flat(pdf_text(filled_pdfs[fmt]))
    assert "Objet : Monsieur Dupont & Fils" in text
    assert "Bonjour Jean," in text
    assert "Le 6 janvier 2025 à Villeurbanne" in text
    assert "12 rue des Lilas 69100 Villeurbanne" in text
    assert "Suivi par Paul Martin" in text
    assert "SIRET 12345678900012" in text
    assert "3 place Bellecour, Lyon" in text  # first-page header
    assert "jean.dupont@example.fr" in text
    assert "[data.nom_client]" not in text


def _images(pdf, tmp_path):
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [(int(line.split()[3]), int(line.split()[4])) for line in listing]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_pictures_are_in_the_pdf(filled_pdfs, fmt, tmp_path):
    images = _images(filled_pdfs[fmt], tmp_path)
    assert (300, 100) in images
    assert (80, 160) in images


def test_conversions_run_in_parallel(filled_pdfs):
    # filled_pdfs converted both documents at the same time, each with its
    # own LibreOffice profile.
    assert sorted(filled_pdfs) == ["docx", "odt"]
    assert all(pdf.startswith(b"%PDF") for pdf in filled_pdfs.values())


def _bold_fonts(pdf, tmp_path):
    return [line for line in pdf_fonts(pdf, tmp_path).splitlines() if "Bold" in line]


def test_formatting_of_the_first_character_survives_in_the_pdf(tmp_path):
    bold_first = fx.simple_docx(
        fx.para(fx.run("Madame "), fx.run("[da", bold=True), fx.run("ta.nom]"))
    )
    # Control: bold on a later character does not make the value bold.
    bold_later = fx.simple_docx(
        fx.para(fx.run("Madame "), fx.run("[da"), fx.run("ta.nom]", bold=True))
    )
    odt_bold_first = fx.simple_odt(fx.opara("Madame ", fx.span("[da", "T1"), "ta.nom]"))
    pdfs = _in_parallel(
        {
            "first": lambda: convert_to_pdf(
                render(bold_first, {"nom": "Durand"}), "docx"
            ),
            "later": lambda: convert_to_pdf(
                render(bold_later, {"nom": "Durand"}), "docx"
            ),
            "odt": lambda: convert_to_pdf(
                render(odt_bold_first, {"nom": "Durand"}), "odt"
            ),
        }
    )
    for pdf in pdfs.values():
        assert "Madame Durand" in pdf_text(pdf)
    assert _bold_fonts(pdfs["first"], tmp_path)
    assert not _bold_fonts(pdfs["later"], tmp_path)
    assert _bold_fonts(pdfs["odt"], tmp_path)


def test_templates_saved_by_libreoffice(saved_by_libreoffice):
    lo_docx, lo_odt = saved_by_libreoffice["docx"], saved_by_libreoffice["odt"]
    assert set(list_markers(lo_docx).names) == {n for n, _c, _l in fx.ODT_EXPECTED}
    assert set(list_markers(lo_odt).names) == {n for n, _c, _l in fx.WORD_EXPECTED}
    pdfs = _in_parallel(
        {
            "docx": lambda: convert_to_pdf(render(lo_docx, VALUES), "docx"),
            "odt": lambda: convert_to_pdf(render(lo_odt, VALUES), "odt"),
        }
    )
    for fmt, pdf in pdfs.items():
        text = _flat(pdf_text(pdf))
        assert "Objet : Monsieur Dupont & Fils" in text, fmt
        assert "Bonjour Jean," in text, fmt
        assert "Suivi par Paul Martin" in text, fmt
        assert "Société Générale" in text, fmt
        assert "[data.nom_client]" not in text, fmt
    assert "Statut : Client" in _flat(pdf_text(pdfs["docx"]))
    assert "Mobile : 0612345678" in _flat(pdf_text(pdfs["odt"]))
