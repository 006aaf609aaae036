"""Errors of the document engine: a stable code, parameters, and an English
message (for the command line and logs).

Every refusal of a template raises :class:`TemplateError` (a ``ValueError``);
every failure of the PDF conversion raises :class:`ConversionError` (a
``RuntimeError``). ``str(error)`` is the English message. An application that
shows the message in another language builds it from ``code`` and ``params``
with its own translated copy of :data:`TEMPLATE_MESSAGES`,
:data:`CONVERSION_MESSAGES` and :data:`PHRASES` (see :func:`expand_params`).
"""

from __future__ import annotations

from typing import ClassVar

#: code -> English message: a format string over the keyword arguments given
#: to the error (sizes are pre-formatted strings; see :func:`expand_params`).
TEMPLATE_MESSAGES: dict[str, str] = {
    "empty_file": "The file is empty.",
    "file_too_large": "The file is too large ({size}; at most {limit}).",
    "not_a_zip": (
        "This file is not a Word (.docx) or LibreOffice (.odt) document{hint}."
    ),
    "ole_container": (
        "This file is password-protected or in the old Word 97-2003 (.doc) "
        "format. Remove the password and save it as .docx or .odt."
    ),
    "corrupt_zip": "The file is damaged (invalid archive: {detail}).",
    "too_many_entries": (
        "The document contains too many files ({count}; at most {limit})."
    ),
    "uncompressed_too_large": (
        "The document is too large once uncompressed ({size}; at most {limit})."
    ),
    "compression_ratio": (
        "The document looks like a zip bomb ({name} is compressed {ratio}:1; at"
        " most {limit}:1)."
    ),
    "unsafe_path": "The document contains a file with a forbidden path: {name}.",
    "duplicate_entry": "The document contains the file {name} twice.",
    "encrypted": (
        "The document is encrypted or password-protected. Remove the password "
        "and save it again."
    ),
    "unsupported_compression": (
        "The document uses an unsupported compression method ({name})."
    ),
    "unsupported_format": (
        "Unsupported document type ({detail}). Use a Word (.docx) or "
        "LibreOffice Writer (.odt) document."
    ),
    "macros": (
        "Documents with macros, scripts or ActiveX controls (a .docm, or an "
        ".odt with Basic macros or scripts) are refused. Save the document "
        "without macros, as a Word Document (.docx) or an OpenDocument Text "
        "(.odt)."
    ),
    "external_reference": (
        "The document refers to an external resource ({detail}): linked "
        "pictures, attached templates, linked files or data sources are "
        "refused. Insert the pictures in the document itself (not as a link) "
        "and remove the links; hyperlinks are accepted."
    ),
    "embedded_object": (
        "The document contains an embedded object ({name}: an OLE object, a "
        "plug-in or an applet); this is refused for security reasons. Replace "
        "it with a picture."
    ),
    "unsafe_link": (
        "The document contains a link that is refused ({detail}): a hyperlink "
        "may only open a web page (http, https), an email address (mailto) or a"
        " phone number (tel), or go to a place in the document. Remove or "
        "change that link."
    ),
    "imported_document": (
        "The document imports another document when it is opened ({detail}: an "
        "altChunk part, i.e. HTML, RTF or another Word document that Word "
        "merges into it); this is refused for security reasons. Copy that "
        "content into the document itself."
    ),
    "wrong_format": (
        "The file {filename} is not what its name says: {detail}. Save it again"
        " as a Word (.docx) or LibreOffice Writer (.odt) document, with the "
        "matching extension."
    ),
    "missing_part": "The document is incomplete: {name} is missing.",
    "forbidden_dtd": (
        "The document contains a DTD or entity declaration in {name}; this is "
        "refused for security reasons."
    ),
    "bad_encoding": "{name} uses an unsupported character encoding ({encoding}).",
    "invalid_xml": "The document is damaged: {name} is not valid XML ({detail}).",
    "missing_body": "The document has no body to add paragraphs to.",
    "bad_image": "The image for {target} cannot be used: {detail}.",
}

CONVERSION_MESSAGES: dict[str, str] = {
    "soffice_missing": (
        "LibreOffice was not found (tried: {tried}); it is needed to produce "
        "PDF files. Install LibreOffice Writer or set EXTRABAT_SOFFICE to its "
        "soffice program."
    ),
    "timeout": (
        "LibreOffice did not finish the PDF conversion within {timeout} seconds."
    ),
    "failed": "LibreOffice could not convert the document to PDF ({detail}).",
    "no_output": "LibreOffice produced no PDF file ({detail}).",
    "bad_format": "Cannot convert a '{fmt}' document to PDF (expected docx or odt).",
}


