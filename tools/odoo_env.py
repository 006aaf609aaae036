"""Find an installed Odoo 19.0 and build the command lines that run it.

Nothing here downloads, builds or installs Odoo: it looks for an Odoo that is
already importable (``import odoo``), a source tree given by ``ODOO_PATH``, or
the one ``make setup`` downloaded (tools/get_odoo.py, recorded in
``.var/odoo.json`` with the Python of its virtualenv), and says plainly what is
missing otherwise.

Environment variables:

``ODOO_PATH``
    Folder of an Odoo 19.0 source tree (the folder holding ``odoo/`` and
    ``addons/``). Optional when ``odoo`` is importable.
``DB_HOST``, ``DB_PORT``, ``DB_USER``, ``DB_PASSWORD``
    PostgreSQL connection. Default: the libpq defaults (``PGHOST``,
    ``PGPORT``, ``PGUSER``... or the local socket and the current user).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = REPO_ROOT / ".var"
OUR_ADDONS = (
    "extrabat_crm",
    "extrabat_letters",
    "extrabat_dashboard_mail",
    "extrabat_stock",
)
#: Our addons that bridge to an optional OCA addon, with the addon they need
#: (installed with ``pip install --no-deps odoo-addon-<name>``): tested,
#: served and translated only when that addon is found.
OPTIONAL_ADDONS = {"extrabat_queue": "queue_job"}
REQUIRED_SERIE = "19.0"

GET_ODOO = """\
Odoo 19.0 Community is needed and none was found.
`make setup` downloads it (from ODOO_GIT_URL, default the official repository).
Or give its location with ODOO_PATH=/path/to/odoo (the folder holding odoo/ and
addons/), or install it so that `python3 -c "import odoo"` works. Usual ways:
  * the official packages: https://nightly.odoo.com (19.0, deb or rpm);
  * the source archive: https://github.com/odoo/odoo/archive/refs/heads/19.0.zip
    (or `git clone -b 19.0 --depth 1 https://github.com/odoo/odoo`), then
    `pip install -r requirements.txt` in it;
  * the Docker image `odoo:19.0` (mount this folder as /mnt/extra-addons).
"""


class OdooNotFound(Exception):
    """No usable Odoo 19.0: the message says why and what to do."""


@dataclass
class OdooInstall:
    """An Odoo found on this machine."""

    version: str
    package_paths: list[str]
    pythonpath: str | None = None
    addons_paths: list[str] = field(default_factory=list)
    # The Python that imports this Odoo (a virtualenv's, for the Odoo that
    # `make setup` downloaded).
    python: str = sys.executable

    def env(self, base=None):
        """Environment for a subprocess that must import this Odoo."""
        env = dict(os.environ if base is None else base)
        # This checkout's extrabat_core first (a worktree may differ from the
        # editable install), then the Odoo source tree if one was given.
        env["PYTHONPATH"] = os.pathsep.join(
            p
            for p in (str(REPO_ROOT / "src"), self.pythonpath, env.get("PYTHONPATH"))
            if p
        )
        return env

    def addons_path_option(self):
        """``--addons-path`` value: Odoo's addons folders then this repository."""
        return ",".join([*self.addons_paths, str(REPO_ROOT)])


_PROBE = (
    "import json, odoo.release as r, odoo;"
    "print(json.dumps({'version': r.version, 'serie': r.serie,"
    " 'paths': list(odoo.__path__)}))"
)


def _probe(python, environ):
    """Import odoo with ``python``: ``(info, None)`` or ``(None, stderr)``."""
    try:
        proc = subprocess.run(
            [python, "-c", _PROBE],
            capture_output=True,
            text=True,
            env=environ,
            cwd="/",
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OdooNotFound("Importing odoo took more than 2 minutes.") from exc
    except OSError as exc:
        return None, f"{python}: {exc}"
    if proc.returncode != 0:
        return None, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), None


