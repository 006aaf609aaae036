"""The letter marker catalogue (framework-free)."""

import doctest

import pytest

from extrabat_core import letter_markers as lm

EXTRABAT_NAMES = [
    "nom_prenom_client", "civilite_client", "nom_client", "prenom_client",
    "societe_client", "adresse_client", "rue_client", "code_postal_client",
    "ville_client", "pays_client", "telephone_client", "mobile_client",
    "email_client", "code_client", "statut_client", "date_du_jour", "suivi_par",
    "email_utilisateur", "telephone_utilisateur", "nom_societe",
    "adresse_societe", "telephone_societe", "email_societe", "siret_societe",
    "tva_societe", "logo_societe", "signature_client", "date_signature",
]  # fmt: skip


def test_doctests():
    result = doctest.testmod(lm)
    assert result.attempted > 5
    assert result.failed == 0


def test_catalogue_has_extrabat_names():
    assert set(EXTRABAT_NAMES) <= set(lm.MARKERS)
    assert len(lm.MARKERS) == len(lm.CATALOGUE)  # no duplicate names


def test_every_marker_is_documented():
    for marker in lm.CATALOGUE:
        assert marker.group in lm.GROUPS
        assert marker.kind in lm.KINDS
        assert marker.label_en


def test_images():
    assert lm.IMAGE_MARKERS == {"logo_societe", "signature_client"}


def test_question_markers():
    assert lm.question_marker("surface") == "question_surface"
    with pytest.raises(ValueError):
        lm.question_marker("Surface habitable")
    assert lm.unknown_names(
        ["question_surface", "question_age", "nom_client"], ["surface"]
    ) == ["question_age"]


def test_unknown_names_keeps_order_without_duplicates():
    assert lm.unknown_names(["zz", "nom_client", "aa", "zz"]) == ["zz", "aa"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jean Dupont", ("Jean", "Dupont")),
        ("Jean-Pierre de la Fontaine", ("Jean-Pierre de la", "Fontaine")),
        ("DUPONT Jean", ("Jean", "DUPONT")),
        ("LE GALL Marie Anne", ("Marie Anne", "LE GALL")),
        ("", ("", "")),
        ("  Dupont  ", ("", "Dupont")),
    ],
)
def test_split_person_name(name, expected):
    assert lm.split_person_name(name) == expected


def test_address_block_skips_empty_lines():
    assert (
        lm.format_address_block(["12  rue des Lilas", None, "  ", "69100 Lyon"])
        == "12 rue des Lilas\n69100 Lyon"
    )
    assert lm.format_city_line("69100", None) == "69100"


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("06 12 34 56 78", True),
        ("07.12.34.56.78", True),
        ("+33 6 12 34 56 78", True),
        ("0033612345678", True),
        ("04 72 00 00 00", False),
        ("+1 555-555-5556", False),
        (None, False),
    ],
)
def test_is_mobile_number(number, mobile):
    assert lm.is_mobile_number(number) is mobile


def test_catalogue_rows_are_in_english():
    rows = {row["name"]: row for row in lm.catalogue_rows()}
    assert rows["suivi_par"]["group_label"] == "Salesperson"
    assert rows["suivi_par"]["tag"] == "[data.suivi_par]"
    assert rows["suivi_par"]["label"] == "Salesperson following the client"
