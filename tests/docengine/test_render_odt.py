"""Rendering LibreOffice templates: values in place, formatting and structure kept."""

import io
import zipfile

import pytest

from extrabat_core.docengine import ImageValue, list_markers, render

from . import docfixtures as fx
from .dochelpers import NS, TEXT, names, odt_paragraph_texts, part

VALUES = {name: f"V-{name}" for name, _c, _l in fx.ODT_EXPECTED}


def _texts(data, name="content.xml"):
    return odt_paragraph_texts(part(data, name))


def _holder(root, text):
    """The element whose own text (or whose parent's, for a tail) holds ``text``."""
    for element in root.iter():
        if element.text and text in element.text:
            return element
        if element.tail and text in element.tail:
            return element.getparent()
    raise AssertionError(f"{text!r} not found")


def test_every_marker_is_replaced_everywhere(odt_template):
    out = render(odt_template, VALUES)
    assert list_markers(out).names == []
    content = _texts(out)
    styles = _texts(out, "styles.xml")
    assert "Objet : V-civilite_client V-nom_client" in content
    assert "Bonjour V-prenom_client," in content
    assert "Le V-date_du_jour à V-ville_client, suite à" in content
    assert "Courriel : V-email_client" in content
    assert "Suivi par V-suivi_par" in content
    assert "SIRET V-siret_societe" in content
    assert "TVA V-tva_societe" in content
    assert "Statut : V-statut_client" in content
    assert " V-nom_societe" in styles
    assert "Page paire V-telephone_societe" in styles
    assert "Première page V-adresse_societe" in styles
    assert "V-nom_societe" in styles


def test_output_keeps_mimetype_first_and_stored(odt_template):
    out = render(odt_template, VALUES)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert archive.testzip() is None
    assert out[30:38] == b"mimetype"


def test_value_takes_the_style_of_the_first_character(odt_template):
    content = part(render(odt_template, VALUES), "content.xml")
    bold = _holder(content, "V-civilite_client")
    assert bold.tag == f"{{{TEXT}}}span"
    assert bold.get(f"{{{TEXT}}}style-name") == "T1"
    split = _holder(content, "V-nom_client")
    assert split.get(f"{{{TEXT}}}style-name") == "T2"
    # The span that held only the middle of the marker is gone.
    assert "T3" not in [
        s.get(f"{{{TEXT}}}style-name")
        for s in split.getparent().iter(f"{{{TEXT}}}span")
    ]


def test_bookmarks_and_soft_page_breaks_inside_a_marker_survive(odt_template):
    content = part(render(odt_template, VALUES), "content.xml")
    paragraph = _holder(content, "V-prenom_client").getparent()
    tags = [c.tag.split("}")[1] for c in paragraph]
    assert tags.count("bookmark-start") == 1
    assert tags.count("bookmark-end") == 1
    assert tags.count("soft-page-break") == 1


def test_fields_frames_notes_and_tracked_changes_survive(odt_template):
    content = part(render(odt_template, VALUES), "content.xml")
    assert content.find(".//text:date", NS).text == "06/01/2025"
    assert content.find(".//text:page-number", NS) is not None
    assert content.find(".//draw:frame/draw:text-box", NS) is not None
    assert len(content.findall(".//text:note", NS)) == 2
    deleted = content.find(".//text:tracked-changes//text:p", NS)
    assert deleted.text == "[data.supprime]"


def test_line_breaks_tabs_and_repeated_spaces():
    data = fx.simple_odt(fx.opara("A", fx.span("[data.x]", "T1"), "B"))
    out = render(data, {"x": " 12  rue\tdes Lilas\n69003   Lyon "})
    assert _texts(out) == ["A 12  rue\tdes Lilas\n69003   Lyon B"]
    span = part(out, "content.xml").find(".//text:span", NS)
    assert [c.tag.split("}")[1] for c in span] == [
        "s", "s", "tab", "line-break", "s", "s",
    ]  # fmt: skip


def test_xml_special_characters_are_escaped():
    data = fx.simple_odt(fx.opara("[data.x]"))
    out = render(data, {"x": "<text:p>&amp; ]]>"})
    assert _texts(out) == ["<text:p>&amp; ]]>"]


@pytest.mark.parametrize(
    ("unknown", "expected"), [("keep", "[data.inconnu]"), ("empty", "")]
)
def test_unknown_markers(unknown, expected):
    data = fx.simple_odt(fx.opara("A ", fx.lo_split("inconnu"), " B"))
    assert _texts(render(data, {}, unknown=unknown)) == [f"A {expected} B"]


def test_image_value_in_body_and_header(odt_template):
    out = render(
        odt_template,
        {
            "civilite_client": ImageValue(fx.png(300, 100), width_mm=45),
            "nom_societe": ImageValue(fx.jpeg(80, 160), height_mm=20),
        },
    )
    frame = part(out, "content.xml").find(".//text:span/draw:frame", NS)
    assert frame.get(f"{{{NS['svg']}}}width") == "45.00mm"
    assert frame.get(f"{{{NS['svg']}}}height") == "15.00mm"
    assert frame.get(f"{{{TEXT}}}anchor-type") == "as-char"
    href = frame.find("draw:image", NS).get(f"{{{NS['xlink']}}}href")
    assert href == "Pictures/extrabat_image1.png"
    header_frames = part(out, "styles.xml").findall(".//draw:frame", NS)
    assert len(header_frames) == 3  # the template's logo + header + footer-first
    assert header_frames[1].get(f"{{{NS['svg']}}}width") == "10.00mm"
    manifest = part(out, "META-INF/manifest.xml")
    types = {
        e.get(f"{{{NS['manifest']}}}full-path"): e.get(
            f"{{{NS['manifest']}}}media-type"
        )
        for e in manifest
    }
    assert types["Pictures/extrabat_image1.png"] == "image/png"
    assert types["Pictures/extrabat_image2.jpeg"] == "image/jpeg"
    assert {"Pictures/extrabat_image1.png", "Pictures/extrabat_image2.jpeg"} <= set(
        names(out)
    )


def test_append_adds_paragraphs_at_the_end_of_the_text():
    data = fx.simple_odt(fx.opara("Corps"))
    out = render(data, {}, append=["Signé", ImageValue(fx.png(), 30)])
    text = part(out, "content.xml").find(".//office:text", NS)
    assert [c.tag.split("}")[1] for c in text][-3:] == ["p", "p", "p"]
    assert _texts(out)[-2] == "Signé"
    assert text[-1].find("draw:frame", NS) is not None


def test_ott_template_renders_an_odt():
    data = fx.odt_package(
        fx.odt_content(fx.opara("[data.x]")),
        mimetype="application/vnd.oasis.opendocument.text-template",
    )
    out = render(data, {"x": "ok"})
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    root = part(out, "META-INF/manifest.xml")
    assert root[0].get(f"{{{NS['manifest']}}}media-type") == (
        "application/vnd.oasis.opendocument.text"
    )
    assert _texts(out) == ["ok"]


def test_rendering_is_deterministic(odt_template):
    assert render(odt_template, VALUES) == render(odt_template, VALUES)
