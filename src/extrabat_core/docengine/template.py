"""Compiled templates: parse once, render many times.

Compiling a template reads and checks the package, finds every marker,
rewrites each marker's runs/spans once so that the marker is a single slot in
its first run/span, and serialises the parts that hold markers split at the
slots, each chunk deflated once. Rendering is then a join of the pre-deflated
chunks with the encoded values as stored deflate blocks (nothing is parsed or
compressed per render), and the unchanged entries are copied as their
original compressed bytes. Compiled templates are kept in a small LRU cache
keyed by the template's bytes (bounded in entries and bytes).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import unicodedata
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .docx import DocxHandler
from .errors import TemplateError
from .images import as_image_value
from .markers import find_malformed, find_markers, paragraph_text, rewrite
from .odt import OdtHandler, check_not_encrypted
from .package import (
    DEFAULT_LIMITS,
    Limits,
    OutEntry,
    check_no_ole,
    deflate_chunks,
    read_package,
    stored_blocks,
    write_zip,
)
from .xmlsafe import check_package_xml, parse_xml, serialize

UNKNOWN_MODES = ("keep", "empty")
#: zlib level for the parts rewritten at each render (speed over size: the
#: parts are small XML and the difference in size is a few percent).
COMPRESS_LEVEL = 6
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


# === REPORTS ===


@dataclass(frozen=True)
class MarkerInfo:
    """One marker of a template.

    :ivar name: without ``data.`` (``"nom_client"`` for ``[data.nom_client]``).
    :ivar count: occurrences.
    :ivar locations: where it occurs, in order: ``"body"``, ``"header1.xml"``,
        ``"footer2.xml"`` (.docx parts), ``"header"``, ``"header-first"``,
        ``"header-even"``, ``"footer"``... (.odt), ``"footnotes"``,
        ``"endnotes"``. Text boxes, frames and tables count where they sit.
    """

    name: str
    count: int
    locations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MarkerReport:
    """The markers of a template, for validation at upload.

    :ivar format: ``"docx"`` or ``"odt"``.
    :ivar markers: in order of first appearance (body, then headers, footers,
        notes).
    :ivar malformed: text that starts like a marker but is not one, e.g.
        ``"[data.nom client]"`` (a space) or ``"[data.nom"`` (no bracket).
    """

    format: str
    markers: list[MarkerInfo]
    malformed: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Marker names in order of first appearance."""
        return [marker.name for marker in self.markers]

    def unknown(self, known: Iterable[str]) -> list[str]:
        """The template's marker names that are not in ``known``."""
        known = {_normalise_key(name) for name in known}
        return [name for name in self.names if name not in known]

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "format": self.format,
            "markers": [
                {"name": m.name, "count": m.count, "locations": list(m.locations)}
                for m in self.markers
            ],
            "malformed": list(self.malformed),
        }


# === COMPILED TEMPLATE ===


class _Slot:
    __slots__ = ("block", "context", "literal", "name", "part")

    def __init__(self, name, part, block=False):
        self.name = name
        self.part = part
        self.block = block
        self.context = None
        self.literal = f"[data.{name}]".encode() if name else b""


class _DynamicPart:
    """A part with slots: its XML split at the slots, each chunk also
    deflated once (see :func:`.package.deflate_chunks`)."""

    __slots__ = ("chunks", "date_time", "deflated", "external_attr", "name", "slots")

    def __init__(self, name, chunks, slots, date_time, external_attr):
        self.name = name
        self.chunks = chunks
        self.deflated = deflate_chunks(chunks, COMPRESS_LEVEL)
        self.slots = slots
        self.date_time = date_time
        self.external_attr = external_attr

    def render(self, values: list[bytes]) -> OutEntry:
        """The part's entry with ``values`` (one per slot) in place.

        Static chunks are copied deflated; values go in as stored blocks, so
        nothing is compressed at render time.
        """
        chunks, deflated = self.chunks, self.deflated
        crc = zlib.crc32(chunks[0])
        size = len(chunks[0])
        raw = [deflated[0]]
        for index, value in enumerate(values, 1):
            if value:
                crc = zlib.crc32(value, crc)
                size += len(value)
                raw.append(stored_blocks(value))
            chunk = chunks[index]
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            raw.append(deflated[index])
        return OutEntry(
            self.name, zipfile.ZIP_DEFLATED, 0, self.date_time, self.external_attr,
            crc, b"".join(raw), size,
        )  # fmt: skip


