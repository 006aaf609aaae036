"""LibreOffice Writer (.odt, .ott) specifics: paragraphs, spans, frames.

Text is mixed content of ``text:p``/``text:h``: the paragraph's own text and
the text and tails of ``text:span``, ``text:a``, ``text:meta`` and
``loext:content-control`` (Word's content controls) elements.
Zero-width elements (bookmarks, reference marks, soft page breaks, change
marks, annotations) are transparent to markers; anything else (tabs, line
breaks, spaces ``text:s``, fields, notes, frames) separates them. Paragraphs
in frames, text boxes, notes, tables and headers/footers (``styles.xml``)
are separate paragraphs; deleted text kept for change tracking is ignored.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from .errors import TemplateError
from .links import check_hyperlink
from .package import OutEntry
from .xmlsafe import parse_xml, serialize

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"

SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
XLINK_HREF = f"{{{XLINK}}}href"

MIMETYPES = {
    "application/vnd.oasis.opendocument.text": False,
    "application/vnd.oasis.opendocument.text-template": True,  # .ott
}
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def _t(name):
    return f"{{{TEXT}}}{name}"


TEXT_P = _t("p")
TEXT_H = _t("h")
TEXT_SPAN = _t("span")
TEXT_NOTE = _t("note")
TEXT_TRACKED = _t("tracked-changes")
OFFICE_TEXT = f"{{{OFFICE}}}text"
OFFICE_BODY = f"{{{OFFICE}}}body"
MASTER_STYLES = f"{{{OFFICE}}}master-styles"

# LibreOffice writes Word's content controls as loext:content-control.
_CONTAINERS = frozenset((TEXT_SPAN, _t("a"), _t("meta"), f"{{{LOEXT}}}content-control"))
_TRANSPARENT = frozenset(
    [
        _t(n)
        for n in (
            "bookmark", "bookmark-start", "bookmark-end", "reference-mark",
            "reference-mark-start", "reference-mark-end", "soft-page-break",
            "change", "change-start", "change-end", "toc-mark", "toc-mark-start",
            "toc-mark-end", "alphabetical-index-mark", "alphabetical-index-mark-start",
            "alphabetical-index-mark-end", "user-index-mark", "user-index-mark-start",
            "user-index-mark-end",
        )
    ]
    + [f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end"]
)  # fmt: skip
_IGNORED = frozenset((TEXT_TRACKED, f"{{{OFFICE}}}annotation"))
_HEADER_FOOTER = {
    f"{{{STYLE}}}{kind}{suffix}": f"{kind}{label}"
    for kind in ("header", "footer")
    for suffix, label in (("", ""), ("-left", "-even"), ("-first", "-first"))
}


# Folders of Basic macros, their dialogs and scripts (BeanShell, JavaScript,
# Python) in a package.
_SCRIPT_FOLDERS = ("Basic/", "Dialogs/", "Scripts/")
# Elements that run a macro or a script.
_SCRIPTS = frozenset((f"{{{SCRIPT}}}event-listener", f"{{{OFFICE}}}script"))
# Elements that embed a program or a foreign object.
_EMBEDDED = frozenset(
    f"{{{DRAW}}}{name}" for name in ("object-ole", "applet", "plugin", "floating-frame")
)
# Elements that pull content from a file or a program (DDE).
_LINKED = frozenset(
    (
        _t("section-source"),
        _t("dde-connection-decl"),
        f"{{{OFFICE}}}dde-source",
        f"{{{TABLE}}}dde-link",
        f"{{{TABLE}}}table-source",
    )
)
# Hyperlinks may point anywhere: they are text the reader clicks.
_HYPERLINKS = frozenset((_t("a"), f"{{{DRAW}}}a"))
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(33))) + "\x7f"
# Attributes other than xlink:href that hold a URL LibreOffice loads.
_URL_ATTRIBUTES = (
    "{urn:oasis:names:tc:opendocument:xmlns:form:1.0}image-data",
    "{urn:oasis:names:tc:opendocument:xmlns:form:1.0}href",
)


def resolve_href(href: str, base: str = "") -> str | None:
    """The package entry an ``xlink:href`` designates, or ``None`` when it
    points outside the package.

    The href is normalised as LibreOffice reads it before deciding:
    tabs and newlines dropped (as URL parsers do), control characters and
    spaces around it dropped, percent-encoding
    decoded (repeatedly), backslashes read as slashes, ``.`` and ``..``
    segments resolved against ``base`` (the folder of the part: an embedded
    object's ``Object 1/``). Outside the package: a URL or anything with a
    scheme (``http:``, ``file:``, ``C:``...), a path from the root (``/``),
    a network path (``//host``, ``\\\\host``), or a relative path that climbs
    above the package's root (``./../x``, ``Pictures/../../x``,
    ``%2e%2e/x``).

    >>> resolve_href("./Pictures/a.png"), resolve_href("../Pictures/a.png", "Object 1")
    ('Pictures/a.png', 'Pictures/a.png')
    >>> resolve_href("Pictures/../../etc/passwd") is None
    True
    """
    value = href
    for _ in range(5):  # %252e -> %2e -> .
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    else:  # still encoded after five rounds: not a path LibreOffice reads
        return None
    value = _TAB_NEWLINE.sub("", value).strip(_C0_AND_SPACE)
    value = value.replace("\\", "/")
    if _URI_SCHEME.match(value) or value.startswith("/"):
        return None
    parts = [p for p in base.replace("\\", "/").split("/") if p not in ("", ".")]
    for segment in value.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    return "/".join(parts)


def is_external_href(href: str, base: str = "") -> bool:
    """Whether an ``xlink:href`` points outside the package (see
    :func:`resolve_href`)."""
    return resolve_href(href, base) is None


def check_external(part: str, root) -> None:
    """Refuse scripts, embedded objects and links to content outside the
    package in one part (``content.xml``, ``styles.xml``).

    :raise TemplateError: ``macros``, ``embedded_object``,
        ``external_reference``.
    """
    base = posixpath.dirname(part)
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _SCRIPTS:
            raise TemplateError("macros")
        if tag in _EMBEDDED:
            raise TemplateError(
                "embedded_object", name=f"{tag.rsplit('}', 1)[-1]} ({part})"
            )
        href = element.get(XLINK_HREF)
        if tag in _HYPERLINKS:
            if href:
                check_hyperlink(href, part)
            continue
        external = href and is_external_href(href, base)
        if not external:
            for name in _URL_ATTRIBUTES:
                url = element.get(name)
                if url and is_external_href(url, base):
                    href, external = url, True
                    break
        if tag in _LINKED or external:
            target = (href or "")[:100]
            name = tag.rsplit("}", 1)[-1]
            raise TemplateError(
                "external_reference", detail=f"{name} → {target} ({part})"
            )


# Metadata that makes LibreOffice open another file when it loads the
# document: the template it was made from (to update its styles) and an
# automatic reload, possibly of another URL.
_META_LINKS = (f"{{{META}}}template", f"{{{META}}}auto-reload")


def strip_meta_links(data: bytes) -> bytes | None:
    """``meta.xml`` without its links to the template the document was made
    from and without automatic reload, or ``None`` when it has neither.

    A document made from a company template (``.ott``) names that template
    by a path on the author's computer: harmless there, but nothing the
    server should open, so it is dropped rather than refused.
    """
    tree = parse_xml("meta.xml", data)
    found = [e for tag in _META_LINKS for e in tree.getroot().iter(tag)]
    if not found:
        return None
    for element in found:
        element.getparent().remove(element)
    return serialize(tree)


def check_not_encrypted(entries: dict) -> None:
    """Refuse an ODF package saved with a password.

    LibreOffice encrypts the parts themselves (``content.xml``,
    ``meta.xml``...), not the zip: only the manifest, which lists each
    encrypted entry with a ``manifest:encryption-data`` element (ODF 1.2)
    or an ``encrypted-key`` (ODF 1.3 OpenPGP), says so. Called before the XML
    parts are checked, so that such a file is reported as encrypted, not
    as damaged XML.

    :param entries: name -> :class:`~.package.Entry`.
    :raise TemplateError: ``encrypted``.
    """
    manifest = entries.get("META-INF/manifest.xml")
    if manifest is None or not manifest.data:
        return
    root = parse_xml("META-INF/manifest.xml", manifest.data).getroot()
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and (
            tag == f"{{{MANIFEST}}}encryption-data" or tag.endswith("}encrypted-key")
        ):
            raise TemplateError("encrypted")


def _check_entries(entries) -> None:
    """Refuse script folders, and what :func:`check_external` refuses in
    embedded ODF objects (charts, formulas: ``Object 1/content.xml``), which
    are rendered too."""
    if any(name.startswith(_SCRIPT_FOLDERS) for name in entries):
        raise TemplateError("macros")
    for name in sorted(entries):
        if "/" in name and name.endswith(("/content.xml", "/styles.xml")):
            check_external(name, parse_xml(name, entries[name].data).getroot())


def segments(element, out=None) -> list:
    """The text segments of a paragraph (see :mod:`.markers`)."""
    if out is None:
        out = [(element, "text")]
    for child in element:
        tag = child.tag
        if tag in _CONTAINERS:
            out.append((child, "text"))
            segments(child, out)
        elif tag not in _TRANSPARENT and isinstance(tag, str):
            out.append(None)
        out.append((child, "tail"))
    return out


class OdtContext:
    """How to write XML at one slot: the prefix bound to the text namespace
    there (``"text:"`` usually), or a local declaration."""

    __slots__ = ("decl", "t")

    def __init__(self, prefix):
        if prefix is None:  # no prefix for the text namespace in scope
            self.t = "xbt:"
            self.decl = f' xmlns:xbt="{TEXT}"'
        else:
            self.t = f"{prefix}:" if prefix else ""
            self.decl = ""


class OdtState:
    """What one render adds to the package: pictures."""

    __slots__ = ("frames", "media")

    def __init__(self):
        self.media = {}  # image bytes -> (entry name, ImageInfo)
        self.frames = 0


class OdtHandler:
    """Compile-time analysis of an .odt package and render-time encoders."""

    format = "odt"

    def __init__(self, entries: dict):
        self.entries = entries
        self.overrides = {}
        self._contexts = {}
        self._manifest = None  # (head, tail, prefix)
        self._date_time = (1980, 1, 1, 0, 0, 0)
        self.parts = [n for n in ("content.xml", "styles.xml") if n in entries]
        self.main = "content.xml"
        self._analyse()

    # === COMPILE ===

    def _analyse(self):
        entries = self.entries
        mimetype_entry = entries.get("mimetype")
        mimetype = (
            mimetype_entry.data.decode("ascii", "replace").strip()
            if (mimetype_entry)
            else None
        )
        _check_entries(entries)
        manifest_entry = entries.get("META-INF/manifest.xml")
        if manifest_entry is None:
            raise TemplateError("missing_part", name="META-INF/manifest.xml")
        tree = parse_xml("META-INF/manifest.xml", manifest_entry.data)
        root = tree.getroot()
        if mimetype is None:
            for element in root:
                if element.get(f"{{{MANIFEST}}}full-path") == "/":
                    mimetype = element.get(f"{{{MANIFEST}}}media-type")
        if mimetype not in MIMETYPES:
            detail = (
                {"detail": mimetype} if mimetype else {"detail_code": "no_mimetype"}
            )
            raise TemplateError("unsupported_format", **detail)
        if "content.xml" not in entries:
            raise TemplateError("missing_part", name="content.xml")
        self._date_time = entries["content.xml"].date_time
        if MIMETYPES[mimetype]:  # a template (.ott): the result is a document
            for element in root:
                if element.get(f"{{{MANIFEST}}}full-path") == "/":
                    element.set(f"{{{MANIFEST}}}media-type", ODT_MIMETYPE)
            manifest_entry.data = serialize(tree)
            self.overrides["META-INF/manifest.xml"] = OutEntry.deflated(
                "META-INF/manifest.xml", manifest_entry.data, manifest_entry.date_time
            )
            if mimetype_entry is not None:
                self.overrides["mimetype"] = OutEntry.stored(
                    "mimetype", ODT_MIMETYPE.encode(), mimetype_entry.date_time
                )
        self._manifest = _insertion_point(tree)
        meta = entries.get("meta.xml")
        if meta is not None and meta.data:
            stripped = strip_meta_links(meta.data)
            if stripped is not None:
                self.overrides["meta.xml"] = OutEntry.deflated(
                    "meta.xml", stripped, meta.date_time
                )

    def check_root(self, part, tree):
        check_external(part, tree.getroot())
        if part == self.main:
            body = tree.getroot().find(OFFICE_BODY)
            if body is None or body.find(OFFICE_TEXT) is None:
                raise TemplateError(
                    "unsupported_format",
                    detail_code="no_text_body",
                )

    def paragraphs(self, part, tree):
        """``(paragraph, location, counted)`` for every paragraph of a part."""
        root = tree.getroot()
        if part == "styles.xml":
            scopes = root.findall(MASTER_STYLES)
        else:
            scopes = [root]
        for scope in scopes:
            for paragraph in scope.iter(TEXT_P, TEXT_H):
                location = "body" if part == "content.xml" else "styles"
                skip = False
                for ancestor in paragraph.iterancestors():
                    tag = ancestor.tag
                    if tag in _IGNORED:
                        # Deleted text kept for change tracking; comments.
                        skip = True
                        break
                    if tag == TEXT_NOTE:
                        note_class = ancestor.get(f"{{{TEXT}}}note-class")
                        location = (
                            "endnotes" if note_class == "endnote" else "footnotes"
                        )
                        break
                    if tag in _HEADER_FOOTER:
                        location = _HEADER_FOOTER[tag]
                        break
                if not skip:
                    yield paragraph, location, True

    segments = staticmethod(segments)

    @staticmethod
    def cleanup(touched):
        """Remove spans emptied of their text, keeping what follows them."""
        for element, attr, holds_token in touched:
            if (
                attr != "text"
                or holds_token
                or element.text
                or len(element)
                or element.tag != TEXT_SPAN
            ):
                continue
            parent = element.getparent()
            if parent is None:
                continue
            tail = element.tail or ""
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail or None
            else:
                parent.text = (parent.text or "") + tail or None
            parent.remove(element)

    def context(self, element, attr) -> OdtContext:
        scope = element.getparent() if attr == "tail" else element
        if scope is None:
            scope = element
        prefix = None
        for key, uri in scope.nsmap.items():
            if uri == TEXT:
                prefix = key or ""
                break
        context = self._contexts.get(prefix)
        if context is None:
            context = self._contexts[prefix] = OdtContext(prefix)
        return context

    def append_point(self, part, tree, token) -> OdtContext | None:
        """Put ``token`` where appended paragraphs go (end of the text)."""
        if part != self.main:
            return None
        body = tree.getroot().find(OFFICE_BODY)
        text = body.find(OFFICE_TEXT) if body is not None else None
        if text is None:
            return None
        if len(text):
            text[-1].tail = (text[-1].tail or "") + token
        else:
            text.text = (text.text or "") + token
        return self.context(text, "text")

    def prepare_rels(self):
        """Nothing: ODF pictures only need a manifest entry."""

    # === RENDER ===

    @staticmethod
    def new_state() -> OdtState:
        return OdtState()

    @staticmethod
    def encode_text(text: str, context: OdtContext) -> bytes:
        t, decl = context.t, context.decl
        tab = f"<{t}tab{decl}/>"
        lines = []
        for line in text.split("\n"):
            cells = [_spaces(_escape(cell), t, decl) for cell in line.split("\t")]
            lines.append(tab.join(cells))
        return f"<{t}line-break{decl}/>".join(lines).encode("utf-8")

    def encode_image(self, info, _context, _part, state) -> bytes:
        found = state.media.get(info.data)
        if found is None:
            number = len(state.media) + 1
            while True:
                name = f"Pictures/extrabat_image{number}.{info.extension}"
                if name not in self.entries:
                    break
                number += 1
            found = state.media[info.data] = (name, info)
        state.frames += 1
        return (
            f'<draw:frame xmlns:draw="{DRAW}" xmlns:svg="{SVG}" '
            f'xmlns:xlink="{XLINK}" xmlns:text="{TEXT}" '
            f'draw:name="Extrabat picture {state.frames}" text:anchor-type="as-char" '
            f'svg:width="{info.width_mm:.2f}mm" svg:height="{info.height_mm:.2f}mm" '
            f'draw:z-index="0"><draw:image xlink:href="{found[0]}" xlink:type="simple"'
            ' xlink:show="embed" xlink:actuate="onLoad"/></draw:frame>'
        ).encode()

    @staticmethod
    def encode_block(inner: bytes, context: OdtContext) -> bytes:
        t, decl = context.t, context.decl
        return f"<{t}p{decl}>".encode() + inner + f"</{t}p>".encode()

    def finish(self, state: OdtState) -> tuple[dict, list]:
        """Entries changed or added by a render's pictures."""
        if not state.media:
            return {}, []
        head, tail, prefix = self._manifest
        if not prefix:
            prefix = "xbm:"
            decl = f' xmlns:xbm="{MANIFEST}"'
        else:
            decl = ""
        extra = "".join(
            f'<{prefix}file-entry{decl} {prefix}full-path="{name}" '
            f'{prefix}media-type="{info.mimetype}"/>'
            for name, info in state.media.values()
        ).encode()
        changed = {
            "META-INF/manifest.xml": OutEntry.deflated(
                "META-INF/manifest.xml", head + extra + tail, self._date_time
            )
        }
        added = [
            OutEntry.stored(name, info.data, self._date_time)
            for name, info in state.media.values()
        ]
        return changed, added


_MULTI_SPACE = re.compile(r"^ +| +$| {2,}")


def _spaces(text: str, t: str, decl: str) -> str:
    """Keep spaces that ODF would collapse (leading, trailing, repeated)."""
    if "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text

    def replace(match):
        run = match.group(0)
        count = len(run)
        keep = "" if match.start() == 0 or match.end() == len(text) else " "
        count -= len(keep)
        attr = f' {t}c="{count}"' if count > 1 else ""
        return f"{keep}<{t}s{decl}{attr}/>"

    return _MULTI_SPACE.sub(replace, text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _insertion_point(tree) -> tuple[bytes, bytes, str]:
    root = tree.getroot()
    marker = "XBINSERTIONPOINT"
    if len(root):
        root[-1].tail = (root[-1].tail or "") + marker
    else:
        root.text = (root.text or "") + marker
    data = serialize(tree)
    head, _sep, tail = data.partition(marker.encode())
    return head, tail, f"{root.prefix}:" if root.prefix else ""
