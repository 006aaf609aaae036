"""Markers of editor letters are filled in text only: client data (which
portal users edit) never becomes markup, attributes or fetched URLs."""

import doctest

import pytest
from lxml import html as lxml_html

from extrabat_core import html_markers as hm
from extrabat_core.docengine import ImageValue

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HOSTILE = {
    "ville_client": 'x" onerror="fetch(\'http://127.0.0.1:1/\')" y="',
    "email_client": "http://127.0.0.1:1/",
    "rue_client": "javascript:alert(1)",
    "nom_client": "<img src=http://127.0.0.1:1/x.png><script>alert(1)</script>",
}


def _tree(html):
    return lxml_html.fragment_fromstring(html, create_parent="div")


def _attributes(html):
    return [
        (element.tag, name, value)
        for element in _tree(html).iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
    ]


def test_doctests():
    result = doctest.testmod(hm)
    assert result.failed == 0 and result.attempted > 0


def test_values_are_filled_in_text_and_escaped():
    out = hm.fill_markers(
        "<p>Bonjour [data.nom_client], <b>[data.ville_client]</b> fin</p>", HOSTILE
    )
    tree = _tree(out)
    assert tree.find("p").text_content() == (
        f"Bonjour {HOSTILE['nom_client']}, {HOSTILE['ville_client']} fin"
    )
    assert [e.tag for e in tree.iter()] == ["div", "p", "b"]  # no img, no script
    assert "&lt;img" in out and "<img" not in out and "<script" not in out


def test_line_breaks_become_br_and_nothing_else():
    out = hm.fill_markers("<p>[data.adresse]</p>", {"adresse": "12 rue\n69100 Lyon"})
    assert out == "<p>12 rue<br>69100 Lyon</p>"


@pytest.mark.parametrize("attribute", ["style", "src", "href", "title", "data-x"])
def test_marker_in_an_attribute_is_reported(attribute):
    html = f'<p><img {attribute}="a [data.ville_client] b">[data.nom_client]</p>'
    found = hm.attribute_markers(html)
    assert found == [hm.AttributeMarker("[data.ville_client]", attribute, "img")]


def test_markers_in_text_only_are_not_reported():
    assert (
        hm.attribute_markers("<p style='color:red'>[data.x] <b>[data.y]</b></p>") == []
    )


@pytest.mark.parametrize(
    "html",
    [
        '<p style="background-image:url([data.email_client])">x</p>',
        '<img src="[data.email_client]">',
        '<img src="x.png" alt="[data.ville_client]">',
        '<a href="[data.rue_client]">lien</a>',
        '<a href="mailto:[data.email_client]">[data.email_client]</a>',
    ],
)
def test_attribute_injection_through_a_marker_is_dropped_at_rendering(html):
    out = hm.fill_markers(html, HOSTILE)
    for _tag, name, value in _attributes(out):
        assert "127.0.0.1" not in value and "javascript" not in value, out
        assert not name.startswith("on"), out
        assert "[data." not in value


def test_city_with_quotes_cannot_add_an_event_handler():
    out = hm.fill_markers(
        '<p title="[data.ville_client]">[data.ville_client]</p>', HOSTILE
    )
    (element,) = [e for e in _tree(out).iter() if e.tag == "p"]
    assert dict(element.attrib) == {"title": ""}
    assert element.text == HOSTILE["ville_client"]


@pytest.mark.parametrize(
    "html",
    [
        '<img src="http://127.0.0.1:1/x.png">',
        '<img src="//127.0.0.1:1/x.png">',
        '<img src=" h\ttp://127.0.0.1:1/x.png">',
        '<img src="\\\\127.0.0.1\\x.png">',
        '<img src="file:///etc/passwd">',
        "<p style=\"background:url('http://127.0.0.1:1/')\">x</p>",
        '<p style="background: URL( //127.0.0.1:1/ )">x</p>',
        "<p style=\"@import 'http://127.0.0.1:1/'\">x</p>",
        '<p style="background-image:\\75 rl(http://127.0.0.1:1/)">x</p>',
        '<svg><image href="http://127.0.0.1:1/"/></svg>',
        '<svg><use href="//127.0.0.1:1/#a"/></svg>',
        '<link rel="stylesheet" href="http://127.0.0.1:1/a.css"><p>x</p>',
        '<base href="http://127.0.0.1:1/"><p>x</p>',
        '<video poster="http://127.0.0.1:1/"></video>',
        '<img srcset="http://127.0.0.1:1/a.png 2x">',
        '<svg><image xlink:href="http://127.0.0.1:1/"/></svg>',
        '<iframe src="http://127.0.0.1:1/"></iframe>',
        '<img src="x.png" onerror="fetch(1)">',
    ],
)
def test_printer_cannot_be_made_to_fetch_another_host(html):
    out = hm.fill_markers(html, {})
    assert "127.0.0.1" not in out and "file:" not in out and "onerror" not in out, out


def test_pictures_of_the_server_and_data_pictures_are_kept():
    html = '<img src="/web/image/12"><p style="background:url(/web/image/3)">x</p>'
    assert hm.fill_markers(html, {}) == html
    data = hm.image_data_url(PNG)
    html = f'<img src="{data}">'
    assert hm.fill_markers(html, {}) == html


def test_picture_values_become_data_urls():
    out = hm.fill_markers(
        "<p>[data.logo] [data.signature]</p>",
        {"logo": PNG, "signature": ImageValue(PNG)},
    )
    images = [e for e in _tree(out).iter() if e.tag == "img"]
    assert len(images) == 2
    assert all(img.get("src").startswith("data:image/png;base64,") for img in images)
    assert images[0].get("class") == "o_extrabat_marker o_extrabat_marker_logo"


def test_a_value_that_is_not_a_picture_is_not_printed():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/"/></svg>'
    assert hm.fill_markers("<p>[data.logo]</p>", {"logo": svg}) == "<p></p>"


def test_markers_in_comments_scripts_and_styles_are_never_filled():
    html = (
        "<p>a<!-- [data.x] --></p><style>p{[data.x]}</style><script>[data.x]</script>"
    )
    out = hm.fill_markers(html, {"x": "--><img src=http://127.0.0.1:1/>"})
    assert "127.0.0.1" not in out and "[data." not in out


def test_missing_values_print_nothing_and_empty_html_gives_empty():
    assert hm.fill_markers("<p>a[data.x]b</p>", {"x": None}) == "<p>ab</p>"
    assert hm.fill_markers("", {"x": "1"}) == ""
    assert hm.fill_markers(None, {}) == ""


def test_text_outside_elements_and_tails_are_filled():
    out = hm.fill_markers("[data.x] <b>b</b> [data.x]", {"x": "<i>"})
    assert out == "&lt;i&gt; <b>b</b> &lt;i&gt;"
