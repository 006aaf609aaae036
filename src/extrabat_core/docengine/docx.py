"""Word (.docx, .dotx) specifics: parts, paragraphs, runs, pictures.

Text lives in ``w:t`` elements inside runs (``w:r``), which sit in the
paragraph or in containers (hyperlinks, tracked insertions, content
controls, smart tags, simple fields). Everything between runs that has no
visible width — proofing marks, bookmarks, comment ranges, tracked deletions
— is transparent to markers; everything that shows something else — tabs,
breaks, drawings, field characters, note references — separates them.
Paragraphs nested in text boxes are separate paragraphs; the VML fallback
copy of a text box (``mc:Fallback``) is rendered too but not counted twice.
"""

from __future__ import annotations

import posixpath
import re

from .errors import TemplateError
from .links import check_hyperlink
from .package import OutEntry
from .xmlsafe import parse_xml, serialize

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
MAIN_TYPES = {
    _WORD_TYPE + "document.main+xml": False,
    _WORD_TYPE + "template.main+xml": True,  # .dotx, rendered as a .docx
}
PART_TYPES = {
    _WORD_TYPE + "header+xml": "header",
    _WORD_TYPE + "footer+xml": "footer",
    _WORD_TYPE + "footnotes+xml": "footnotes",
    _WORD_TYPE + "endnotes+xml": "endnotes",
}
_MACRO_HINTS = ("macroenabled", "vbaproject", "vbadata", "activex")
# Relationship types (last path segment) that may point outside the package:
# hyperlinks only (text the reader clicks). Linked pictures, attached
# templates, frames, subdocuments, external data... are refused.
_EXTERNAL_OK = frozenset({"hyperlink"})
_ACTIVEX_RELS = frozenset({"control", "activeXControlBinary"})
_OLE_RELS = frozenset({"oleObject"})
# "Alternative format import" (w:altChunk): a part in another format (HTML,
# MHTML, RTF, plain text, another WordprocessingML document) that Word
# converts and merges into the document when it opens it.
_IMPORT_RELS = frozenset({"afchunk"})
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Field codes that fetch something when fields are updated (and DDE, which
# runs a program).
_EXTERNAL_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE",
     "DDEAUTO", "DATABASE", "RD"}
)  # fmt: skip
_FIELD_NAME = re.compile(r"\s*([A-Za-z]+)")


def _w(name):
    return f"{{{W}}}{name}"


W_P = _w("p")
W_R = _w("r")
W_T = _w("t")
W_BODY = _w("body")
W_SECTPR = _w("sectPr")
W_RPR = _w("rPr")
MC_FALLBACK = f"{{{MC}}}Fallback"
WP_DOCPR = f"{{{WP}}}docPr"
W_INSTR = _w("instrText")
W_FLDCHAR = _w("fldChar")
W_FLDSIMPLE = _w("fldSimple")

# Paragraph-level elements whose content is part of the paragraph's text.
_CONTAINERS = frozenset(
    _w(n)
    for n in (
        "hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple",
        "dir", "bdo", "sdt", "sdtContent",
    )
)  # fmt: skip
# Elements with no visible width: markers may run across them.
_TRANSPARENT = frozenset(
    _w(n)
    for n in (
        "pPr", "proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart",
        "commentRangeEnd", "permStart", "permEnd", "moveFromRangeStart",
        "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
        "customXmlDelRangeEnd", "customXmlMoveFromRangeStart",
        "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd", "del", "moveFrom", "smartTagPr", "customXmlPr",
        "sdtPr", "sdtEndPr",
        # inside runs
        "rPr", "lastRenderedPageBreak", "commentReference", "annotationRef",
        "delText", "delInstrText",
    )
)  # fmt: skip


def segments(element, out=None) -> list:
    """The text segments of a paragraph (see :mod:`.markers`)."""
    if out is None:
        out = []
    for child in element:
        tag = child.tag
        if tag == W_R:
            for item in child:
                item_tag = item.tag
                if item_tag == W_T:
                    out.append((item, "text"))
                elif item_tag not in _TRANSPARENT and isinstance(item_tag, str):
                    out.append(None)
        elif tag in _CONTAINERS:
            segments(child, out)
        elif tag in _TRANSPARENT or not isinstance(tag, str):
            continue
        else:
            out.append(None)
    return out


