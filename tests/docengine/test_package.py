"""The zip layer: deflate splicing, the writer, and reading back."""

import io
import zipfile
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from extrabat_core.docengine.package import (
    OutEntry,
    deflate_chunks,
    read_package,
    stored_blocks,
    write_zip,
)


@settings(max_examples=60, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=3000), min_size=1, max_size=6),
    values=st.lists(st.binary(max_size=200), min_size=5, max_size=5),
)
def test_deflated_chunks_and_stored_values_form_one_stream(chunks, values):
    deflated = deflate_chunks(chunks)
    raw = [deflated[0]]
    expected = [chunks[0]]
    for index in range(1, len(chunks)):
        raw.append(stored_blocks(values[index - 1]))
        raw.append(deflated[index])
        expected += [values[index - 1], chunks[index]]
    decompressor = zlib.decompressobj(-15)
    assert decompressor.decompress(b"".join(raw)) == b"".join(expected)
    assert decompressor.eof


def test_values_larger_than_one_stored_block():
    big = bytes(range(256)) * 700  # 179,200 bytes: three stored blocks
    deflated = deflate_chunks([b"<a>", b"</a>"])
    raw = deflated[0] + stored_blocks(big) + deflated[1]
    assert zlib.decompress(raw, -15) == b"<a>" + big + b"</a>"


def test_written_zip_reads_back_with_zipfile_and_our_reader():
    date = (2025, 1, 6, 10, 30, 0)
    entries = [
        OutEntry.stored("mimetype", b"application/vnd.oasis.opendocument.text", date),
        OutEntry.deflated("content.xml", b"<x>" + b"a" * 1000 + b"</x>", date),
        OutEntry.stored("Pictures/é.png", b"\x89PNG...", date),
    ]
    data = write_zip(entries)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["mimetype", "content.xml", "Pictures/é.png"]
        assert archive.getinfo("content.xml").date_time == date
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    read = read_package(data)
    assert [e.name for e in read] == ["mimetype", "content.xml", "Pictures/é.png"]
    assert read[1].data == b"<x>" + b"a" * 1000 + b"</x>"
    # Copying an entry keeps its compressed bytes as they are.
    assert write_zip([OutEntry.from_entry(e) for e in read]) == data
