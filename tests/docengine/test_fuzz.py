"""Fuzzing with hypothesis (bounded: a few seconds each).

1. Properties: any text cut into any runs/spans, with proofing marks,
   bookmarks and formatting changes between them, renders exactly as the
   regular expression applied to the plain text says.
2. Mutated real templates (byte flips in the zip, mutated XML inside valid
   zips): the engine either succeeds — and then its output is a valid
   template again — or raises a documented ``TemplateError``. Anything else
   (another exception, a hang) fails the test.

For longer runs: ``EXTRABAT_FUZZ_EXAMPLES=5000``, or tools/fuzz_docengine.py
(atheris, or a plain random loop).
"""

import io
import itertools
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extrabat_core.docengine import MARKER_RE, TemplateError, list_markers, render

from . import docfixtures as fx
from .dochelpers import docx_paragraph_texts, odt_paragraph_texts, part

#: More examples for a longer run: EXTRABAT_FUZZ_EXAMPLES=5000 make test ...
FUZZ = settings(
    max_examples=int(os.environ.get("EXTRABAT_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAMES = ["nom", "ville", "société", "x1", "absent"]
VALUES = {
    "nom": "Dupont & <Fils>",
    "ville": "  Lyon\n69003\tFrance ",
    "société": "",
    "x1": "é",
}

piece = st.one_of(
    st.sampled_from([f"[data.{n}]" for n in NAMES]),
    st.sampled_from(["[data.", "[", "]", "data.", ".", "[data.nom", "om]", "[[", "]]"]),
    st.text(alphabet="ab é_<&>\"'.", max_size=6),
)
texts = st.lists(piece, max_size=12).map("".join)
values = st.dictionaries(
    st.sampled_from(NAMES[:-1]),
    st.text(alphabet="xyz <&>é\n\t", max_size=10),
)


def _expected(text, given_values, unknown="keep"):
    def replace(match):
        name = match.group(1)
        if name in given_values:
            return given_values[name]
        return match.group(0) if unknown == "keep" else ""

    return MARKER_RE.sub(replace, text)


def _cut(text, cuts):
    points = sorted({c % (len(text) + 1) for c in cuts})
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


WORD_BETWEEN = [
    "",
    fx.PROOF_START,
    fx.PROOF_END,
    '<w:bookmarkStart w:id="1" w:name="b"/>',
    '<w:bookmarkEnd w:id="1"/>',
    '<w:commentRangeStart w:id="3"/>',
]
WORD_STYLES = [{}, {"bold": True}, {"italic": True}, {"color": "FF0000"}]


@FUZZ
@given(
    text=texts,
    cuts=st.lists(st.integers(0, 200), max_size=8),
    between=st.lists(st.sampled_from(WORD_BETWEEN), min_size=9, max_size=9),
    styles=st.lists(st.sampled_from(WORD_STYLES), min_size=9, max_size=9),
    given_values=values,
    unknown=st.sampled_from(["keep", "empty"]),
)
def test_word_runs_render_like_plain_text(
    text, cuts, between, styles, given_values, unknown
):
    runs = [
        between[i] + fx.run(chunk, **styles[i])
        for i, chunk in enumerate(_cut(text, cuts))
    ]
    data = fx.simple_docx(fx.para(*runs))
    out = render(data, given_values, unknown=unknown)
    texts_out = docx_paragraph_texts(part(out, "word/document.xml"))
    assert texts_out == [_expected(text, given_values, unknown)]


ODT_BETWEEN = [
    "",
    '<text:bookmark text:name="b"/>',
    "<text:soft-page-break/>",
    '<text:reference-mark-start text:name="r"/>',
]


@FUZZ
@given(
    text=texts,
    cuts=st.lists(st.integers(0, 200), max_size=8),
    between=st.lists(st.sampled_from(ODT_BETWEEN), min_size=9, max_size=9),
    spans=st.lists(st.sampled_from([None, "T1", "T2", "T3"]), min_size=9, max_size=9),
    given_values=values,
    unknown=st.sampled_from(["keep", "empty"]),
)
def test_odt_spans_render_like_plain_text(
    text, cuts, between, spans, given_values, unknown
):
    items = []
    for i, chunk in enumerate(_cut(text, cuts)):
        items.append(between[i])
        items.append(fx.span(chunk, spans[i]) if spans[i] else fx.escape(chunk))
    data = fx.simple_odt(fx.opara(*items))
    out = render(data, given_values, unknown=unknown)
    texts_out = odt_paragraph_texts(part(out, "content.xml"))
    assert texts_out[-1] == _expected(text, given_values, unknown)


def _documented_outcome(data):
    """Success (then the output is a valid template) or a TemplateError."""
    try:
        report = list_markers(data)
        out = render(data, dict.fromkeys(report.names, "v"), append=["fin"])
    except TemplateError as error:
        assert error.code and error.message_en
        return
    again = list_markers(out)
    assert again.format == report.format


_WORD = fx.word_kitchen_sink()
_ODT = fx.odt_kitchen_sink()


@FUZZ
@given(
    template=st.sampled_from([_WORD, _ODT]),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_byte_flips_in_real_templates(template, flips, truncate):
    data = bytearray(template)
    for position, mask in flips:
        data[position % len(data)] ^= mask
    if truncate is not None:
        data = data[: truncate % (len(data) + 1)]
    _documented_outcome(bytes(data))


SNIPPETS = [
    "<!DOCTYPE x>", "<!ENTITY e 'x'>", "&e;", "&amp;", "<w:t>", "</w:t>", "<w:r>",
    "</w:p>", "<w:p>", "<text:span>", "</text:span>", "<text:p>", "]]>",
    "<![CDATA[x]]>", "[data.nom]", "[data.", "<?pi x?>", "<!-- c -->", "\x00",
    "\ufffe", "é", "\"", "'", 'xml:space="preserve"', "xmlns:w=\"urn:x\"",
    "<w:tab/>", "<text:s/>", "<mc:Fallback>",
]  # fmt: skip
MUTABLE = {
    "docx": ["word/document.xml", "word/header1.xml", "word/footnotes.xml",
             "[Content_Types].xml", "word/_rels/header1.xml.rels"],
    "odt": ["content.xml", "styles.xml", "META-INF/manifest.xml", "mimetype"],
}  # fmt: skip


@st.composite
def mutated_packages(draw):
    fmt = draw(st.sampled_from(["docx", "odt"]))
    template = _WORD if fmt == "docx" else _ODT
    target = draw(st.sampled_from(MUTABLE[fmt]))
    source = zipfile.ZipFile(io.BytesIO(template))
    text = source.read(target).decode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "duplicate", "replace"]))
        length = draw(st.integers(0, 60))
        if operation == "insert":
            snippet = draw(st.sampled_from(SNIPPETS) | st.text(max_size=8))
            text = text[:position] + snippet + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + length :]
        elif operation == "duplicate":
            text = (
                text[:position] + text[position : position + length] + text[position:]
            )
        else:
            char = draw(st.characters(blacklist_categories=("Cs",)))
            text = text[:position] + char + text[position + 1 :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = text.encode("utf-8") if info.filename == target else None
            archive.writestr(
                info, content if content is not None else source.read(info)
            )
    return out.getvalue()


@FUZZ
@given(data=mutated_packages())
def test_mutated_xml_inside_valid_packages(data):
    _documented_outcome(data)
