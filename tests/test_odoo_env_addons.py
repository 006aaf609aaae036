"""Addons installed by pip (``odoo-addon-*`` wheels such as OCA's
queue_job) are found beside an Odoo run from its source tree."""

import sys

import odoo_env


def _python_without_site(tmp_path):
    """A Python that sees no site-packages (nor the real Odoo's .pth)."""
    wrapper = tmp_path / "python-S"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def _package(root, files):
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def test_pip_installed_addons_come_after_odoos_own(tmp_path):
    source, site = tmp_path / "odoo-src", tmp_path / "site-packages"
    # ``odoo`` is a namespace package: the source tree and site-packages
    # both hold a part of it.
    _package(
        source,
        {
            "odoo/release.py": "version = '19.0'\nserie = '19.0'\n",
            "odoo/addons/base/__manifest__.py": "{}",
            "addons/web/__manifest__.py": "{}",
        },
    )
    _package(site, {"odoo/addons/queue_job/__manifest__.py": "{}"})
    odoo = odoo_env.locate_odoo(
        {"PYTHONPATH": f"{source}:{site}", "PATH": "/usr/bin:/bin"},
        python=_python_without_site(tmp_path),
        state_file=tmp_path / "none.json",
    )
    assert odoo.addons_paths == [
        str(source / "addons"),
        str(source / "odoo" / "addons"),
        str(site / "odoo" / "addons"),
    ]
    assert odoo_env.optional_addons(odoo) == ("extrabat_queue",)


def test_without_queue_job_no_optional_addon(tmp_path):
    source = tmp_path / "odoo-src"
    _package(
        source,
        {
            "odoo/release.py": "version = '19.0'\nserie = '19.0'\n",
            "odoo/addons/base/__manifest__.py": "{}",
        },
    )
    odoo = odoo_env.locate_odoo(
        {"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        python=_python_without_site(tmp_path),
        state_file=tmp_path / "none.json",
    )
    assert odoo_env.optional_addons(odoo) == ()