def _recorded(state_file):
    """The Odoo that `make setup` downloaded, if any: ``(odoo_path, python)``."""
    try:
        data = json.loads(Path(state_file).read_text())
        return data["odoo_path"], data["python"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def locate_odoo(environ=None, *, python=None, state_file=None) -> OdooInstall:
    """Return the Odoo 19.0 to use, or raise :class:`OdooNotFound`.

    In order: the source tree of ``ODOO_PATH``; an Odoo importable by
    ``python`` (default: this Python); the one recorded by ``make setup`` in
    ``state_file`` (default: ``.var/odoo.json``), run with its own Python.
    """
    environ = dict(os.environ if environ is None else environ)
    python = python or sys.executable
    odoo_path = environ.get("ODOO_PATH")
    pythonpath = None
    if odoo_path:
        root = Path(odoo_path).expanduser().resolve()
        if not (root / "odoo" / "release.py").is_file():
            raise OdooNotFound(
                f"ODOO_PATH={odoo_path} does not hold an Odoo source tree "
                f"(no odoo/release.py in it).\n\n{GET_ODOO}"
            )
        pythonpath = str(root)
        environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (pythonpath, environ.get("PYTHONPATH")) if p
        )
    info, stderr = _probe(python, environ)
    if info is None and not odoo_path and "No module named 'odoo" in stderr:
        recorded = _recorded(state_file or STATE_DIR / "odoo.json")
        if recorded and Path(recorded[0], "odoo", "release.py").is_file():
            pythonpath, python = recorded
            environ["PYTHONPATH"] = os.pathsep.join(
                p for p in (pythonpath, environ.get("PYTHONPATH")) if p
            )
            info, stderr = _probe(python, environ)
    if info is None:
        last = (stderr.strip().splitlines() or ["?"])[-1]
        if "No module named 'odoo" in stderr:
            raise OdooNotFound(GET_ODOO)
        raise OdooNotFound(
            f"Odoo was found but does not import with {python}: {last}\n"
            "Its Python dependencies are probably missing: install them with "
            "`pip install -r <odoo>/requirements.txt` (on Python 3.11 use the "
            "pins meant for 3.12 and psycopg2-binary; `make setup` does this "
            "for the Odoo it downloads)."
        )
    if info["serie"] != REQUIRED_SERIE:
        raise OdooNotFound(
            f"Odoo {info['version']} was found but these addons need "
            f"Odoo {REQUIRED_SERIE}.\n\n{GET_ODOO}"
        )
    addons = []
    pip_addons = []
    for pkg in info["paths"]:
        # A source tree has the addons beside the odoo package; a packaged
        # Odoo keeps them all in odoo/addons (on the path by default).
        candidate = Path(pkg).parent / "addons"
        if (candidate / "web" / "__manifest__.py").is_file():
            addons.append(str(candidate))
        base_addons = Path(pkg) / "addons"
        if (base_addons / "base" / "__manifest__.py").is_file():
            addons.append(str(base_addons))
        elif any(base_addons.glob("*/__manifest__.py")):
            # Addons installed by pip (odoo-addon-* wheels, e.g. OCA's
            # queue_job) land in site-packages/odoo/addons: after Odoo's own.
            pip_addons.append(str(base_addons))
    addons.extend(pip_addons)
    return OdooInstall(
        version=info["version"],
        package_paths=info["paths"],
        pythonpath=pythonpath,
        addons_paths=addons,
        python=python,
    )


def optional_addons(odoo: OdooInstall):
    """Those of :data:`OPTIONAL_ADDONS` whose required addon is found in
    ``odoo``'s addons folders."""
    return tuple(
        addon
        for addon, needed in OPTIONAL_ADDONS.items()
        if any(
            (Path(folder) / needed / "__manifest__.py").is_file()
            for folder in odoo.addons_paths
        )
    )


def db_options(environ=None):
    """Odoo command-line options for the PostgreSQL connection."""
    environ = os.environ if environ is None else environ
    opts = []
    for var, opt in (
        ("DB_HOST", "--db_host"),
        ("DB_PORT", "--db_port"),
        ("DB_USER", "--db_user"),
        ("DB_PASSWORD", "--db_password"),
    ):
        if environ.get(var):
            opts.append(f"{opt}={environ[var]}")
    return opts


def pg_connect_kwargs(environ=None):
    """psycopg2 keyword arguments matching :func:`db_options`."""
    environ = os.environ if environ is None else environ
    kwargs = {"dbname": "postgres"}
    for var, key in (
        ("DB_HOST", "host"),
        ("DB_PORT", "port"),
        ("DB_USER", "user"),
        ("DB_PASSWORD", "password"),
    ):
        if environ.get(var):
            kwargs[key] = environ[var]
    return kwargs