class DocxContext:
    """How to write XML at one slot: the prefix of the WordprocessingML
    namespace there (``"w:"`` usually)."""

    __slots__ = ("close_open", "draw_prefixes", "w")

    def __init__(self, prefix):
        w = f"{prefix}:" if prefix else ""
        self.w = w
        self.close_open = (f"</{w}t>", f'<{w}t xml:space="preserve">')
        names = ("wp", "a", "pic", "r")
        if prefix in names:
            names = ("xbwp", "xba", "xbpic", "xbr")
        self.draw_prefixes = names


class DocxState:
    """What one render adds to the package: pictures and relationships."""

    __slots__ = ("docpr", "media", "rels")

    def __init__(self, first_docpr):
        self.media = {}  # image bytes -> (entry name, ImageInfo)
        self.rels = {}  # part -> {entry name: rId}
        self.docpr = first_docpr


class DocxHandler:
    """Compile-time analysis of a .docx package and render-time encoders."""

    format = "docx"

    def __init__(self, entries: dict):
        self.entries = entries
        self.overrides = {}  # entry name -> OutEntry built once at compile
        self._insertions = {}  # entry name -> (head, tail, prefix)
        self._rel_ids = {}  # part -> existing relationship ids
        self._docpr_max = 0
        self._contexts = {}
        self._default_exts = set()
        self._date_time = (1980, 1, 1, 0, 0, 0)
        self.main = None
        self.parts = []
        self._locations = {}
        self._analyse()

    # === COMPILE ===

    def _analyse(self):
        entries = self.entries
        if "[Content_Types].xml" not in entries:
            raise TemplateError("missing_part", name="[Content_Types].xml")
        _check_entries(entries)
        ct_entry = entries["[Content_Types].xml"]
        self._date_time = ct_entry.date_time
        tree = parse_xml("[Content_Types].xml", ct_entry.data)
        root = tree.getroot()
        overrides = {}
        for element in root:
            if not isinstance(element.tag, str):
                continue
            ctype = (element.get("ContentType") or "").strip()
            if any(hint in ctype.lower() for hint in _MACRO_HINTS):
                raise TemplateError("macros")
            if element.tag == f"{{{CT}}}Override":
                overrides[(element.get("PartName") or "").lstrip("/")] = (
                    ctype,
                    element,
                )
            elif element.tag == f"{{{CT}}}Default":
                self._default_exts.add((element.get("Extension") or "").lower())
        mains = [n for n, (t, _e) in overrides.items() if t in MAIN_TYPES]
        if not mains:
            kinds = sorted(
                {t for t, _e in overrides.values() if t.endswith(".main+xml")}
            )
            detail = kinds[0] if kinds else "no Word document part"
            raise TemplateError("unsupported_format", detail=detail)
        self.main = mains[0]
        if self.main not in entries:
            raise TemplateError("missing_part", name=self.main)
        ctype, element = overrides[self.main]
        if MAIN_TYPES[ctype]:  # a .dotx: the result is a document
            element.set("ContentType", _WORD_TYPE + "document.main+xml")
            ct_entry.data = serialize(tree)
            self.overrides["[Content_Types].xml"] = OutEntry.deflated(
                "[Content_Types].xml", ct_entry.data, ct_entry.date_time
            )
        self._insertions["[Content_Types].xml"] = _insertion_point(tree)
        kinds = {}
        for name, (ctype, _e) in overrides.items():
            if ctype in PART_TYPES and name in entries:
                kinds.setdefault(PART_TYPES[ctype], []).append(name)
        self.parts = [self.main]
        self._locations[self.main] = "body"
        for kind in ("header", "footer", "footnotes", "endnotes"):
            for name in sorted(kinds.get(kind, []), key=_natural):
                self.parts.append(name)
                self._locations[name] = (
                    posixpath.basename(name) if kind in ("header", "footer") else kind
                )

    def check_root(self, part, tree):
        """The main part must be a WordprocessingML document (not Strict)."""
        root = tree.getroot()
        if part == self.main and root.tag != _w("document"):
            if isinstance(root.tag, str) and root.tag.startswith(f"{{{W_STRICT}}}"):
                raise TemplateError(
                    "unsupported_format",
                    detail_code="strict_ooxml",
                )
            raise TemplateError(
                "unsupported_format",
                detail_code="no_word_body",
            )
        _check_fields(part, root)
        _check_alt_chunks(part, root)
        for docpr in root.iter(WP_DOCPR):
            value = docpr.get("id") or ""
            if value.isdigit():
                self._docpr_max = max(self._docpr_max, int(value))

    def paragraphs(self, part, tree):
        """``(paragraph, location, counted)`` for every paragraph of a part."""
        location = self._locations[part]
        for paragraph in tree.getroot().iter(W_P):
            counted = next(paragraph.iterancestors(MC_FALLBACK), None) is None
            yield paragraph, location, counted

    segments = staticmethod(segments)

    def cleanup(self, touched):
        """Tidy runs after marker text was removed from them."""
        for element, _attr, holds_token in touched:
            if element.text or holds_token or len(element):
                # Text may now start or end with a space: keep it.
                element.set(XML_SPACE, "preserve")
                continue
            run = element.getparent()
            run.remove(element)
            if run.tag == W_R and all(child.tag == W_RPR for child in run):
                parent = run.getparent()
                if parent is not None:
                    parent.remove(run)

    def context(self, element, _attr) -> DocxContext:
        prefix = element.prefix
        context = self._contexts.get(prefix)
        if context is None:
            context = self._contexts[prefix] = DocxContext(prefix)
        return context

    def append_point(self, part, tree, token) -> DocxContext | None:
        """Put ``token`` where appended paragraphs go (end of the body)."""
        if part != self.main:
            return None
        body = tree.getroot().find(W_BODY)
        if body is None:
            return None
        children = [c for c in body if isinstance(c.tag, str)]
        anchor = None
        if children and children[-1].tag == W_SECTPR:
            anchor = children[-1].getprevious()
        elif len(body):
            anchor = body[-1]
        if anchor is None:
            body.text = (body.text or "") + token
        else:
            anchor.tail = (anchor.tail or "") + token
        return self.context(body, "text")

    def prepare_rels(self):
        """Remember each part's relationships (to add pictures at render)."""
        for part in self.parts:
            rels_name = _rels_name(part)
            entry = self.entries.get(rels_name)
            if entry is None:
                self._rel_ids[part] = set()
                continue
            tree = parse_xml(rels_name, entry.data)
            self._rel_ids[part] = {
                el.get("Id") for el in tree.getroot() if isinstance(el.tag, str)
            }
            self._insertions[rels_name] = _insertion_point(tree)

    # === RENDER ===

    def new_state(self) -> DocxState:
        return DocxState(self._docpr_max + 1)

    @staticmethod
    def encode_text(text: str, context: DocxContext) -> bytes:
        close, reopen = context.close_open
        w = context.w
        lines = []
        for line in text.split("\n"):
            cells = [_escape(cell) for cell in line.split("\t")]
            lines.append(f"{close}<{w}tab/>{reopen}".join(cells))
        return f"{close}<{w}br/>{reopen}".join(lines).encode("utf-8")

    def encode_image(self, info, context: DocxContext, part, state) -> bytes:
        media_name = self._media_entry(info, state)
        rels = state.rels.setdefault(part, {})
        rid = rels.get(media_name)
        if rid is None:
            taken = self._rel_ids.get(part, set())
            number = len(rels) + 1
            while f"rIdXb{number}" in taken:
                number += 1
            rid = rels[media_name] = f"rIdXb{number}"
        docpr = state.docpr
        state.docpr += 1
        cx = round(info.width_mm * 36000)
        cy = round(info.height_mm * 36000)
        wp, a, pic, r = context.draw_prefixes
        w = context.w
        close, reopen = context.close_open
        return (
            f'{close}<{w}drawing xmlns:{wp}="{WP}" xmlns:{a}="{A}" '
            f'xmlns:{pic}="{PIC}" xmlns:{r}="{R}"><{wp}:inline distT="0" '
            f'distB="0" distL="0" distR="0"><{wp}:extent cx="{cx}" cy="{cy}"/>'
            f'<{wp}:effectExtent l="0" t="0" r="0" b="0"/><{wp}:docPr id="{docpr}" '
            f'name="Picture {docpr}"/><{wp}:cNvGraphicFramePr><{a}:graphicFrameLocks'
            f' noChangeAspect="1"/></{wp}:cNvGraphicFramePr><{a}:graphic>'
            f'<{a}:graphicData uri="{PIC}"><{pic}:pic><{pic}:nvPicPr><{pic}:cNvPr '
            f'id="0" name="{posixpath.basename(media_name)}"/><{pic}:cNvPicPr/>'
            f'</{pic}:nvPicPr><{pic}:blipFill><{a}:blip {r}:embed="{rid}"/>'
            f"<{a}:stretch><{a}:fillRect/></{a}:stretch></{pic}:blipFill>"
            f'<{pic}:spPr><{a}:xfrm><{a}:off x="0" y="0"/><{a}:ext cx="{cx}" '
            f'cy="{cy}"/></{a}:xfrm><{a}:prstGeom prst="rect"><{a}:avLst/>'
            f"</{a}:prstGeom></{pic}:spPr></{pic}:pic></{a}:graphicData>"
            f"</{a}:graphic></{wp}:inline></{w}drawing>{reopen}"
        ).encode()

    @staticmethod
    def encode_block(inner: bytes, context: DocxContext) -> bytes:
        w = context.w
        return (
            f'<{w}p><{w}r><{w}t xml:space="preserve">'.encode()
            + inner
            + f"</{w}t></{w}r></{w}p>".encode()
        )

    def _media_entry(self, info, state) -> str:
        found = state.media.get(info.data)
        if found is None:
            number = len(state.media) + 1
            while True:
                name = f"word/media/extrabat_image{number}.{info.extension}"
                if name not in self.entries:
                    break
                number += 1
            found = state.media[info.data] = (name, info)
        return found[0]

    def finish(self, state: DocxState) -> tuple[dict, list]:
        """Entries changed or added by a render's pictures."""
        if not state.media:
            return {}, []
        changed = {}
        added = []
        date_time = self._date_time
        extensions = {
            info.extension: info.mimetype for _n, info in state.media.values()
        }
        missing = [ext for ext in extensions if ext not in self._default_exts]
        if "rels" not in self._default_exts:
            missing.append("rels")
            extensions["rels"] = (
                "application/vnd.openxmlformats-package.relationships+xml"
            )
        if missing:
            head, tail, prefix = self._insertions["[Content_Types].xml"]
            extra = "".join(
                f'<{prefix}Default Extension="{ext}" ContentType="{extensions[ext]}"/>'
                for ext in missing
            ).encode()
            changed["[Content_Types].xml"] = OutEntry.deflated(
                "[Content_Types].xml", head + extra + tail, date_time
            )
        for part, rels in state.rels.items():
            rels_name = _rels_name(part)
            base = posixpath.dirname(part)
            if rels_name in self._insertions:
                head, tail, prefix = self._insertions[rels_name]
            else:
                head = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<Relationships xmlns="' + RELS.encode() + b'">'
                )
                tail, prefix = b"</Relationships>", ""
            extra = "".join(
                f'<{prefix}Relationship Id="{rid}" Type="{IMAGE_REL}" '
                f'Target="{posixpath.relpath(media, base or ".")}"/>'
                for media, rid in rels.items()
            ).encode()
            entry = OutEntry.deflated(rels_name, head + extra + tail, date_time)
            if rels_name in self.entries:
                changed[rels_name] = entry
            else:
                added.append(entry)
        for name, _info in state.media.values():
            added.append(OutEntry.stored(name, _info.data, date_time))
        return changed, added


