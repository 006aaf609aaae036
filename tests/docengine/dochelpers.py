"""Helpers shared by the document engine tests (imported as ``dochelpers``)."""

import io
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
NS = {
    "w": W,
    "text": TEXT,
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def part(data: bytes, name: str):
    """The parsed root of one part of a package."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def docx_paragraph_texts(root) -> list[str]:
    """Visible text of each paragraph (w:t, tabs as \\t, breaks as \\n)."""
    texts = []
    for paragraph in root.iter(f"{{{W}}}p"):
        pieces = []
        for element in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
            # Only this paragraph's own runs, not nested text boxes.
            owner = next(element.iterancestors(f"{{{W}}}p"))
            if owner is not paragraph:
                continue
            if element.tag == f"{{{W}}}t":
                pieces.append(element.text or "")
            elif element.tag == f"{{{W}}}tab":
                if element.getparent().tag == f"{{{W}}}r":
                    pieces.append("\t")
            else:
                pieces.append("\n")
        texts.append("".join(pieces))
    return texts


def odt_paragraph_texts(root) -> list[str]:
    """Visible text of each text:p/text:h (spaces, tabs, line breaks)."""
    texts = []
    for paragraph in root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"):
        texts.append(_odt_text(paragraph))
    return texts


def _odt_text(element) -> str:
    pieces = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag in (f"{{{TEXT}}}span", f"{{{TEXT}}}a", f"{{{TEXT}}}meta"):
            pieces.append(_odt_text(child))
        elif tag == f"{{{TEXT}}}s":
            pieces.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif tag == f"{{{TEXT}}}tab":
            pieces.append("\t")
        elif tag == f"{{{TEXT}}}line-break":
            pieces.append("\n")
        pieces.append(child.tail or "")
    return "".join(pieces)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, as pdftotext extracts it (reading order)."""
    proc = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return proc.stdout.decode("utf-8")


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
