"""Command line of the document engine (``python -m extrabat_core``).

::

    python -m extrabat_core markers TEMPLATE [--json]
    python -m extrabat_core render TEMPLATE VALUES.json OUTPUT [--unknown empty]

``markers`` prints the marker names found, one per line (``--json``: names,
counts, locations and malformed markers). ``render`` fills the template with
VALUES.json — an object mapping marker names (without ``data.``) to strings
(numbers are converted, ``null`` is empty), or to ``{"image": "logo.png",
"width_mm": 40}`` for a picture (path relative to the JSON file) — and writes
OUTPUT; an OUTPUT ending in ``.pdf`` is converted with LibreOffice. On bad
input the exit status is 2 (1 for a failed PDF conversion) with a one-line
message on stderr, in English.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import ConversionError, TemplateError
from .images import ImageValue
from .pdf import convert_to_pdf
from .template import load_template

USAGE_ERROR = 2
CONVERSION_FAILED = 1


class CliError(Exception):
    """A one-line error (in English, as the engine's messages)."""

    def __init__(self, message_en):
        super().__init__(message_en)
        self.message_en = message_en


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CliError(
            f"{message} (see: python -m extrabat_core --help)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m extrabat_core",
        description="Fill [data.*] markers in .docx/.odt templates.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    markers = commands.add_parser("markers", help="list the markers of a template")
    markers.add_argument("template", help=".docx or .odt file")
    markers.add_argument(
        "--json", action="store_true", help="names, counts, locations as JSON"
    )
    render = commands.add_parser("render", help="fill a template")
    render.add_argument("template", help=".docx or .odt file")
    render.add_argument("values", help="JSON object: marker name -> value")
    render.add_argument("output", help="output file (.docx/.odt, or .pdf)")
    render.add_argument(
        "--unknown",
        choices=("keep", "empty"),
        default="keep",
        help="markers without a value: left as typed (default) or removed",
    )
    render.add_argument(
        "--timeout", type=float, default=120, help="PDF conversion timeout (seconds)"
    )
    return parser


def _load(path):
    try:
        return load_template(Path(path))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CliError(
            f"cannot read {path}: {reason}",
        ) from None


def _values(path) -> dict:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CliError(
            f"cannot read {path}: {reason}",
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CliError(
            f"{path} is not valid JSON: {exc}",
        ) from None
    if not isinstance(raw, dict):
        raise CliError(
            f"{path} must hold a JSON object (marker name: value)",
        )
    base = Path(path).resolve().parent
    return {str(key): _value(key, value, base) for key, value in raw.items()}


def _value(key, value, base):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("image"), str):
        image_path = base / value["image"]
        try:
            data = image_path.read_bytes()
            return ImageValue(data, value.get("width_mm"), value.get("height_mm"))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CliError(
                f"cannot read the image of {key}: {image_path}: {reason}",
            ) from None
        except (TypeError, ValueError):
            raise CliError(
                f"bad image size for {key}",
            ) from None
    raise CliError(
        f'value of {key} must be a string or {{"image": path}}',
    )


def _markers(args) -> int:
    report = _load(args.template).report
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for name in report.names:
            print(name)
    return 0


def _render(args) -> int:
    template = _load(args.template)
    values = _values(args.values)
    output = Path(args.output)
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in ("pdf", template.format):
        raise CliError(
            f"{output.name}: the output must end in .{template.format} or .pdf "
            f"(the template is a .{template.format})",
        )
    data = template.render(values, unknown=args.unknown)
    if suffix == "pdf":
        data = convert_to_pdf(data, template.format, timeout=args.timeout)
    try:
        output.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CliError(
            f"cannot write {output}: {reason}",
        ) from None
    return 0


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "markers":
            return _markers(args)
        return _render(args)
    except (CliError, TemplateError) as exc:
        print(f"error: {exc.message_en}", file=sys.stderr)
        return USAGE_ERROR
    except ConversionError as exc:
        print(f"error: {exc.message_en}", file=sys.stderr)
        return CONVERSION_FAILED
