"""Rendering Word templates: values in place, formatting and structure kept."""

import io
import zipfile

import pytest

from extrabat_core.docengine import ImageValue, TemplateError, list_markers, render

from . import docfixtures as fx
from .dochelpers import NS, W, docx_paragraph_texts, names, part

VALUES = {name: f"V-{name}" for name, _c, _l in fx.WORD_EXPECTED}


def _body(data):
    return part(data, "word/document.xml")


def _texts(data, name="word/document.xml"):
    return docx_paragraph_texts(part(data, name))


def _run_of(root, text):
    """The run whose w:t holds ``text``."""
    for t in root.iter(f"{{{W}}}t"):
        if t.text and text in t.text:
            return t.getparent()
    raise AssertionError(f"{text!r} not found")


def test_every_marker_is_replaced_everywhere(word_template):
    out = render(word_template, VALUES)
    assert list_markers(out).names == []
    texts = "\n".join(
        "\n".join(_texts(out, name))
        for name in names(out)
        if name.startswith("word/") and name.endswith(".xml")
    )
    for name, value in VALUES.items():
        assert value in texts, name
    assert "Objet : V-civilite_client V-nom_client" in _texts(out)
    assert "Bonjour V-prenom_client," in _texts(out)
    assert "Le V-date_du_jour à V-ville_client, suite à" in _texts(out)


def test_output_is_a_docx_again(word_template):
    out = render(word_template, VALUES)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert archive.testzip() is None
    assert list_markers(out).format == "docx"


def test_value_takes_the_formatting_of_the_first_character(word_template):
    body = _body(render(word_template, VALUES))
    civilite = _run_of(body, "V-civilite_client")
    assert civilite.find("w:rPr/w:b", NS) is not None
    assert civilite.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "1F3864"
    # "[" was italic (word_split(..., italic=True)): the whole value is.
    nom = _run_of(body, "V-nom_client")
    assert nom.find("w:rPr/w:i", NS) is not None
    # The marker in five runs started bold, then italic, red...: value bold.
    prenom = _run_of(body, "V-prenom_client")
    assert prenom.find("w:rPr/w:b", NS) is not None
    assert prenom.find("w:rPr/w:color", NS) is None


def test_runs_emptied_by_a_marker_are_removed_but_not_other_elements(word_template):
    body = _body(render(word_template, VALUES))
    paragraph = _run_of(body, "V-prenom_client").getparent()
    tags = [child.tag.split("}")[1] for child in paragraph]
    # Bookmarks and grammar marks that were inside the marker stay.
    assert tags.count("bookmarkStart") == 1
    assert tags.count("bookmarkEnd") == 1
    assert tags.count("proofErr") == 2
    # No run is left with only its properties.
    for run in body.iter(f"{{{W}}}r"):
        assert [c for c in run if c.tag != f"{{{W}}}rPr"], "empty run left"


def test_fields_hyperlinks_and_content_controls_survive(word_template):
    body = _body(render(word_template, VALUES))
    assert len(body.findall(".//w:fldSimple", NS)) == 1
    assert len(body.findall(".//w:fldChar", NS)) == 3
    assert body.find(".//w:instrText", NS).text.strip() == "PAGE"
    link = body.find(".//w:hyperlink", NS)
    assert "".join(t.text for t in link.iter(f"{{{W}}}t")) == "V-email_client"
    assert link.get(f"{{{NS['r']}}}id") == "rId20"
    sdt = body.find(".//w:sdt", NS)
    assert "".join(t.text for t in sdt.iter(f"{{{W}}}t")) == "V-statut_client"


def test_text_box_and_its_fallback_are_both_filled(word_template):
    body = _body(render(word_template, VALUES))
    boxes = body.findall(".//w:txbxContent", NS)
    assert len(boxes) == 2
    for box in boxes:
        assert "Suivi par V-suivi_par" in "".join(t.text for t in box.iter(f"{{{W}}}t"))