def _check_entries(entries) -> None:
    """Refuse macros by name and every part's forbidden relationships."""
    for name in entries:
        if posixpath.basename(name).lower() in ("vbaproject.bin", "vbadata.xml"):
            raise TemplateError("macros")
    for name in sorted(entries):
        if name.endswith(".rels"):
            _check_relationships(name, entries[name].data)
        elif posixpath.basename(name) == "settings.xml":
            _check_settings(name, entries[name].data)


def _check_relationships(name: str, data: bytes) -> None:
    """Refuse relationships to anything outside the package but hyperlinks,
    to ActiveX controls and to OLE objects.

    :raise TemplateError: ``external_reference``, ``macros``,
        ``embedded_object``.
    """
    for rel in parse_xml(name, data).getroot():
        if not isinstance(rel.tag, str):
            continue
        kind = (rel.get("Type") or "").strip().rsplit("/", 1)[-1]
        target = (rel.get("Target") or "").strip()
        if kind in _ACTIVEX_RELS:
            raise TemplateError("macros")
        if kind.lower() in _IMPORT_RELS:
            raise TemplateError("imported_document", detail=target[:100] or name)
        external = (
            (rel.get("TargetMode") or "").strip().lower() == "external"
            or _URI_SCHEME.match(target)
            or target.startswith(("//", "\\\\"))
        )
        if external and kind not in _EXTERNAL_OK:
            detail = f"{kind or 'relationship'} → {target[:100]}"
            raise TemplateError("external_reference", detail=detail)
        if kind == "hyperlink":
            check_hyperlink(target, name)
        if kind in _OLE_RELS:
            raise TemplateError("embedded_object", name=target[:100] or name)