class Template:
    """A compiled template; thread-safe, immutable once built.

    Get one with :func:`load_template` (cached) and call :meth:`render` as
    often as needed.
    """

    __slots__ = ("_dynamic", "_handler", "_layout", "_report", "cost", "format")

    def __init__(self, handler, layout, dynamic, report, cost):
        self.format = handler.format
        self._handler = handler
        self._layout = layout  # OutEntry, or the name of a dynamic part
        self._dynamic = dynamic  # name -> _DynamicPart
        self._report = report  # (format, ((name, count, locations), ...), malformed)
        self.cost = cost

    @property
    def report(self) -> MarkerReport:
        """The template's markers (a fresh copy each time)."""
        fmt, markers, malformed = self._report
        return MarkerReport(
            format=fmt,
            markers=[MarkerInfo(n, c, list(locs)) for n, c, locs in markers],
            malformed=list(malformed),
        )

    @property
    def names(self) -> list[str]:
        return [name for name, _c, _l in self._report[1]]

    def render(
        self,
        values: Mapping | None = None,
        *,
        unknown: str = "keep",
        append: Iterable | None = None,
        limits: Limits | None = None,
    ) -> bytes:
        """Fill the markers; see :func:`render`."""
        if unknown not in UNKNOWN_MODES:
            raise ValueError(f"unknown must be one of {UNKNOWN_MODES}, not {unknown!r}")
        limits = limits or DEFAULT_LIMITS
        values = _normalise_values(values or {})
        append = list(append) if append else None
        handler = self._handler
        state = handler.new_state()
        encoded = {}
        rendered = {}
        keep = unknown == "keep"
        has_block = False
        for name, part in self._dynamic.items():
            pieces = []
            for slot in part.slots:
                if slot.block:
                    has_block = True
                    pieces.append(
                        self._encode_block(slot, append, state, limits)
                        if append
                        else b""
                    )
                elif slot.name in values:
                    pieces.append(
                        self._encode(slot, values[slot.name], state, encoded, limits)
                    )
                else:
                    pieces.append(slot.literal if keep else b"")
            rendered[name] = part.render(pieces)
        if append and not has_block:
            raise TemplateError("missing_body")
        changed, added = handler.finish(state)
        out = [
            rendered[item] if isinstance(item, str) else changed.get(item.name, item)
            for item in self._layout
        ]
        out.extend(added)
        return write_zip(out)

    def _encode(self, slot, value, state, encoded, limits) -> bytes:
        if type(value) is not str:
            image = as_image_value(value)
            if image is not None:
                info = image.info(slot.name, limits.max_image_pixels)
                return self._handler.encode_image(info, slot.context, slot.part, state)
        key = (slot.name, slot.context)
        data = encoded.get(key)
        if data is None:
            data = encoded[key] = self._handler.encode_text(
                _clean_text(value), slot.context
            )
        return data

    def _encode_block(self, slot, append, state, limits) -> bytes:
        pieces = []
        for value in append:
            image = as_image_value(value)
            if image is not None:
                info = image.info(None, limits.max_image_pixels)
                inner = self._handler.encode_image(info, slot.context, slot.part, state)
            else:
                inner = self._handler.encode_text(_clean_text(value), slot.context)
            pieces.append(self._handler.encode_block(inner, slot.context))
        return b"".join(pieces)