def test_tracked_changes_are_kept(word_template):
    body = _body(render(word_template, VALUES))
    assert body.find(".//w:del/w:r/w:delText", NS).text == "xx"
    assert "V-mobile_client" not in "".join(
        t.text for t in body.findall(".//w:ins//w:t", NS)
    )


def test_headers_footers_and_notes(word_template):
    out = render(word_template, VALUES)
    assert "V-nom_societe" in "".join(_texts(out, "word/header1.xml"))
    assert _texts(out, "word/header2.xml") == ["Première page : V-adresse_societe"]
    assert _texts(out, "word/header3.xml") == ["Page paire V-telephone_societe"]
    assert _texts(out, "word/footer1.xml")[0].startswith("V-email_societe — ")
    assert _texts(out, "word/footer2.xml") == ["V-nom_societe"]
    assert " SIRET V-siret_societe" in _texts(out, "word/footnotes.xml")
    assert " TVA V-tva_societe" in _texts(out, "word/endnotes.xml")


def test_xml_special_characters_are_escaped():
    data = fx.simple_docx(fx.para(fx.run("A [data.x] B")))
    out = render(data, {"x": '<b>Dupont & Fils</b> "l\'atelier" ]]>'})
    assert _texts(out) == ['A <b>Dupont & Fils</b> "l\'atelier" ]]> B']


def test_line_breaks_and_tabs():
    data = fx.simple_docx(fx.para(fx.run("[data.adresse]", bold=True)))
    out = render(data, {"adresse": "12 rue des Lilas\r\n69003\tLyon\rFrance"})
    assert _texts(out) == ["12 rue des Lilas\n69003\tLyon\nFrance"]
    run = _run_of(_body(out), "12 rue")
    assert [c.tag.split("}")[1] for c in run] == [
        "rPr",
        "t",
        "br",
        "t",
        "tab",
        "t",
        "br",
        "t",
    ]


def test_spaces_around_values_are_preserved():
    data = fx.simple_docx(fx.para(fx.run("Cher [da"), fx.run("ta.nom] ,merci")))
    out = render(data, {"nom": "  Jean  "})
    assert _texts(out) == ["Cher   Jean   ,merci"]
    for t in _body(out).iter(f"{{{W}}}t"):
        assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_control_characters_are_dropped_and_other_types_converted():
    data = fx.simple_docx(fx.para(fx.run("[data.a]|[data.b]|[data.c]")))
    out = render(data, {"a": "x\x00\x07y\ufffe", "b": 42, "c": None})
    assert _texts(out) == ["xy|42|"]


@pytest.mark.parametrize(
    ("unknown", "expected"), [("keep", "[data.inconnu]"), ("empty", "")]
)
def test_unknown_markers(unknown, expected):
    data = fx.simple_docx(fx.para(fx.run("A "), fx.word_split("inconnu"), fx.run(" B")))
    out = render(data, {}, unknown=unknown)
    assert _texts(out) == [f"A {expected} B"]


def test_unknown_mode_is_checked():
    with pytest.raises(ValueError):
        render(fx.simple_docx(fx.para()), {}, unknown="drop")


def test_keys_may_carry_the_data_prefix():
    data = fx.simple_docx(fx.para(fx.run("[data.nom]")))
    assert _texts(render(data, {"data.nom": "Dupont"})) == ["Dupont"]


def test_image_value_in_the_body_keeps_the_aspect_ratio():
    data = fx.simple_docx(fx.para(fx.run("Signé : [data.signature_client]")))
    out = render(data, {"signature_client": ImageValue(fx.png(300, 100), width_mm=45)})
    extent = _body(out).find(".//wp:inline/wp:extent", NS)
    assert int(extent.get("cx")) == 45 * 36000
    assert int(extent.get("cy")) == 15 * 36000
    blip = _body(out).find(".//a:blip", NS)
    rid = blip.get(f"{{{NS['r']}}}embed")
    rels = part(out, "word/_rels/document.xml.rels")
    target = rels.find(f"rel:Relationship[@Id='{rid}']", NS).get("Target")
    assert target == "media/extrabat_image1.png"
    assert "word/media/extrabat_image1.png" in names(out)
    assert _texts(out) == ["Signé : "]