#: phrase code -> English phrase, a format string over the error's parameters.
#: A parameter ``X_code`` names the phrase that fills the slot ``X`` of the
#: message (e.g. ``detail_code="strict_ooxml"`` -> ``{detail}``).
PHRASES: dict[str, str] = {
    # not_a_zip (hint)
    "pdf_file": " (it is a PDF file)",
    "rtf_file": " (it is an RTF file)",
    "flat_xml_file": " (it is a flat XML file)",
    "markup_file": " (it is an HTML or XML file)",
    # unsupported_format (detail)
    "strict_ooxml": "Strict Open XML",
    "no_word_body": "no Word document body",
    "no_text_body": "no text document body",
    "no_mimetype": "no mimetype",
    "zip_holding": "a zip archive holding {names}",
    "empty_zip": "a zip archive holding nothing",
    # external_reference (detail)
    "mail_merge": "mail merge data source ({name})",
    "field": "{field} ({part})",
    # wrong_format (detail)
    "is_docx": "it is a Word document (.docx)",
    "is_odt": "it is a LibreOffice Writer document (.odt)",
    "not_extension": "it is not a .{extension} document ({found})",
    # bad_image (target, detail)
    "end_image": "the image added at the end",
    "unreadable_image": "not a readable PNG or JPEG image",
    "image_too_large": "{width}x{height} pixels is too large",
    "image_format": "unsupported image format {fmt}",
    "damaged_image": "the image is damaged",
}


def expand_params(params: dict, phrases: dict[str, str], render=None) -> dict:
    """``params`` with each ``X_code`` parameter's phrase rendered into ``X``.

    Phrases are expanded in the order of the parameters, so a phrase may use
    the slot of an ``X_code`` given before it. ``render(phrase, params)``
    formats a phrase (default: ``str.format`` syntax, missing keys empty);
    an application with ``%(name)s`` phrases passes its own.

    >>> expand_params({"names": "a b", "detail_code": "zip_holding"}, PHRASES)["detail"]
    'a zip archive holding a b'
    """
    render = render or _format_braces
    expanded = dict(params)
    for key, value in params.items():
        if key.endswith("_code") and value in phrases:
            expanded[key[: -len("_code")]] = render(phrases[value], expanded)
    return expanded


def _format_braces(template: str, params: dict) -> str:
    return template.format_map(_Default(params))


class _Coded:
    """Mixin: a stable ``code``, its ``params`` and the English message."""

    catalogue: ClassVar[dict[str, str]] = {}

    def _init_messages(self, code, params):
        self.code = code
        self.params = dict(params)
        self.message_en = _format_braces(
            self.catalogue[code], expand_params(params, PHRASES)
        )


class _Default(dict):
    def __missing__(self, key):
        return ""


class TemplateError(_Coded, ValueError):
    """A template (or a value given for it) is refused.

    :ivar code: stable identifier, e.g. ``"macros"``, ``"forbidden_dtd"``
        (see ``TEMPLATE_MESSAGES``).
    :ivar message_en: the English message (also ``str(error)``).
    :ivar params: the values the message is built from: values (names,
        sizes, ...) and ``X_code`` phrase codes (see :data:`PHRASES`).
    """

    catalogue: ClassVar[dict[str, str]] = TEMPLATE_MESSAGES

    def __init__(self, code: str, **params):
        self._init_messages(code, params)
        super().__init__(self.message_en)


class ImageValueError(TemplateError):
    """An image value cannot be used (unreadable, unsupported, too large).

    A subclass of :class:`TemplateError` (code ``"bad_image"``) so that one
    ``except TemplateError`` covers every refusal of ``render``.
    """


class ConversionError(_Coded, RuntimeError):
    """The PDF conversion failed (LibreOffice missing, timed out, failed).

    Same attributes as :class:`TemplateError`; codes in
    ``CONVERSION_MESSAGES``.
    """

    catalogue: ClassVar[dict[str, str]] = CONVERSION_MESSAGES

    def __init__(self, code: str, **params):
        self._init_messages(code, params)
        super().__init__(self.message_en)


def human_size(size: int) -> str:
    """``1536`` -> ``"1.5 KB"`` (decimal units, as file managers show)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"  # pragma: no cover
