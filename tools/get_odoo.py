#!/usr/bin/env python3
"""Get Odoo 19.0 Community when none is found (run by ``make setup``).

When Odoo is already importable or ``ODOO_PATH`` is given, this does nothing.
Otherwise it shallow-clones Odoo from its official repository into a cache
folder outside this repository, makes a virtualenv beside it whose Python
imports that Odoo (a ``.pth`` file), installs Odoo's requirements in it with
pins that have wheels for the running Python, and records the location in
``.var/odoo.json`` (read by tools/odoo_env.py) and ``.var/setup.mk`` (read by
the Makefile, so that ``make run``/``make test`` use the virtualenv's Python).

Environment variables:

``ODOO_GIT_URL``
    Repository to clone (default: https://github.com/odoo/odoo.git); a mirror,
    or a local path, when GitHub is out of reach.
``ODOO_REF``
    Branch or tag to clone (default: 19.0).
``ODOO_CACHE_DIR``
    Where the source (``odoo/``) and the virtualenv (``venv/``) go (default:
    ``${XDG_CACHE_HOME:-~/.cache}/extrabat/odoo-<ODOO_REF>``).
``ODOO_SKIP_PIP=1``
    Do not install Odoo's requirements (tests of this tool; never in use).
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env

DEFAULT_GIT_URL = "https://github.com/odoo/odoo.git"
DEFAULT_REF = odoo_env.REQUIRED_SERIE
# The oldest Python whose pins in Odoo's requirements.txt all have wheels:
# older Pythons (3.10, 3.11) get these pins too (they have wheels for them),
# while the pins meant for them (psycopg2 2.9.5, cryptography 3.4.8, lxml
# 4.9.3, gevent 22.10...) must be built from source and fail to.
WHEEL_PINS_PYTHON = (3, 12)
# Package names replaced by one that ships wheels.
RENAMED = {"psycopg2": "psycopg2-binary"}
# Needed only by optional Odoo modules and without wheels (a C compiler and
# the LDAP headers would be needed): left out.
LEFT_OUT = {"python-ldap": "auth_ldap only; needs libldap2-dev and a compiler"}


class FetchFailed(Exception):
    """Getting Odoo failed: the message says what was tried and what to do."""


def pins_python_version(version_info=None):
    """The ``python_version`` under which Odoo's requirement markers are
    evaluated for this Python: its own, or 3.12 when it is older."""
    major, minor = max(tuple(version_info or sys.version_info)[:2], WHEEL_PINS_PYTHON)
    return f"{major}.{minor}"


_VERSION_VARIABLES = {"python_version", "python_full_version"}
_MARKER_TOKEN = re.compile(
    r"\s*(?:(?P<cmp>(?P<var>[a-z_]+)\s*(?P<op>==|!=|>=|<=|>|<)\s*"
    r"(?P<quote>['\"])(?P<value>[^'\"]*)(?P=quote))|(?P<word>and|or|\(|\)))"
)
_OPERATORS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def _version(text):
    return tuple(int(part) for part in re.findall(r"\d+", text))


def evaluate_marker(marker, environment):
    """Evaluate an environment marker of the simple kind Odoo writes
    (``variable <op> 'value'`` joined by ``and``/``or``, parentheses) without
    third-party code: a bare Debian Python has neither ``packaging`` nor pip.
    """
    pieces, position = [], 0
    marker = marker.strip()
    while position < len(marker):
        match = _MARKER_TOKEN.match(marker, position)
        if not match:
            raise ValueError(f"unsupported marker: {marker!r}")
        position = match.end()
        if match.group("word"):
            pieces.append(match.group("word"))
            continue
        var, op, value = match.group("var", "op", "value")
        actual = environment[var]
        if var in _VERSION_VARIABLES:
            result = _OPERATORS[op](_version(actual), _version(value))
        else:
            result = _OPERATORS[op](actual, value)
        pieces.append(result)
    value, end = _parse_or(pieces, 0)
    if end != len(pieces):
        raise ValueError(f"unsupported marker: {marker!r}")
    return value


def _parse_or(pieces, index):
    value, index = _parse_and(pieces, index)
    while index < len(pieces) and pieces[index] == "or":
        right, index = _parse_and(pieces, index + 1)
        value = value or right
    return value, index


def _parse_and(pieces, index):
    value, index = _parse_atom(pieces, index)
    while index < len(pieces) and pieces[index] == "and":
        right, index = _parse_atom(pieces, index + 1)
        value = value and right
    return value, index


def _parse_atom(pieces, index):
    if index < len(pieces) and pieces[index] == "(":
        value, index = _parse_or(pieces, index + 1)
        if index >= len(pieces) or pieces[index] != ")":
            raise ValueError("unbalanced parentheses in a marker")
        return value, index + 1
    if index < len(pieces) and isinstance(pieces[index], bool):
        return pieces[index], index + 1
    raise ValueError("malformed marker")


_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def select_requirements(text, python_version, sys_platform="linux"):
    """Odoo's ``requirements.txt`` ``text`` reduced to the lines that apply to
    ``python_version`` (a ``"3.12"`` string) on ``sys_platform``, without
    their markers and comments, with :data:`RENAMED` names replaced and the
    :data:`LEFT_OUT` packages dropped.

    :return: a list of requirement strings such as ``"lxml==5.2.1"``
    """
    environment = {
        "python_version": python_version,
        "python_full_version": python_version + ".0",
        "sys_platform": sys_platform,
        "platform_system": {"linux": "Linux", "win32": "Windows"}.get(
            sys_platform, sys_platform
        ),
        "os_name": "nt" if sys_platform == "win32" else "posix",
    }
    selected = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement, _sep, marker = line.partition(";")
        requirement = requirement.strip()
        if marker.strip() and not evaluate_marker(marker, environment):
            continue
        match = _NAME.match(requirement)
        if not match:
            continue
        name = match.group(1)
        key = name.lower().replace("_", "-")
        if key in LEFT_OUT:
            continue
        if key in RENAMED:
            requirement = RENAMED[key] + requirement[len(name) :]
        selected.append(requirement)
    return selected


def default_cache_dir(environ, ref):
    if environ.get("ODOO_CACHE_DIR"):
        return Path(environ["ODOO_CACHE_DIR"]).expanduser()
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "extrabat" / f"odoo-{ref}"


def _release_serie(source):
    release = runpy.run_path(str(source / "odoo" / "release.py"))
    major, minor = release["version_info"][:2]
    return release.get("serie") or f"{major}.{minor}"


def clone(git_url, ref, source):
    """Shallow-clone ``ref`` of ``git_url`` into ``source`` (reused when a
    previous run left a complete tree there)."""
    if (source / "odoo" / "release.py").is_file():
        return
    partial = source.with_name(source.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["git", "clone", "--quiet", "--depth=1", f"--branch={ref}", git_url]
    try:
        proc = subprocess.run(
            [*cmd, str(partial)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except FileNotFoundError as exc:
        raise FetchFailed(
            "git is not installed (apt-get install git), so Odoo cannot be "
            "downloaded. Or give an Odoo 19.0 source tree with ODOO_PATH."
        ) from exc
    if proc.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        why = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise FetchFailed(
            f"Could not download Odoo {ref}: `git clone --depth=1 --branch={ref} "
            f"{git_url}` failed:\n    {why}\n"
            "Without access to that repository (offline, proxy, firewall), either\n"
            "  * give an Odoo 19.0 source tree you already have: "
            "ODOO_PATH=/path/to/odoo make setup\n"
            "    (its Python dependencies installed, see the README), or\n"
            "  * clone from a mirror you can reach: "
            "ODOO_GIT_URL=<url or local path> [ODOO_REF=19.0] make setup"
        )
    partial.rename(source)


def make_venv(base_python, venv, source, *, with_pip=True):
    """Create (once) the virtualenv and make it import the Odoo in ``source``.

    :return: the virtualenv's python
    """
    python = venv / "bin" / "python"
    if not python.exists():
        args = [base_python, "-m", "venv", str(venv)]
        if not with_pip:
            args.insert(3, "--without-pip")
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            raise FetchFailed(
                f"Could not create the virtualenv {venv}: "
                f"{proc.stderr.strip() or proc.stdout.strip()}\n"
                "On Debian/Ubuntu: apt-get install python3-venv"
            )
    purelib = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "extrabat-odoo-source.pth").write_text(f"{source}\n")
    return python


def pip_install_requirements(python, requirements_file):
    """Install Odoo's selected requirements in the virtualenv."""
    for args in (
        ["-m", "pip", "install", "-q", "--upgrade", "pip", "wheel", "setuptools"],
        ["-m", "pip", "install", "-q", "-r", str(requirements_file)],
    ):
        if subprocess.run([str(python), *args], check=False).returncode != 0:
            raise FetchFailed(
                f"`{python} {' '.join(args)}` failed (see above). Odoo's "
                f"requirements, as selected for this Python, are in "
                f"{requirements_file}."
            )


