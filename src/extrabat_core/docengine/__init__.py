"""Fill ``[data.name]`` markers in Word (.docx) and LibreOffice (.odt)
templates — framework-free (standard library, lxml, Pillow).

Usage::

    from extrabat_core.docengine import render, list_markers, ImageValue

    report = list_markers("lettre.docx")        # validate at upload
    report.names                                 # ["nom_client", ...]
    data = render("lettre.docx", {"nom_client": "Dupont", "logo": ImageValue(png)})

See ``src/extrabat_core/README.md`` for markers, values, limits and errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import ConversionError, ImageValueError, TemplateError
from .images import ImageValue
from .markers import MARKER_RE
from .package import DEFAULT_LIMITS, Limits
from .pdf import convert_many_to_pdf, convert_to_pdf, find_soffice
from .template import (
    MarkerInfo,
    MarkerReport,
    Template,
    cache_info,
    check_declared_format,
    clear_cache,
    compile_template,
    configure_cache,
    load_template,
)


def render(
    template,
    values: Mapping | None = None,
    *,
    unknown: str = "keep",
    append: Iterable | None = None,
    limits: Limits | None = None,
    filename=None,
) -> bytes:
    """Fill a template's markers and return the document, same format.

    :param template: bytes, a path, a binary file object or a
        :class:`Template`.
    :param values: marker name (without ``data.``) -> value: ``str`` (plain
        text: XML escaped, ``"\\n"`` a line break, ``"\\t"`` a tab), an
        :class:`ImageValue` or PNG/JPEG ``bytes`` (a picture), ``None`` (empty);
        anything else is converted with ``str()``.
    :param unknown: markers without a value are left as typed (``"keep"``) or
        removed (``"empty"``).
    :param append: values added as new paragraphs at the end of the body
        (e.g. a signature when the template has no marker for it).
    :param limits: caps for untrusted templates (default :data:`DEFAULT_LIMITS`).
    :param filename: the template's file name as uploaded (defaults to the
        path's): ``"lettre.docx"`` holding an .odt is refused.
    :raise TemplateError: the template or an image value is refused
        (``wrong_format`` when it is not what its name says).
    """
    compiled = load_template(template, limits=limits, filename=filename)
    return compiled.render(values, unknown=unknown, append=append, limits=limits)


def list_markers(
    template, *, limits: Limits | None = None, filename=None
) -> MarkerReport:
    """The markers a template contains: names, counts, locations.

    :param filename: see :func:`render`.
    :raise TemplateError: the template is refused (the same checks as render).
    """
    return load_template(template, limits=limits, filename=filename).report


def detect_format(template, *, limits: Limits | None = None, filename=None) -> str:
    """``"docx"`` or ``"odt"`` (``.dotx``/``.ott`` templates included).

    The whole template is checked, as for :func:`render`.
    :param filename: see :func:`render`.
    :raise TemplateError: not a usable .docx/.odt.
    """
    return load_template(template, limits=limits, filename=filename).format


__all__ = [
    "DEFAULT_LIMITS",
    "MARKER_RE",
    "ConversionError",
    "ImageValue",
    "ImageValueError",
    "Limits",
    "MarkerInfo",
    "MarkerReport",
    "Template",
    "TemplateError",
    "cache_info",
    "check_declared_format",
    "clear_cache",
    "compile_template",
    "configure_cache",
    "convert_many_to_pdf",
    "convert_to_pdf",
    "detect_format",
    "find_soffice",
    "list_markers",
    "load_template",
    "render",
]
