#!/usr/bin/env python3
"""Build the demo letter templates of ``extrabat_letters`` (and its test
fixtures) with the test suite's Word/LibreOffice builders.

Writes:

* ``extrabat_letters/demo/courrier_relance_devis.docx``: a Word letter with
  the logo, the client's address block, markers split across runs as Word
  saves them, and a signature block (``[data.signature_client]``);
* ``extrabat_letters/demo/courrier_rendez_vous.odt``: a LibreOffice letter
  with markers split across spans and no signature marker (the signature is
  added after the last paragraph);
* ``extrabat_letters/tests/fixtures/marqueurs_inconnus.docx``: a template
  with an unknown marker and a malformed one.

Usage: ``python3 tools/gen_letter_demo.py`` (re-run after changing it; the
output is committed).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.docengine import docfixtures as fx

ADDON = ROOT / "extrabat_letters"


def _w(*items, **kw):
    return fx.para(*items, **kw)


def relance_devis_docx() -> bytes:
    """The Word demo letter: a quote follow-up."""
    body = [
        _w(fx.run("[data.logo_societe]")),
        _w(fx.run("[data.nom_societe]", bold=True)),
        _w(fx.run("[data.adresse_societe]")),
        _w(fx.run("Tél. [data.telephone_societe] – [data.email_societe]")),
        _w(fx.run("")),
        _w(fx.word_split("nom_prenom_client"), align="right"),
        _w(fx.run("[data.societe_client]"), align="right"),
        _w(fx.word_split("adresse_client"), align="right"),
        _w(fx.run("")),
        _w(fx.run("Le "), fx.word_split("date_du_jour"), align="right"),
        _w(fx.run("Réf. client : [data.code_client]")),
        _w(fx.run("Objet : votre projet", bold=True)),
        _w(fx.run("")),
        # "Madame, Monsieur" rather than [data.civilite_client]: a company or a
        # client without a civility would get a lone "," and ", ,".
        _w(fx.run("Madame, Monsieur"), fx.run(","),),
        _w(fx.run(
            "Nous revenons vers vous au sujet du devis que nous vous avons "
            "adressé. Nous restons à votre disposition pour en parler et, si "
            "vous le souhaitez, pour planifier les travaux."
        )),
        _w(fx.run(
            "Votre interlocuteur, [data.suivi_par], est joignable au "
            "[data.telephone_utilisateur] ou par e-mail à [data.email_utilisateur]."
        )),
        _w(fx.run(
            "Veuillez agréer, Madame, Monsieur, l'expression de nos "
            "salutations distinguées."
        )),
        _w(fx.run("")),
        _w(fx.run("Bon pour accord, le [data.date_signature]")),
        _w(fx.run("[data.signature_client]")),
        _w(fx.run("")),
        _w(fx.run(
            "[data.nom_societe] – SIRET [data.siret_societe] – TVA [data.tva_societe]",
            size=16,
        ), align="center"),
    ]  # fmt: skip
    return fx.simple_docx(*body)


def rendez_vous_odt() -> bytes:
    """The LibreOffice demo letter: an appointment confirmation."""
    paragraphs = [
        fx.opara(fx.span("[data.nom_societe]", "T2")),
        fx.opara(fx.span("[data.adresse_societe]")),
        fx.opara(""),
        fx.opara(fx.lo_split("nom_prenom_client")),
        fx.opara(fx.span("[data.rue_client]")),
        fx.opara(fx.span("[data.code_postal_client] [data.ville_client]")),
        fx.opara(fx.span("[data.pays_client]")),
        fx.opara(""),
        fx.opara(fx.span("Le "), fx.lo_split("date_du_jour")),
        fx.opara(""),
        fx.opara(fx.span("Madame, Monsieur,")),
        fx.opara(fx.span(
            "Nous vous confirmons notre rendez-vous pour la visite technique "
            "de votre installation. [data.suivi_par] vous contactera au "
            "[data.telephone_client] la veille de son passage."
        )),
        fx.opara(fx.span("Cordialement,")),
        fx.opara(fx.lo_split("suivi_par")),
    ]  # fmt: skip
    return fx.simple_odt(*paragraphs)


def unknown_markers_docx() -> bytes:
    """A test fixture: one unknown marker, one malformed one."""
    return fx.simple_docx(
        _w(fx.run("Bonjour [data.nom_client],")),
        _w(fx.run("Montant : [data.montant_ht]")),
        _w(fx.run("Ville : [data.ville client]")),
    )


def main() -> int:
    outputs = {
        ADDON / "demo" / "courrier_relance_devis.docx": relance_devis_docx(),
        ADDON / "demo" / "courrier_rendez_vous.odt": rendez_vous_odt(),
        ADDON
        / "tests"
        / "fixtures"
        / "marqueurs_inconnus.docx": unknown_markers_docx(),
    }
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