def write_state(state_dir, source, python, git_url, ref):
    """Record where Odoo is, for tools/odoo_env.py and the Makefile."""
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "odoo.json").write_text(
        json.dumps(
            {
                "odoo_path": str(source),
                "python": str(python),
                "git_url": git_url,
                "ref": ref,
            },
            indent=2,
        )
        + "\n"
    )
    (state_dir / "setup.mk").write_text(
        "# Written by `make setup` (tools/get_odoo.py): the Python of the\n"
        "# virtualenv that imports the Odoo it downloaded.\n"
        f"PYTHON ?= {python}\n"
    )


def fetch_odoo(
    environ=None,
    *,
    state_dir=None,
    base_python=None,
    pip_install=pip_install_requirements,
    with_pip=True,
):
    """Clone Odoo, make its virtualenv, install its requirements (unless
    ``pip_install`` is None), record it. Return the virtualenv's python."""
    environ = dict(os.environ if environ is None else environ)
    git_url = environ.get("ODOO_GIT_URL") or DEFAULT_GIT_URL
    ref = environ.get("ODOO_REF") or DEFAULT_REF
    cache = default_cache_dir(environ, ref)
    source = cache / "odoo"
    print(f"   cloning Odoo {ref} from {git_url} into {source}", flush=True)
    clone(git_url, ref, source)
    serie = _release_serie(source)
    if serie != odoo_env.REQUIRED_SERIE:
        raise FetchFailed(
            f"{git_url} ({ref}) holds Odoo {serie}, not "
            f"{odoo_env.REQUIRED_SERIE}: set ODOO_REF=19.0 (or remove {cache})."
        )
    python = make_venv(
        base_python or sys.executable, cache / "venv", source, with_pip=with_pip
    )
    pins = pins_python_version()
    selected = select_requirements(
        (source / "requirements.txt").read_text(), pins, sys.platform
    )
    req_file = cache / "requirements-selected.txt"
    req_file.write_text(
        f"# Odoo's requirements.txt as for Python {pins} (tools/get_odoo.py)\n"
        + "\n".join(selected)
        + "\n"
    )
    if pip_install is not None and environ.get("ODOO_SKIP_PIP") != "1":
        print(
            f"   installing Odoo's requirements in {python.parent.parent}", flush=True
        )
        pip_install(python, req_file)
    write_state(
        Path(state_dir) if state_dir else odoo_env.STATE_DIR,
        source,
        python,
        git_url,
        ref,
    )
    return python


def main(argv=None):
    """Exit status: 0 Odoo found or downloaded; 1 the download failed (or,
    with ``--found``, no Odoo found); 2 an Odoo is there but unusable (a wrong
    ODOO_PATH, another version, missing dependencies): nothing downloaded."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        odoo = odoo_env.locate_odoo()
    except odoo_env.OdooNotFound as exc:
        if "--found" in argv:
            return 1
        if os.environ.get("ODOO_PATH") or str(exc) != odoo_env.GET_ODOO:
            # An Odoo was given or is there but unusable: say so rather
            # than hide it behind a download.
            print(str(exc), file=sys.stderr)
            return 2
    else:
        if "--found" not in argv:
            print(f"   Odoo {odoo.version} found ({', '.join(odoo.package_paths)})")
        return 0
    try:
        python = fetch_odoo()
    except FetchFailed as exc:
        print(f"\nFAILED to get Odoo.\n{exc}", file=sys.stderr)
        return 1
    print(f"   Odoo ready; its Python: {python}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