def check_postgres(environ=None):
    """Return None when PostgreSQL answers, else a message saying why not."""
    try:
        import psycopg2
    except ImportError:
        return "psycopg2 is not installed (pip install psycopg2-binary)."
    try:
        conn = psycopg2.connect(connect_timeout=5, **pg_connect_kwargs(environ))
    except psycopg2.Error as exc:
        return (
            f"PostgreSQL is not reachable ({str(exc).strip()}). Start it, or set "
            "DB_HOST, DB_PORT, DB_USER, DB_PASSWORD."
        )
    try:
        with conn.cursor() as cr:
            cr.execute("SHOW server_version_num")
            num = int(cr.fetchone()[0])
            cr.execute(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles"
                " WHERE rolname = current_user"
            )
            can_create = cr.fetchone()[0]
    finally:
        conn.close()
    if num < 130000:
        return f"PostgreSQL {num // 10000} is too old: 13 or newer is needed."
    if not can_create:
        return "The PostgreSQL user may not create databases (needs CREATEDB)."
    return None


def database_exists(name, environ=None):
    import psycopg2

    conn = psycopg2.connect(**pg_connect_kwargs(environ))
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return cr.fetchone() is not None
    finally:
        conn.close()


def drop_database(name, environ=None):
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(**pg_connect_kwargs(environ))
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cr.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            )
    finally:
        conn.close()


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(odoo: OdooInstall, *args, command=None, with_db=True):
    """The argv that runs Odoo (its ``server`` command by default, or e.g.
    ``shell``) with our addons path and the database connection options."""
    # Odoo takes --addons-path before the command name, the rest after it.
    return [
        odoo.python,
        "-m",
        "odoo",
        f"--addons-path={odoo.addons_path_option()}",
        *([command] if command else []),
        *(db_options() if with_db else []),
        *args,
    ]


def write_config(path, odoo: OdooInstall, **options):
    """Write an Odoo configuration file (for commands such as ``i18n`` that
    take no connection options on their command line)."""
    environ = os.environ
    values = {"addons_path": odoo.addons_path_option()}
    for var, key in (
        ("DB_HOST", "db_host"),
        ("DB_PORT", "db_port"),
        ("DB_USER", "db_user"),
        ("DB_PASSWORD", "db_password"),
    ):
        if environ.get(var):
            values[key] = environ[var]
    values.update(options)
    lines = ["[options]", *(f"{k} = {v}" for k, v in values.items())]
    Path(path).write_text("\n".join(lines) + "\n")
    return str(path)


class MeasurementFailed(RuntimeError):
    """A benchmark's script did not print its ``BENCH_RESULT`` line."""


def measure_in_throwaway_db(
    odoo: OdooInstall, name, modules, script, *, french=False, **variables
):
    """Run a benchmark's measuring script in ``odoo shell`` on a new database.

    The database (``extrabat_bench_<name>_<pid>``) is created with ``modules``
    installed (and French loaded when ``french``), ``script`` (a file of
    Python) is fed to ``odoo shell`` with ``variables`` in its environment,
    then the database is dropped (``KEEP_DB=1`` keeps it).

    :return: ``(result, build_seconds)``: the JSON object the script printed on
        a line starting with ``BENCH_RESULT ``, and the seconds it took to
        create the database
    :raise MeasurementFailed: the script failed (its output is printed)
    """
    import tempfile
    import time

    dbname = f"extrabat_bench_{name}_{os.getpid()}"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="extrabat-bench-") as data_dir:
        common = (f"--database={dbname}", f"--data-dir={data_dir}", "--no-http")
        try:
            print(f"Creating {dbname} (Odoo {odoo.version}: {modules})...", flush=True)
            init = [f"--init={modules}", "--stop-after-init", "--log-level=warn"]
            if french:
                init.append("--load-language=fr_FR")
            subprocess.run(
                odoo_command(odoo, *common, *init),
                cwd=REPO_ROOT,
                env=odoo.env(),
                check=True,
            )
            built = time.perf_counter()
            env = odoo.env()
            env.update({key: str(value) for key, value in variables.items()})
            proc = subprocess.run(
                odoo_command(odoo, *common, "--log-level=warn", command="shell"),
                cwd=REPO_ROOT,
                env=env,
                input=Path(script).read_text(),
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if os.environ.get("KEEP_DB") == "1":
                print(f"Database kept: {dbname}")
            else:
                drop_database(dbname)
    lines = [li for li in proc.stdout.splitlines() if li.startswith("BENCH_RESULT ")]
    if proc.returncode != 0 or not lines:
        print(proc.stdout[-3000:])
        print(proc.stderr[-5000:])
        raise MeasurementFailed(f"The measurement failed ({name}).")
    return json.loads(lines[-1][len("BENCH_RESULT ") :]), built - started
