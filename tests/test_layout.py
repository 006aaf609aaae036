"""The repository's shape: addons, manifests, readme, translations, sources."""

import ast
import os
import re
import subprocess
import sys

import polib
import pytest
from conftest import ROOT

ADDONS = [
    "extrabat_crm",
    "extrabat_letters",
    "extrabat_dashboard_mail",
    "extrabat_queue",
    "extrabat_stock",
]


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    data = manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "LGPL-3"
    assert "description" not in data
    assert "extrabat_core" in data["external_dependencies"]["python"]
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), f"{addon}: {path} is listed but missing"
    # Files of data/, views/, security/, wizards/, report/, demo/ are all loaded.
    listed = set(data.get("data", []) + data.get("demo", []))
    for folder in ("data", "views", "security", "wizards", "report", "demo"):
        for path in (ROOT / addon / folder).glob("*"):
            if path.suffix in (".xml", ".csv"):
                rel = str(path.relative_to(ROOT / addon))
                assert rel in listed, f"{addon}: {rel} is not in the manifest"


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_fragments_and_generated_readme(addon):
    for name in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "DEVELOP.md"):
        text = (ROOT / addon / "readme" / name).read_text()
        assert text.strip(), f"{addon}/readme/{name} is empty"
    import gen_readme

    assert (ROOT / addon / "README.rst").read_text() == gen_readme.render(addon), (
        "README.rst is generated: run tools/gen_readme.py"
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_french_translation_files(addon):
    i18n = ROOT / addon / "i18n"
    assert not (i18n / "en.po").exists()
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    po = polib.pofile(str(i18n / "fr.po"))
    assert {e.msgid for e in pot} == {e.msgid for e in po if not e.obsolete}, (
        "fr.po and the .pot differ: run tools/i18n.py"
    )
    untranslated = [e.msgid for e in po if not e.msgstr.strip() and not e.obsolete]
    assert untranslated == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []


@pytest.mark.parametrize("addon", ADDONS)
def test_whool_pyproject(addon):
    assert (
        'build-backend = "whool.buildapi"'
        in (ROOT / addon / "pyproject.toml").read_text()
    )


def test_no_odoo_source_is_tracked():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert files, "not a git checkout"
    offending = [
        f
        for f in files
        if f.startswith(("odoo/", "addons/", "odoo-bin"))
        or f.split("/")[0] in ("base", "web", "sale", "account", "mail")
    ]
    assert offending == []
    for f in files:
        path = ROOT / f
        if path.suffix in (".py", ".xml", ".js") and path.is_file():
            head = path.read_text(errors="replace")[:400]
            assert "Part of Odoo. See LICENSE" not in head, f"{f} comes from Odoo"


def test_framework_free_package_imports_without_odoo():
    code = (
        "import sys, extrabat_core, pkgutil, importlib;"
        "[importlib.import_module(m.name) for m in "
        "pkgutil.walk_packages(extrabat_core.__path__, 'extrabat_core.')"
        " if not m.name.endswith('__main__')];"
        "assert not any(n == 'odoo' or n.startswith('odoo.') for n in sys.modules), "
        "sorted(n for n in sys.modules if n.startswith('odoo'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        # This checkout's package, whatever is pip-installed.
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("addon", ADDONS)
def test_generated_readme_is_valid_restructuredtext(addon):
    """Odoo renders README.rst in the Apps menu and logs a warning (a failure
    of the Odoo tier) when docutils complains."""
    docutils_core = pytest.importorskip("docutils.core")
    import io

    errors = io.StringIO()
    docutils_core.publish_string(
        (ROOT / addon / "README.rst").read_text(),
        writer_name="html",
        settings_overrides={
            "warning_stream": errors,
            "report_level": 2,
            "halt_level": 5,
        },
    )
    assert errors.getvalue() == ""