def test_jpeg_image_adds_its_content_type_and_header_rels_are_created(word_template):
    out = render(word_template, {"adresse_societe": fx.jpeg(80, 160)})
    types = part(out, "[Content_Types].xml")
    assert types.find("ct:Default[@Extension='jpeg']", NS).get("ContentType") == (
        "image/jpeg"
    )
    # header2.xml had no relationships part: one is created.
    rels = part(out, "word/_rels/header2.xml.rels")
    assert (
        rels.find("rel:Relationship", NS).get("Target") == "media/extrabat_image1.jpeg"
    )
    extent = part(out, "word/header2.xml").find(".//wp:extent", NS)
    assert int(extent.get("cy")) == 2 * int(extent.get("cx"))


def test_same_image_twice_is_stored_once_with_unique_drawing_ids(word_template):
    logo = ImageValue(fx.png(), width_mm=20)
    out = render(word_template, {"nom_client": logo, "nom_societe": logo})
    media = [n for n in names(out) if n.startswith("word/media/extrabat")]
    assert media == ["word/media/extrabat_image1.png"]
    ids = []
    for name in ("word/document.xml", "word/header1.xml", "word/footer2.xml"):
        ids += [int(d.get("id")) for d in part(out, name).iter(f"{{{NS['wp']}}}docPr")]
    assert len(ids) == len(set(ids))


def test_append_adds_paragraphs_at_the_end_of_the_body():
    data = fx.simple_docx(fx.para(fx.run("Corps")))
    out = render(data, {}, append=["Signé le 06/01/2025", ImageValue(fx.png(), 30)])
    body = _body(out).find("w:body", NS)
    assert [c.tag.split("}")[1] for c in body] == ["p", "p", "p", "sectPr"]
    assert _texts(out)[:2] == ["Corps", "Signé le 06/01/2025"]
    assert body[2].find(".//wp:inline", NS) is not None


def test_template_given_as_dotx_renders_a_docx():
    package = fx.WordPackage(fx.para(fx.run("[data.x]")))
    package.main_type = (
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.template.main+xml"
    )
    out = render(package.build(), {"x": "ok"})
    override = part(out, "[Content_Types].xml").find(
        "ct:Override[@PartName='/word/document.xml']", NS
    )
    assert override.get("ContentType").endswith("document.main+xml")


def test_rendering_is_deterministic_and_leaves_the_template_intact(word_template):
    first = render(word_template, VALUES)
    render(word_template, {"nom_client": "autre"}, unknown="empty")
    assert render(word_template, VALUES) == first
    assert render(word_template, {}) == render(word_template, {}, unknown="keep")
    assert (
        list_markers(render(word_template, {})).names
        == list_markers(word_template).names
    )


def test_unchanged_entries_are_copied_without_recompression(word_template):
    out = render(word_template, VALUES)
    with (
        zipfile.ZipFile(io.BytesIO(word_template)) as original,
        zipfile.ZipFile(io.BytesIO(out)) as rendered,
    ):
        for name in ("word/styles.xml", "word/media/image1.png", "docProps/core.xml"):
            before, after = original.getinfo(name), rendered.getinfo(name)
            assert (before.CRC, before.compress_size) == (
                after.CRC,
                after.compress_size,
            )
        assert original.namelist() == rendered.namelist()


def test_bad_image_value_is_a_template_error():
    data = fx.simple_docx(fx.para(fx.run("[data.logo]")))
    with pytest.raises(TemplateError) as info:
        render(data, {"logo": b"not an image"})
    assert info.value.code == "bad_image"
    assert "[data.logo]" in info.value.message_en
    assert info.value.params["target"] == "[data.logo]"


def test_bad_appended_image_is_named_in_the_message():
    data = fx.simple_docx(fx.para(fx.run("Corps")))
    with pytest.raises(TemplateError) as info:
        render(data, {}, append=[b"\x89PNG broken"])
    assert info.value.params["target_code"] == "end_image"
    assert "the image added at the end" in info.value.message_en
