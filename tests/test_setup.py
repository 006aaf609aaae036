"""The set-up of a fresh machine: getting Odoo (offline, from a local git
repository holding a fake Odoo tree), the pins chosen for this Python, the
requirements split, docker-compose.yml and the pre-commit hooks."""

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import get_odoo
import odoo_env
import pytest
import yaml
from conftest import ROOT

# Lines as in Odoo 19.0's requirements.txt (markers, comments, Windows-only).
ODOO_REQUIREMENTS = """\
# a comment line
asn1crypto==1.4.0 ; python_version < '3.11'
asn1crypto==1.5.1 ; python_version >= '3.11'
Babel==2.10.3 ; python_version >= '3.11' and python_version < '3.13'
Babel==2.17.0 ; python_version >= '3.13'
cryptography==3.4.8; python_version < '3.12'  # incompatibility ...
cryptography==42.0.8 ; python_version >= '3.12'  # (Noble)
geoip2==2.9.0
gevent==22.10.2; sys_platform != 'win32' and python_version > '3.10' \
and python_version < '3.12'
gevent==24.2.1 ; sys_platform != 'win32' and python_version >= '3.12' \
and python_version < '3.13'  # (Noble)
lxml==4.9.3 ; python_version > '3.10' and python_version < '3.12' # min 4.9.2
lxml==5.2.1; python_version >= '3.12' # (Noble - removed html clean)
lxml-html-clean; python_version >= '3.12' # (Noble)
psycopg2==2.9.5 ; python_version == '3.11'
psycopg2==2.9.9 ; python_version >= '3.12' and python_version < '3.13' # (Noble)
psycopg2==2.9.10 ; python_version >= '3.13' # (Trixie)
pypiwin32 ; sys_platform == 'win32'
python-ldap==3.4.4 ; sys_platform != 'win32' and python_version >= '3.12'
pytz  # no version pinning to avoid OS perturbations
"""


# -- which pins -------------------------------------------------------------


@pytest.mark.parametrize(
    ("version_info", "expected"),
    [
        ((3, 10, 12), "3.12"),
        ((3, 11, 7), "3.12"),
        ((3, 12, 3), "3.12"),
        ((3, 13, 1), "3.13"),
    ],
)
def test_older_pythons_get_the_pins_that_have_wheels(version_info, expected):
    assert get_odoo.pins_python_version(version_info) == expected


def test_requirements_for_python_3_11_are_the_3_12_pins_with_psycopg2_binary():
    selected = get_odoo.select_requirements(
        ODOO_REQUIREMENTS, get_odoo.pins_python_version((3, 11, 7)), "linux"
    )
    assert selected == [
        "asn1crypto==1.5.1",
        "Babel==2.10.3",
        "cryptography==42.0.8",
        "geoip2==2.9.0",
        "gevent==24.2.1",
        "lxml==5.2.1",
        "lxml-html-clean",
        "psycopg2-binary==2.9.9",
        "pytz",
    ]


def test_requirements_for_python_3_13_keep_their_own_pins():
    selected = get_odoo.select_requirements(ODOO_REQUIREMENTS, "3.13", "linux")
    assert "Babel==2.17.0" in selected
    assert "psycopg2-binary==2.9.10" in selected
    assert not any(
        r.startswith(("gevent", "pypiwin32", "python-ldap")) for r in selected
    )


@pytest.mark.parametrize(
    "marker",
    [
        "python_version < '3.11'",
        "python_version >= '3.12' and python_version < '3.13'",
        "sys_platform != 'win32' and python_version > '3.10'",
        "sys_platform == 'win32' or (python_version == '3.12' and os_name == 'posix')",
        "python_version <= '3.9'",
        "python_full_version >= '3.12.0'",
    ],
)
@pytest.mark.parametrize("version", ["3.10", "3.12", "3.13"])
def test_markers_are_evaluated_as_packaging_does(marker, version):
    """Without packaging nor pip (a bare Debian Python), same answers."""
    markers = pytest.importorskip("packaging.markers")
    environment = {
        "python_version": version,
        "python_full_version": version + ".0",
        "sys_platform": "linux",
        "os_name": "posix",
    }
    assert get_odoo.evaluate_marker(marker, environment) == markers.Marker(
        marker
    ).evaluate(environment)


@pytest.mark.skipif(
    not Path("/opt/odoo19/requirements.txt").is_file(), reason="no Odoo source here"
)
def test_odoo_19_requirements_give_one_pin_per_package():
    text = Path("/opt/odoo19/requirements.txt").read_text()
    selected = get_odoo.select_requirements(
        text, get_odoo.pins_python_version(), "linux"
    )
    names = [re.split(r"[=<>!~ ]", r)[0].lower() for r in selected]
    assert len(names) == len(set(names)), names
    assert "psycopg2-binary" in names and "psycopg2" not in names
    assert "python-ldap" not in names
    assert all(";" not in r and "#" not in r for r in selected)


