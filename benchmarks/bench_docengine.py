#!/usr/bin/env python3
"""Benchmark of extrabat_core.docengine against docxtpl and py3o.template.

The same two-page letter (benchmarks/letter_templates.py: header with a logo,
footer, 22 markers — 24 occurrences, 13 split across runs/spans — and a
table), rendered N times from the template's bytes in the same run by:

* .docx: extrabat_core.docengine (``[data.name]``) and docxtpl
  (``{{ name }}``, a fresh ``DocxTemplate`` per letter, as its docs do);
* .odt: extrabat_core.docengine and py3o.template (``py3o.name`` user fields).

Prints letters per second, milliseconds per letter, the ratio against the
peer, and the process's memory (RSS) after the first letter and after all of
ours (10,000 by default). A second line renders from a new bytes object each
time, as Odoo does when it reads the template from its filestore. Usage::

    python3 benchmarks/bench_docengine.py [--renders 10000] [--peer-renders 100]
                                          [--format docx|odt|both]

Timings depend on the machine; compare the ratio, measured in the same run.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import platform
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))  # this checkout's package

import letter_templates as lt
import psutil

from extrabat_core import docengine

MB = 1024 * 1024


def rss() -> float:
    return psutil.Process().memory_info().rss / MB


def timed(function, count):
    """Seconds per call of ``function`` over ``count`` calls (after one warm-up)."""
    function()
    gc.collect()
    started = time.perf_counter()
    for _ in range(count):
        function()
    return (time.perf_counter() - started) / count


def check(data: bytes, member: str, values: dict) -> None:
    """The peer and we did the same work: every value is in the output."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(
            archive.read(name)
            for name in archive.namelist()
            if name.endswith(".xml") and not name.startswith("docProps")
        ).decode("utf-8")
    missing = [
        name
        for name, value in values.items()
        if value.split("\n")[0].replace("'", "&apos;") not in xml
        and value.split("\n")[0] not in xml
    ]
    if missing:
        raise SystemExit(f"{member}: values missing from the output: {missing}")


def ours(template: bytes, values: dict):
    def render():
        return docengine.render(template, values)

    return render


def ours_fresh_bytes(template: bytes, values: dict):
    """As in Odoo, where each letter reads the template from the filestore:
    a new bytes object every time (copied, hashed and compared by the cache;
    the copy is timed too)."""
    source = bytearray(template)

    def render():
        return docengine.render(bytes(source), values)

    return render


def docxtpl_peer(template: bytes, values: dict):
    from docxtpl import DocxTemplate

    def render():
        document = DocxTemplate(io.BytesIO(template))
        document.render(values, autoescape=True)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return render


def py3o_peer(template: bytes, values: dict):
    from py3o.template import Template

    def render():
        out = io.BytesIO()
        Template(io.BytesIO(template), out).render(values)
        return out.getvalue()

    return render


def line(label, seconds, count):
    print(
        f"  {label:<30} {count:>6} letters {seconds * 1000:>9.3f} ms/letter "
        f"{1 / seconds:>9.0f} letters/s"
    )


def bench_format(fmt, args, logo):
    if fmt == "docx":
        template = lt.build_docx("data", logo)
        peer_template = lt.build_docx("jinja", logo)
        peer_name = "docxtpl " + __import__("docxtpl").__version__
        peer = docxtpl_peer(peer_template, lt.VALUES)
    else:
        template = lt.build_odt("data", logo)
        peer_template = lt.build_odt("py3o", logo)
        peer_name = "py3o.template " + _version("py3o.template")
        peer = py3o_peer(peer_template, lt.VALUES)
    report = docengine.list_markers(template)
    print(
        f"\n.{fmt}: {len(template) / 1000:.1f} KB template, {len(report.names)} "
        f"markers ({sum(m.count for m in report.markers)} occurrences), "
        f"logo {len(logo) / 1000:.1f} KB"
    )
    docengine.clear_cache()
    started = time.perf_counter()
    first = docengine.render(template, lt.VALUES)
    cold = time.perf_counter() - started
    check(first, f"extrabat_core ({fmt})", lt.VALUES)
    check(peer(), f"{peer_name} ({fmt})", lt.VALUES)

    render = ours(template, lt.VALUES)
    gc.collect()
    rss_start = rss()
    ours_seconds = timed(render, args.renders)
    gc.collect()
    rss_end = rss()
    fresh_seconds = timed(ours_fresh_bytes(template, lt.VALUES), args.renders // 10)
    peer_seconds = timed(peer, args.peer_renders)
    print(f"  first letter (template compiled and cached): {cold * 1000:.1f} ms")
    line("extrabat_core.docengine", ours_seconds, args.renders)
    line("  same, template bytes re-read", fresh_seconds, args.renders // 10)
    line(peer_name, peer_seconds, args.peer_renders)
    print(
        f"  ratio: {peer_seconds / ours_seconds:.1f}x faster than {peer_name} "
        f"({peer_seconds / fresh_seconds:.1f}x with the template bytes re-read)"
    )
    print(
        f"  memory (RSS): {rss_start:.1f} MB after the first letter, "
        f"{rss_end:.1f} MB after {args.renders} more ({rss_end - rss_start:+.1f} MB)"
    )
    return peer_seconds / ours_seconds, ours_seconds


def _version(distribution):
    from importlib.metadata import version

    return version(distribution)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=10_000)
    parser.add_argument("--peer-renders", type=int, default=100)
    parser.add_argument("--format", choices=("docx", "odt", "both"), default="both")
    args = parser.parse_args(argv)
    print(
        f"Document engine benchmark — Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, lxml {_version('lxml')}"
    )
    logo = lt.logo_png()
    formats = ("docx", "odt") if args.format == "both" else (args.format,)
    for fmt in formats:
        bench_format(fmt, args, logo)


if __name__ == "__main__":
    main()