def _check_settings(name: str, data: bytes) -> None:
    """Refuse a mail merge data source (an ODBC connection string, a query,
    a file): it would be read when the document is opened.

    :raise TemplateError: ``external_reference``.
    """
    root = parse_xml(name, data).getroot()
    for tag in (_w("mailMerge"), f"{{{W_STRICT}}}mailMerge"):
        if root.find(f".//{tag}") is not None:
            raise TemplateError(
                "external_reference",
                name=name,
                detail_code="mail_merge",
            )


def _check_alt_chunks(part: str, root) -> None:
    """Refuse ``w:altChunk`` (a foreign document imported by Word at open
    time), in transitional and Strict namespaces.

    :raise TemplateError: ``imported_document``.
    """
    for tag in (_w("altChunk"), f"{{{W_STRICT}}}altChunk"):
        if next(root.iter(tag), None) is not None:
            raise TemplateError("imported_document", detail=f"altChunk ({part})")


def _check_fields(part: str, root) -> None:
    """Refuse fields that include external content (``INCLUDEPICTURE``,
    ``INCLUDETEXT``, ``LINK``, ``DDE``...), simple or complex (whose code may
    be split over several runs).

    :raise TemplateError: ``external_reference``.
    """
    stack = []
    codes = []
    for element in root.iter(W_INSTR, W_FLDCHAR, W_FLDSIMPLE):
        tag = element.tag
        if tag == W_FLDSIMPLE:
            codes.append(element.get(_w("instr")) or "")
        elif tag == W_INSTR:
            if stack:
                stack[-1].append(element.text or "")
            else:  # an instruction outside begin/end: check it alone
                codes.append(element.text or "")
        else:
            kind = element.get(_w("fldCharType"))
            if kind == "begin":
                stack.append([])
            elif kind in ("separate", "end") and stack:
                code = "".join(stack[-1])
                codes.append(code)
                if kind == "end":
                    stack.pop()
                else:
                    stack[-1] = []
    codes.extend("".join(pieces) for pieces in stack)
    for code in codes:
        match = _FIELD_NAME.match(code)
        if match and match.group(1).upper() == "HYPERLINK":
            _check_hyperlink_field(code[match.end() :], part)
        if match and match.group(1).upper() in _EXTERNAL_FIELDS:
            raise TemplateError(
                "external_reference",
                field=match.group(1).upper(),
                part=part,
                detail_code="field",
            )