# -- getting Odoo from a git URL (a local fake repository: no network) -------


def _git(*args, cwd):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def fake_odoo_repo(tmp_path):
    repo = tmp_path / "odoo.git"
    (repo / "odoo").mkdir(parents=True)
    (repo / "odoo" / "__init__.py").write_text("")
    (repo / "odoo" / "release.py").write_text(
        "version_info = (19, 0, 0, 'final', 0, '')\nserie = '19.0'\nversion = '19.0'\n"
    )
    (repo / "addons" / "web").mkdir(parents=True)
    (repo / "addons" / "web" / "__manifest__.py").write_text("{'name': 'Web'}\n")
    (repo / "requirements.txt").write_text(ODOO_REQUIREMENTS)
    _git("init", "-q", cwd=repo)
    _git("checkout", "-q", "-b", "19.0", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "fake Odoo", cwd=repo)
    return repo


def _bare_python(path):
    """A Python without any Odoo importable (this machine has one)."""
    venv.EnvBuilder(with_pip=False).create(path)
    return str(path / "bin" / "python")


def test_odoo_is_cloned_into_the_cache_and_found_through_its_virtualenv(
    tmp_path, fake_odoo_repo
):
    cache = tmp_path / "cache"
    state = tmp_path / "state"
    installs = []
    environ = {
        "ODOO_GIT_URL": str(fake_odoo_repo),
        "ODOO_REF": "19.0",
        "ODOO_CACHE_DIR": str(cache),
        "HOME": str(tmp_path),
    }
    python = get_odoo.fetch_odoo(
        environ,
        state_dir=state,
        pip_install=lambda py, req: installs.append((py, req.read_text())),
        with_pip=False,
    )
    source = cache / "odoo"
    assert (source / "odoo" / "release.py").is_file()
    assert python == cache / "venv" / "bin" / "python"
    # The pip step got Odoo's requirements as selected for this Python.
    ((pip_python, requirements),) = installs
    assert pip_python == python
    assert "psycopg2-binary==2.9.9" in requirements.splitlines()
    assert ";" not in requirements
    # Recorded for tools/odoo_env.py and the Makefile.
    recorded = json.loads((state / "odoo.json").read_text())
    assert recorded["odoo_path"] == str(source)
    assert recorded["python"] == str(python)
    assert f"PYTHON ?= {python}" in (state / "setup.mk").read_text()
    # The virtualenv's Python imports that Odoo.
    out = subprocess.run(
        [str(python), "-c", "import odoo.release as r; print(r.serie)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "19.0"
    # A Python without Odoo finds it through the record, and runs Odoo with
    # the virtualenv's Python and the fake tree's addons.
    bare = _bare_python(tmp_path / "bare")
    found = odoo_env.locate_odoo(
        {"PATH": os.environ["PATH"]}, python=bare, state_file=state / "odoo.json"
    )
    assert found.version == "19.0"
    assert found.python == str(python)
    assert found.addons_paths == [str(source / "addons")]
    assert odoo_env.odoo_command(found, with_db=False)[:3] == [
        str(python),
        "-m",
        "odoo",
    ]
    # A second run reuses the clone and the virtualenv.
    (source / "marker").write_text("kept")
    get_odoo.fetch_odoo(environ, state_dir=state, pip_install=None, with_pip=False)
    assert (source / "marker").read_text() == "kept"


def test_another_serie_than_19_is_refused(tmp_path, fake_odoo_repo):
    (fake_odoo_repo / "odoo" / "release.py").write_text(
        "version_info = (18, 0, 0, 'final', 0, '')\nserie = '18.0'\nversion = '18.0'\n"
    )
    _git("commit", "-q", "-am", "18.0", cwd=fake_odoo_repo)
    with pytest.raises(get_odoo.FetchFailed, match="ODOO_REF=19.0"):
        get_odoo.fetch_odoo(
            {
                "ODOO_GIT_URL": str(fake_odoo_repo),
                "ODOO_CACHE_DIR": str(tmp_path / "c"),
            },
            state_dir=tmp_path / "state",
            pip_install=None,
            with_pip=False,
        )
    assert not (tmp_path / "state").exists()


def test_an_unreachable_repository_says_what_was_tried_and_what_to_do(tmp_path):
    url = str(tmp_path / "nowhere.git")
    with pytest.raises(get_odoo.FetchFailed) as caught:
        get_odoo.fetch_odoo(
            {"ODOO_GIT_URL": url, "ODOO_CACHE_DIR": str(tmp_path / "c")},
            state_dir=tmp_path / "state",
            pip_install=None,
        )
    message = str(caught.value)
    assert url in message
    assert "ODOO_PATH=" in message and "ODOO_GIT_URL=" in message
    assert not (tmp_path / "c" / "odoo").exists()
    assert not (tmp_path / "state").exists()


@pytest.mark.skipif(
    (ROOT / ".var" / "odoo.json").exists(), reason="this checkout has a downloaded Odoo"
)
def test_setup_step_fails_with_one_clear_message_when_offline(tmp_path):
    bare = _bare_python(tmp_path / "bare")
    url = "https://odoo.invalid/odoo.git"
    proc = subprocess.run(
        [bare, str(ROOT / "tools" / "get_odoo.py")],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "ODOO_GIT_URL": url,
            "ODOO_CACHE_DIR": str(tmp_path / "cache"),
        },
    )
    assert proc.returncode == 1
    assert "FAILED to get Odoo" in proc.stderr
    assert url in proc.stderr and "ODOO_PATH" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_nothing_is_fetched_when_odoo_is_found(tmp_path):
    """This machine's Odoo (importable, or ODOO_PATH) is used as it is."""
    try:
        odoo_env.locate_odoo()
    except odoo_env.OdooNotFound:
        pytest.skip("no Odoo on this machine")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "get_odoo.py")],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "ODOO_GIT_URL": "https://odoo.invalid/x.git",
            "ODOO_CACHE_DIR": str(tmp_path / "cache"),
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert "found" in proc.stdout
    assert not (tmp_path / "cache").exists()


