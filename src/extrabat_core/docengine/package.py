"""Reading untrusted zip packages (.docx, .odt) safely, and writing them fast.

Reading (:func:`read_package`) checks, before anything is decompressed, the
size of the file, the number of entries, the declared uncompressed sizes and
compression ratios, the entry names (no absolute path, no ``..``, no
duplicates), encryption and compression methods, overlapping entries; then it
decompresses every entry with a hard cap at its declared size and checks that
the actual size and CRC match. Nothing beyond :class:`Limits` is ever held in
memory.

Writing (:func:`write_zip`) is a minimal zip writer: unchanged entries are
copied as their original compressed bytes (no recompression), changed ones are
deflated once. The output never needs Zip64 because :class:`Limits` keeps
every size far below 4 GB.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .errors import TemplateError, human_size

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<IHHHHIIH")
_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800
# Flags we keep from an input entry: the deflate level hints (bits 1-2).
_KEPT_FLAGS = 0x6


@dataclass(frozen=True)
class Limits:
    """Caps applied to every template before anything is decompressed.

    :param max_size: size of the template file itself (compressed), bytes.
    :param max_uncompressed: sum of the uncompressed sizes of all entries.
    :param max_entries: number of entries in the archive.
    :param max_ratio: uncompressed/compressed ratio allowed for one entry
        (only checked for entries larger than ``ratio_threshold`` bytes:
        small XML files legitimately compress very well).
    :param ratio_threshold: see ``max_ratio``.
    :param max_image_pixels: width x height allowed for an image value.

    The defaults accept any real letter template (a few hundred KB, tens of
    entries, XML compressing 5-30:1) with a wide margin.
    """

    max_size: int = 20_000_000
    max_uncompressed: int = 100_000_000
    max_entries: int = 1000
    max_ratio: int = 200
    ratio_threshold: int = 1_000_000
    max_image_pixels: int = 40_000_000


DEFAULT_LIMITS = Limits()


@dataclass
class Entry:
    """One entry of a package, with its original compressed payload.

    ``raw`` is the compressed payload as stored (copied as is when the entry
    is written back unchanged); ``data`` the uncompressed bytes, or ``None``
    once released.
    """

    name: str
    method: int
    flags: int
    date_time: tuple
    external_attr: int
    crc: int
    raw: bytes
    size: int
    data: bytes | None = None


def sniff_not_zip(data: bytes) -> TemplateError:
    """The error to raise for a file that is not a zip archive."""
    if data.startswith(OLE_MAGIC):
        return TemplateError("ole_container")
    head = data[:1024].lstrip()
    hints = (
        (b"%PDF", "pdf_file"),
        (b"{\\rtf", "rtf_file"),
        (b"<?xml", "flat_xml_file"),
        (b"<", "markup_file"),
    )
    for magic, hint in hints:
        if head.startswith(magic):
            return TemplateError("not_a_zip", hint_code=hint)
    return TemplateError("not_a_zip")


def check_name(name: str) -> None:
    """Refuse entry names that could escape a folder or confuse readers."""
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ":" in name.split("/", 1)[0]
        or any(part in ("..", ".") for part in name.split("/"))
        or posixpath.normpath(name) != name.rstrip("/")
    ):
        raise TemplateError("unsafe_path", name=repr(name)[1:-1][:200])


def check_no_ole(entries) -> None:
    """Refuse any entry that is an OLE compound file, whatever its name or
    declared type: embedded OLE objects (Packager, Excel, Equation...),
    ActiveX binaries, VBA projects.

    :raise TemplateError: ``embedded_object``.
    """
    for entry in entries:
        if entry.data and entry.data.startswith(OLE_MAGIC):
            raise TemplateError("embedded_object", name=entry.name)


def read_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Entry]:
    """Check and read a zip package.

    :param data: the whole file.
    :return: its entries in archive order, decompressed and verified.
    :raise TemplateError: the file is not a safe, intact zip within ``limits``.
    """
    if not data:
        raise TemplateError("empty_file")
    if len(data) > limits.max_size:
        raise TemplateError(
            "file_too_large",
            size=human_size(len(data)),
            limit=human_size(limits.max_size),
        )
    if not data.startswith(ZIP_MAGIC):
        raise sniff_not_zip(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise TemplateError("corrupt_zip", detail=str(exc)[:200]) from None
    except (
        EOFError,
        struct.error,
        IndexError,
        KeyError,
        OverflowError,
        NotImplementedError,  # "zip file version 23.1" and the like
    ) as exc:
        raise TemplateError("corrupt_zip", detail=type(exc).__name__) from None
    _check_directory(infos, len(data), limits)
    return [_read_entry(data, info) for info in infos]


def _check_directory(infos, data_size, limits):
    if len(infos) > limits.max_entries:
        raise TemplateError(
            "too_many_entries", count=len(infos), limit=limits.max_entries
        )
    names = set()
    total = 0
    for info in infos:
        check_name(info.filename)
        if info.filename in names:
            raise TemplateError("duplicate_entry", name=info.filename)
        names.add(info.filename)
        if info.flag_bits & _FLAG_ENCRYPTED:
            raise TemplateError("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TemplateError("unsupported_compression", name=info.filename)
        total += info.file_size
        if total > limits.max_uncompressed:
            raise TemplateError(
                "uncompressed_too_large",
                size=human_size(total),
                limit=human_size(limits.max_uncompressed),
            )
        if (
            info.file_size > limits.ratio_threshold
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise TemplateError(
                "compression_ratio",
                name=info.filename,
                ratio=info.file_size // max(info.compress_size, 1),
                limit=limits.max_ratio,
            )
        if info.header_offset < 0 or info.header_offset + 30 > data_size:
            raise TemplateError("corrupt_zip", detail=f"{info.filename}: offset")
    # Entries must not overlap (overlapping entries are how the most
    # efficient zip bombs multiply their payload).
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for current, following in itertools.pairwise(ordered):
        end = current.header_offset + 30 + current.compress_size
        if end > following.header_offset:
            raise TemplateError(
                "corrupt_zip", detail=f"{current.filename}: overlapping entries"
            )


def _read_entry(data: bytes, info: zipfile.ZipInfo) -> Entry:
    offset = info.header_offset
    try:
        (
            signature,
            _version,
            _flags,
            method,
            _t,
            _d,
            _crc,
            _cs,
            _us,
            name_len,
            extra_len,
        ) = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error:
        raise TemplateError("corrupt_zip", detail=info.filename) from None
    start = offset + 30 + name_len + extra_len
    local_name = data[offset + 30 : offset + 30 + name_len]
    expected = info.orig_filename.encode(
        "utf-8" if info.flag_bits & _FLAG_UTF8 else "cp437", "replace"
    )
    if signature != 0x04034B50 or method != info.compress_type:
        raise TemplateError("corrupt_zip", detail=f"{info.filename}: local header")
    if local_name != expected:
        raise TemplateError("corrupt_zip", detail=f"{info.filename}: name mismatch")
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise TemplateError("corrupt_zip", detail=f"{info.filename}: truncated")
    content = _decompress(raw, info)
    return Entry(
        name=info.filename,
        method=info.compress_type,
        flags=info.flag_bits,
        date_time=info.date_time,
        external_attr=info.external_attr,
        crc=info.CRC,
        raw=raw,
        size=info.file_size,
        data=content,
    )


def _decompress(raw: bytes, info: zipfile.ZipInfo) -> bytes:
    """Decompress with a hard cap at the declared size; check size and CRC."""
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw
        ok = len(raw) == info.file_size
    else:
        decompressor = zlib.decompressobj(-15)
        try:
            # max_length caps memory whatever the stream claims.
            content = decompressor.decompress(raw, info.file_size + 1)
        except zlib.error as exc:
            raise TemplateError(
                "corrupt_zip", detail=f"{info.filename}: {exc}"
            ) from None
        ok = (
            len(content) == info.file_size
            and decompressor.eof
            and not decompressor.unconsumed_tail
        )
    if not ok:
        raise TemplateError(
            "corrupt_zip", detail=f"{info.filename}: size differs from the declared one"
        )
    if zlib.crc32(content) != info.CRC:
        raise TemplateError("corrupt_zip", detail=f"{info.filename}: bad CRC")
    return content


# === WRITING ===


def _dos_date_time(date_time) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    if year < 1980:
        year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    return dos_time, dos_date


class OutEntry:
    """An entry ready to be written: its local header + payload precomputed.

    ``blob`` is the local file header followed by the compressed payload; the
    central directory record only lacks the entry's offset.
    """

    __slots__ = ("blob", "central_head", "central_tail", "name")

    def __init__(self, name, method, flags, date_time, external_attr, crc, raw, size):
        self.name = name
        try:
            name_bytes = name.encode("ascii")
            flags &= _KEPT_FLAGS
        except UnicodeEncodeError:
            name_bytes = name.encode("utf-8")
            flags = (flags & _KEPT_FLAGS) | _FLAG_UTF8
        dos_time, dos_date = _dos_date_time(date_time)
        self.blob = (
            _LOCAL_HEADER.pack(
                0x04034B50,
                20,
                flags,
                method,
                dos_time,
                dos_date,
                crc,
                len(raw),
                size,
                len(name_bytes),
                0,
            )
            + name_bytes
            + raw
        )
        # Central record = head + offset (4 bytes) + name.
        self.central_head = _CENTRAL_HEADER.pack(
            0x02014B50,
            20,
            20,
            flags,
            method,
            dos_time,
            dos_date,
            crc,
            len(raw),
            size,
            len(name_bytes),
            0,
            0,
            0,
            0,
            external_attr,
            0,
        )[:-4]
        self.central_tail = name_bytes

    @classmethod
    def from_entry(cls, entry: Entry) -> OutEntry:
        """The entry copied unchanged (its original compressed bytes)."""
        return cls(
            entry.name,
            entry.method,
            entry.flags,
            entry.date_time,
            entry.external_attr,
            entry.crc,
            entry.raw,
            entry.size,
        )

    @classmethod
    def deflated(cls, name, data, date_time, level=6, external_attr=0) -> OutEntry:
        """A new or changed entry, deflated now."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        raw = compressor.compress(data) + compressor.flush()
        return cls(
            name,
            zipfile.ZIP_DEFLATED,
            0,
            date_time,
            external_attr,
            zlib.crc32(data),
            raw,
            len(data),
        )

    @classmethod
    def stored(cls, name, data, date_time, external_attr=0) -> OutEntry:
        """A new entry stored without compression (already compressed data)."""
        return cls(
            name,
            zipfile.ZIP_STORED,
            0,
            date_time,
            external_attr,
            zlib.crc32(data),
            data,
            len(data),
        )