_FIELD_ARGUMENT = re.compile(r'\s*(?:"([^"]*)"?|(\S+))')


def _check_hyperlink_field(arguments: str, part: str) -> None:
    """Refuse a ``HYPERLINK`` field whose target is not a safe hyperlink.

    Every argument is a target but the values of the ``\\l`` (bookmark),
    ``\\o`` (tooltip) and ``\\t`` (frame) switches.

    :raise TemplateError: ``unsafe_link``.
    """
    rest = arguments
    skip_next = False
    while rest.strip():
        match = _FIELD_ARGUMENT.match(rest)
        value = match.group(1) if match.group(1) is not None else match.group(2)
        rest = rest[match.end() :]
        if match.group(1) is None and value.startswith("\\"):
            skip_next = value.lower() in ("\\l", "\\o", "\\t")
            continue
        if not skip_next:
            check_hyperlink(value, part)
        skip_next = False


def _rels_name(part: str) -> str:
    return posixpath.join(
        posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
    )


def _natural(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _insertion_point(tree) -> tuple[bytes, bytes, str]:
    """Split a serialised part before its root's closing tag.

    :return: ``(head, tail, prefix)``: new children go between head and tail,
        written with ``prefix`` (``""`` or ``"p:"``) for the root's namespace.
    """
    root = tree.getroot()
    marker = "XBINSERTIONPOINT"
    if len(root):
        root[-1].tail = (root[-1].tail or "") + marker
    else:
        root.text = (root.text or "") + marker
    data = serialize(tree)
    head, _sep, tail = data.partition(marker.encode())
    prefix = f"{root.prefix}:" if root.prefix else ""
    return head, tail, prefix


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