# -- requirements, docker-compose.yml, pre-commit -----------------------------


def _requirement_names(path):
    names = {}
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name = re.split(r"[=<>!~ ;\[]", line)[0].lower()
            names[name] = line
    return names


def test_runtime_and_test_requirements_are_split():
    runtime = _requirement_names("requirements.txt")
    test = _requirement_names("requirements-test.txt")
    assert {"lxml", "pillow", "openpyxl"} <= set(runtime)
    assert {
        "pytest",
        "ruff",
        "pylint-odoo",
        "hypothesis",
        "websocket-client",
        "docxtpl",
        "py3o.template",
        "pyyaml",
    } <= set(test)
    assert not set(runtime) & set(test)
    setup = (ROOT / "tools" / "setup.sh").read_text()
    assert "-r requirements.txt -r requirements-test.txt" in setup


def test_docker_compose_serves_odoo_19_with_this_folder_as_extra_addons():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    odoo = services["odoo"]
    assert odoo["image"] == "odoo:19.0"
    assert ".:/mnt/extra-addons:ro" in odoo["volumes"]
    assert odoo["environment"]["PYTHONPATH"] == "/mnt/extra-addons/src"
    assert odoo["environment"]["HOST"] == "db"
    command = odoo["command"]
    assert command[0] == "odoo"
    init = next(a for a in command if a.startswith("--init="))
    assert set(odoo_env.OUR_ADDONS) <= set(init.split("=", 1)[1].split(","))
    assert "8069:8069" in odoo["ports"]
    assert set(compose["volumes"]) == {"db-data", "odoo-data"}


def test_pre_commit_hooks_are_the_linters_of_make_test_at_their_pinned_versions():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    repos = {r["repo"]: r for r in config["repos"]}
    pins = _requirement_names("requirements-test.txt")
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    assert pins["ruff"] == f"ruff=={ruff['rev'].removeprefix('v')}"
    assert {h["id"] for h in ruff["hooks"]} == {"ruff", "ruff-format"}
    pylint = repos["https://github.com/OCA/pylint-odoo"]
    assert pins["pylint-odoo"] == f"pylint-odoo=={pylint['rev'].removeprefix('v')}"
    (hook,) = pylint["hooks"]
    assert hook["id"] == "pylint_odoo"
    assert "--rcfile=.pylintrc-mandatory" in hook["args"]
    for addon in odoo_env.OUR_ADDONS:
        assert re.search(hook["files"], f"{addon}/models/x.py")
    # The same rcfile as tests/test_lint.py
    assert (
        "--rcfile=.pylintrc-mandatory" in (ROOT / "tests" / "test_lint.py").read_text()
    )


def test_makefile_uses_the_python_recorded_by_setup():
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.index("-include .var/setup.mk") < makefile.index(
        "PYTHON ?= python3"
    )
    assert "/.var/" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_wrong_odoo_path_is_reported_not_hidden_behind_a_download(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "get_odoo.py")],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "ODOO_PATH": str(tmp_path / "no-odoo-here"),
            "ODOO_CACHE_DIR": str(tmp_path / "cache"),
        },
    )
    assert proc.returncode == 2
    assert "ODOO_PATH=" in proc.stderr and "no odoo/release.py" in proc.stderr
    assert not (tmp_path / "cache").exists()