def _clean_text(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = _LINE_BREAKS.sub("\n", text)
        text = _INVALID_XML_CHARS.sub("", text)
    return text


def _normalise_key(key) -> str:
    key = str(key)
    key = key.removeprefix("data.")
    if not key.isascii():
        key = unicodedata.normalize("NFC", key)
    return key


def _normalise_values(values: Mapping) -> Mapping:
    """Keys without ``data.`` and in NFC; the mapping itself when they are."""
    for key in values:
        if type(key) is not str or key.startswith("data.") or not key.isascii():
            return {_normalise_key(k): value for k, value in values.items()}
    return values


# === COMPILING ===


def _handler_for(entries):
    if "mimetype" in entries or (
        "META-INF/manifest.xml" in entries and "content.xml" in entries
    ):
        return OdtHandler(entries)
    if "[Content_Types].xml" in entries:
        return DocxHandler(entries)
    names = " ".join(sorted(entries))[:100]
    raise TemplateError(
        "unsupported_format",
        names=names,
        detail_code="zip_holding" if names else "empty_zip",
    )


def compile_template(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Template:
    """Check and compile a template (uncached; see :func:`load_template`).

    :raise TemplateError: the file is refused (see the error's ``code``).
    """
    entry_list = read_package(data, limits)
    entries = {entry.name: entry for entry in entry_list}
    # before the XML check: the parts of an encrypted .odt are not XML
    check_not_encrypted(entries)
    check_package_xml(entry_list)
    handler = _handler_for(entries)
    check_no_ole(entry_list)
    nonce = secrets.token_hex(6)
    while any(
        nonce.encode() in entries[part].data
        for part in handler.parts
        if part in entries
    ):  # pragma: no cover - 48 random bits
        nonce = secrets.token_hex(6)
    token_re = re.compile(rb"XBSLOT" + nonce.encode() + rb"x(\d+)x")
    slots = []
    occurrences = {}  # name -> [count, [locations]]
    malformed = []
    dynamic = {}
    for part in handler.parts:
        entry = entries[part]
        tree = parse_xml(part, entry.data)
        handler.check_root(part, tree)
        first_slot = len(slots)
        for paragraph, location, counted in list(handler.paragraphs(part, tree)):
            text, spans = paragraph_text(handler.segments(paragraph))
            if "[" not in text:
                continue
            if counted:
                malformed.extend(find_malformed(text))
            matches = find_markers(text)
            if not matches:
                continue
            for match in matches:
                match.token = f"XBSLOT{nonce}x{len(slots)}x"
                slots.append(_Slot(match.name, part))
                if counted:
                    seen = occurrences.setdefault(match.name, [0, []])
                    seen[0] += 1
                    if location not in seen[1]:
                        seen[1].append(location)
            touched = rewrite(spans, matches)
            for match, slot in zip(matches, slots[-len(matches) :], strict=True):
                slot.context = handler.context(*match.holder)
            handler.cleanup(touched)
        block = _Slot(None, part, block=True)
        block.context = handler.append_point(part, tree, f"XBSLOT{nonce}x{len(slots)}x")
        if block.context is not None:
            slots.append(block)
        if len(slots) > first_slot:
            dynamic[part] = _split(
                part, serialize(tree), token_re, slots, first_slot, entry
            )
    handler.prepare_rels()
    layout = []
    cost = 0
    for entry in entry_list:
        if entry.name in dynamic:
            layout.append(entry.name)
            part = dynamic[entry.name]
            cost += sum(map(len, part.chunks)) + sum(map(len, part.deflated))
        else:
            out = handler.overrides.get(entry.name) or OutEntry.from_entry(entry)
            layout.append(out)
            cost += len(out.blob)
        entry.data = None
    handler.entries = frozenset(entries)
    cost += len(data)  # the cache keeps the template's bytes as its key
    report = (
        handler.format,
        tuple((name, c, tuple(locs)) for name, (c, locs) in occurrences.items()),
        tuple(dict.fromkeys(malformed)),
    )
    return Template(handler, layout, dynamic, report, cost)


def _split(part, xml, token_re, slots, first_slot, entry) -> _DynamicPart:
    pieces = token_re.split(xml)
    chunks = pieces[0::2]
    order = [int(index) for index in pieces[1::2]]
    if sorted(order) != list(range(first_slot, len(slots))):  # pragma: no cover
        raise RuntimeError(f"{part}: slot tokens lost while serialising")
    return _DynamicPart(
        part,
        chunks,
        [slots[index] for index in order],
        entry.date_time,
        entry.external_attr,
    )


# === CACHE ===


class _Cache:
    """LRU of compiled templates, bounded in entries and in bytes."""

    def __init__(self, max_entries=32, max_bytes=64_000_000):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key):
        with self._lock:
            template = self._items.get(key)
            if template is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return template

    def put(self, key, template):
        with self._lock:
            if key in self._items or template.cost > self.max_bytes:
                return
            self._items[key] = template
            self._bytes += template.cost
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _key, old = self._items.popitem(last=False)
                self._bytes -= old.cost

    def clear(self):
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def info(self) -> dict:
        with self._lock:
            return {
                "entries": len(self._items),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
                "max_entries": self.max_entries,
                "max_bytes": self.max_bytes,
            }


_CACHE = _Cache()


def configure_cache(max_entries: int = 32, max_bytes: int = 64_000_000) -> None:
    """Resize the template cache (and empty it)."""
    _CACHE.clear()
    _CACHE.max_entries = max_entries
    _CACHE.max_bytes = max_bytes


def clear_cache() -> None:
    """Forget every compiled template."""
    _CACHE.clear()


def cache_info() -> dict:
    """``entries``, ``bytes``, ``hits``, ``misses`` and the bounds."""
    return _CACHE.info()


def read_template_bytes(template, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a template given as bytes, a path or a binary file object.

    At most ``limits.max_size + 1`` bytes are read (enough to refuse it).
    :raise TypeError: unsupported type. ``OSError`` from the file system
        propagates.
    """
    if isinstance(template, bytes):
        return template
    if isinstance(template, bytearray | memoryview):
        return bytes(template)
    if isinstance(template, str | os.PathLike):
        with open(template, "rb") as handle:
            return handle.read(limits.max_size + 1)
    if hasattr(template, "read"):
        data = template.read(limits.max_size + 1)
        if not isinstance(data, bytes | bytearray):
            raise TypeError("the template file must be opened in binary mode")
        return bytes(data)
    raise TypeError(
        f"a template is bytes, a path or a binary file, not {type(template).__name__}"
    )


# === DECLARED FORMAT ===

#: Extension -> the format a file so named must hold (``None``: a document
#: type the engine does not fill; a template so named is refused).
DECLARED_FORMATS = {
    "docx": "docx", "dotx": "docx", "docm": "docx", "dotm": "docx",
    "odt": "odt", "ott": "odt",
    "doc": None, "dot": None, "rtf": None, "pdf": None, "txt": None,
    "html": None, "htm": None, "fodt": None, "xml": None, "xlsx": None,
    "xls": None, "ods": None, "pptx": None, "ppt": None, "odp": None,
}  # fmt: skip


def declared_format(filename) -> str | None:
    """The format a file name announces: ``"docx"``, ``"odt"``, ``""`` (a
    known document type that is neither) or ``None`` (no extension, or one
    that says nothing, such as ``.tmp``)."""
    if not filename:
        return None
    name = os.path.basename(os.fspath(filename))
    _stem, dot, extension = name.rpartition(".")
    if not dot or not _stem:
        return None
    extension = extension.lower()
    if extension not in DECLARED_FORMATS:
        return None
    return DECLARED_FORMATS[extension] or ""


def _wrong_format(filename, declared, actual=None, error=None) -> TemplateError:
    name = os.path.basename(os.fspath(filename))
    extension = name.rpartition(".")[2].lower()
    if actual:
        # phrases "is_docx", "is_odt"
        detail = {"detail_code": f"is_{actual}"}
    else:
        # what the unsupported_format error found becomes the slot {found}
        found = {k: v for k, v in error.params.items() if not k.startswith("detail")}
        found["found"] = error.params.get("detail", "")
        if "detail_code" in error.params:
            found["found_code"] = error.params["detail_code"]
        detail = {**found, "extension": extension, "detail_code": "not_extension"}
    return TemplateError(
        "wrong_format",
        filename=name[:100],
        declared=declared,
        actual=actual or "",
        **detail,
    )


def check_declared_format(template: Template, filename) -> Template:
    """Refuse a template whose file name announces another format.

    :raise TemplateError: ``wrong_format`` (an .odt named ``.docx``, a
        .docx named ``.pdf``...).
    """
    declared = declared_format(filename)
    if declared is not None and declared != template.format:
        raise _wrong_format(filename, declared, actual=template.format)
    return template


# === LOADING ===


def load_template(template, *, limits: Limits | None = None, filename=None) -> Template:
    """The compiled template for ``template`` (from the cache when possible).

    :param template: bytes, a path (str or PathLike), a binary file object, or
        a :class:`Template` (returned as is).
    :param filename: the name the file was uploaded with (defaults to the
        path's name when ``template`` is a path); its extension must match
        the content (see :func:`declared_format`).
    :raise TemplateError: the file is refused; ``wrong_format`` when it is
        not what its name says.
    """
    if filename is None and isinstance(template, str | os.PathLike):
        filename = template
    if isinstance(template, Template):
        return check_declared_format(template, filename)
    limits = limits or DEFAULT_LIMITS
    data = read_template_bytes(template, limits)
    # Keyed by the bytes themselves: Python caches a bytes object's hash and
    # compares equal contents with memcmp (no digest computed per call).
    key = (data, limits)
    compiled = _CACHE.get(key)
    if compiled is None:
        try:
            compiled = compile_template(data, limits)
        except TemplateError as error:
            declared = declared_format(filename)
            if error.code == "unsupported_format" and declared:
                raise _wrong_format(filename, declared, error=error) from None
            raise
        _CACHE.put(key, compiled)
    return check_declared_format(compiled, filename)
