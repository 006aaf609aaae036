"""Listing markers: names, counts and locations, wherever a user types them."""

import unicodedata

import pytest

from extrabat_core.docengine import (
    MARKER_RE,
    Template,
    detect_format,
    list_markers,
    load_template,
)

from . import docfixtures as fx


def _triples(report):
    return [(m.name, m.count, m.locations) for m in report.markers]


def test_word_markers_everywhere(word_template):
    report = list_markers(word_template)
    assert report.format == "docx"
    assert _triples(report) == fx.WORD_EXPECTED


def test_odt_markers_everywhere(odt_template):
    report = list_markers(odt_template)
    assert report.format == "odt"
    assert _triples(report) == fx.ODT_EXPECTED


def test_names_in_order_of_first_appearance(word_template):
    report = list_markers(word_template)
    assert report.names == [name for name, _c, _l in fx.WORD_EXPECTED]


@pytest.mark.parametrize("template", ["word_template", "odt_template"])
def test_text_that_only_looks_like_a_marker_is_reported_as_malformed(template, request):
    report = list_markers(request.getfixturevalue(template))
    # Split over two paragraphs, and cut by a tab: not markers.
    assert "[data.no" in report.malformed
    assert "[data.ta…b]" in report.malformed
    assert "no" not in report.names
    assert "nope" not in report.names
    assert "tab" not in report.names


def test_markers_never_span_paragraphs():
    data = fx.simple_docx(fx.para(fx.run("[data.nom")), fx.para(fx.run("_client]")))
    assert list_markers(data).names == []


def test_text_box_is_counted_once_despite_its_vml_fallback(word_template):
    report = list_markers(word_template)
    suivi = next(m for m in report.markers if m.name == "suivi_par")
    assert suivi.count == 1


def test_deleted_text_is_transparent_and_inserted_text_counts(word_template):
    report = list_markers(word_template)
    # "[data." + <w:ins>"mobile_client]"</w:ins>
    # "[data.pays" + <w:del>"xx"</w:del> + "_client]"
    assert "mobile_client" in report.names
    assert "pays_client" in report.names


def test_odt_tracked_deletions_and_comments_are_ignored(odt_template):
    names = list_markers(odt_template).names
    assert "supprime" not in names
    assert "commentaire" not in names


def test_unknown_lists_names_without_a_value(word_template):
    report = list_markers(word_template)
    known = [name for name, _c, _l in fx.WORD_EXPECTED if name != "suivi_par"]
    assert report.unknown(known) == ["suivi_par"]
    assert report.unknown([f"data.{name}" for name in known]) == ["suivi_par"]


def test_report_as_dict_is_json_ready(odt_template):
    as_dict = list_markers(odt_template).as_dict()
    assert as_dict["format"] == "odt"
    assert as_dict["markers"][0] == {
        "name": "civilite_client",
        "count": 1,
        "locations": ["body"],
    }


def test_report_is_a_copy_callers_may_change(word_template):
    list_markers(word_template).markers[0].locations.append("changed")
    list_markers(word_template).markers.clear()
    assert _triples(list_markers(word_template)) == fx.WORD_EXPECTED


def test_decomposed_accents_match_and_are_normalised():
    nfd = unicodedata.normalize("NFD", "[data.société]")
    assert nfd != "[data.société]"
    report = list_markers(fx.simple_docx(fx.para(fx.run(nfd))))
    assert report.names == ["société"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[data.nom_client]", ["nom_client"]),
        ("[data.Nom2]", ["Nom2"]),
        ("[data.prénom]", ["prénom"]),
        ("[[data.a]]", ["a"]),
        ("[data.a][data.b]", ["a", "b"]),
        ("[data.]", []),
        ("[data.nom client]", []),
        ("[data.nom-client]", []),
        ("[Data.nom]", []),
        ("{{ nom }}", []),
        ("[data.nom", []),
    ],
)
def test_marker_syntax(text, names):
    assert [m.group(1) for m in MARKER_RE.finditer(text)] == names


def test_detect_format(word_template, odt_template, tmp_path):
    assert detect_format(word_template) == "docx"
    path = tmp_path / "lettre.odt"
    path.write_bytes(odt_template)
    assert detect_format(path) == "odt"
    assert detect_format(str(path)) == "odt"
    with path.open("rb") as handle:
        assert detect_format(handle) == "odt"


def test_load_template_accepts_a_compiled_template(word_template):
    compiled = load_template(word_template)
    assert isinstance(compiled, Template)
    assert load_template(compiled) is compiled
    assert list_markers(compiled).names == compiled.names


def test_template_given_as_text_file_is_a_type_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("x")
    with path.open() as handle, pytest.raises(TypeError):
        list_markers(handle)
    with pytest.raises(TypeError):
        list_markers(12)