def deflate_chunks(chunks: list[bytes], level: int = 6) -> list[bytes]:
    """Deflate each chunk on its own, ready to be concatenated with values.

    Every chunk but the last ends with a sync flush (byte-aligned, no final
    bit), so that raw stored blocks (:func:`stored_blocks`) can be inserted
    between them and the whole remains one valid deflate stream — the
    technique pigz uses to compress in parallel. The last chunk is finished.
    """
    out = []
    last = len(chunks) - 1
    for index, chunk in enumerate(chunks):
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        flush = zlib.Z_FINISH if index == last else zlib.Z_SYNC_FLUSH
        out.append(compressor.compress(chunk) + compressor.flush(flush))
    return out


_STORED_HEADER = struct.Struct("<BHH")


def stored_blocks(data: bytes) -> bytes:
    """``data`` as non-final stored deflate blocks (inserted byte-aligned)."""
    if len(data) <= 0xFFFF:
        return _STORED_HEADER.pack(0, len(data), len(data) ^ 0xFFFF) + data
    return b"".join(
        _STORED_HEADER.pack(0, len(block), len(block) ^ 0xFFFF) + block
        for block in (data[i : i + 0xFFFF] for i in range(0, len(data), 0xFFFF))
    )


def write_zip(entries: list[OutEntry]) -> bytes:
    """Assemble a zip archive from prepared entries, in the given order."""
    pieces = []
    central = []
    offset = 0
    pack_offset = struct.Struct("<I").pack
    for entry in entries:
        pieces.append(entry.blob)
        central.append(entry.central_head + pack_offset(offset) + entry.central_tail)
        offset += len(entry.blob)
    directory = b"".join(central)
    pieces.append(directory)
    pieces.append(
        _END_RECORD.pack(
            0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0
        )
    )
    return b"".join(pieces)
