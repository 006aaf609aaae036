#!/usr/bin/env python3
"""Say what this machine has and lacks for the project (run by `make setup`)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env


def main():
    ok = True
    try:
        odoo = odoo_env.locate_odoo()
    except odoo_env.OdooNotFound as exc:
        ok = False
        print("   Odoo 19.0 ........ MISSING")
        print("\n".join("      " + line for line in str(exc).rstrip().splitlines()))
    else:
        print(f"   Odoo ............. {odoo.version} ({', '.join(odoo.package_paths)})")
    problem = odoo_env.check_postgres()
    if problem:
        ok = False
        print(f"   PostgreSQL ....... MISSING: {problem}")
    else:
        print("   PostgreSQL ....... reachable")
    if importlib.util.find_spec("extrabat_core") is None:
        ok = False
        print("   extrabat_core .... MISSING (pip install -e .)")
    else:
        print("   extrabat_core .... importable")
    for label, names, why in (
        ("LibreOffice", ("soffice", "libreoffice"), "letters in PDF from .docx/.odt"),
        ("Chromium", ("chromium", "chromium-browser", "google-chrome"), "Odoo tours"),
        ("wkhtmltopdf", ("wkhtmltopdf",), "PDF reports of Odoo"),
    ):
        found = next((shutil.which(n) for n in names if shutil.which(n)), None)
        if found:
            print(f"   {label + ' ':.<18} {found}")
        else:
            ok = False
            print(f"   {label + ' ':.<18} MISSING (needed for {why})")
    uno = _uno_python() or (
        "MISSING (optional, python3-uno: without it each PDF conversion "
        "starts LibreOffice, about 1 s more)"
    )
    print(f"   {'LibreOffice UNO ':.<18} {uno}")
    print("   => ready" if ok else "   => something is missing (see above)")
    return 0 if ok else 1


def _uno_python():
    """A Python that imports LibreOffice's ``uno`` (see
    extrabat_core.docengine.pdf_server), or ``None``."""
    try:
        from extrabat_core.docengine.pdf_server import find_uno_python
    except ImportError:
        return None
    for python in find_uno_python():
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return python
    return None


if __name__ == "__main__":
    sys.exit(main())
