#!/usr/bin/env python3
"""Long fuzzing runs of the document engine (beyond the bounded pytest ones).

Feeds mutated real templates to ``list_markers`` and ``render``; the only
acceptable failure is ``TemplateError`` (a documented refusal). Anything else
— another exception — is a bug: the input is saved as
``fuzz-crash-<sha1>.bin`` and the run stops with status 1.

Two engines:

* atheris (coverage-guided, ``pip install atheris``)::

      python3 tools/fuzz_docengine.py --atheris -max_total_time=600

* without atheris, a plain random loop (byte flips, XML mutations inside
  valid packages, truncations) for a given time::

      python3 tools/fuzz_docengine.py --seconds 600

The seeds are the test suite's Word/LibreOffice templates and the
benchmark's letters.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

SNIPPETS = [
    b"<!DOCTYPE x>", b"&e;", b"<w:t>", b"</w:t>", b"<w:r>", b"</w:p>", b"<w:p>",
    b"<text:span>", b"</text:span>", b"<text:p>", b"]]>", b"[data.nom]", b"[data.",
    b"<!-- c -->", b"\xff", b"\xc3\xa9", b'"', b"<w:tab/>", b"<text:s/>",
    b"<mc:Fallback>", b"<w:txbxContent>", b"<draw:frame>",
]  # fmt: skip


def seeds() -> list[bytes]:
    from benchmarks import letter_templates as letters
    from tests.docengine import docfixtures as fx

    logo = letters.logo_png()
    return [
        fx.word_kitchen_sink(),
        fx.odt_kitchen_sink(),
        letters.build_docx("data", logo),
        letters.build_odt("data", logo),
    ]


def check(data: bytes) -> None:
    """One input: success, or a documented TemplateError."""
    from extrabat_core.docengine import TemplateError, list_markers, render

    try:
        report = list_markers(data)
        out = render(data, dict.fromkeys(report.names, "v\n1"), append=["fin"])
        list_markers(out)
    except TemplateError:
        return


def mutate(data: bytes, rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.3:  # byte flips anywhere in the zip
        buffer = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            buffer[rng.randrange(len(buffer))] ^= rng.randint(1, 255)
        return bytes(buffer)
    if choice < 0.35:  # truncation
        return data[: rng.randrange(len(data) + 1)]
    # XML mutation inside a valid package
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if n.endswith((".xml", ".rels"))]
    target = rng.choice(names)
    text = bytearray(source.read(target))
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(text) + 1)
        operation = rng.random()
        if operation < 0.4:
            text[position:position] = rng.choice(SNIPPETS)
        elif operation < 0.7:
            del text[position : position + rng.randint(1, 80)]
        else:
            text[position:position] = text[position : position + rng.randint(1, 80)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = bytes(text) if info.filename == target else source.read(info)
            archive.writestr(info, content)
    return out.getvalue()


def save_crash(data: bytes) -> Path:
    path = Path(f"fuzz-crash-{hashlib.sha1(data).hexdigest()[:12]}.bin")
    path.write_bytes(data)
    return path


def random_loop(seconds: float, seed: int) -> int:
    rng = random.Random(seed)
    corpus = seeds()
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        data = mutate(rng.choice(corpus), rng)
        try:
            check(data)
        except Exception:
            path = save_crash(data)
            print(f"crash after {count} inputs; input saved as {path}", file=sys.stderr)
            raise
        count += 1
    print(f"{count} mutated templates in {seconds:g} s: no crash (seed {seed})")
    return 0


def run_atheris(argv) -> int:
    import atheris

    with atheris.instrument_imports():
        from extrabat_core import docengine  # noqa: F401

    corpus = seeds()

    def one_input(data: bytes):
        provider = atheris.FuzzedDataProvider(data)
        template = corpus[provider.ConsumeIntInRange(0, len(corpus) - 1)]
        rng = random.Random(provider.ConsumeInt(8))
        mutated = mutate(template, rng) if provider.ConsumeBool() else data
        try:
            check(mutated)
        except Exception:
            save_crash(mutated)
            raise

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atheris", action="store_true", help="use atheris")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args, rest = parser.parse_known_args()
    if args.atheris:
        return run_atheris(rest)
    return random_loop(args.seconds, args.seed)


if __name__ == "__main__":
    sys.exit(main())
