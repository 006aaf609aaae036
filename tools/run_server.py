#!/usr/bin/env python3
"""The project's run command (``make run``).

Creates, when it does not exist yet, a demo database with the three addons,
demo data and French active for the administrator; then serves Odoo on
http://localhost:8069 (``HTTP_PORT`` to change). A second start reuses the
database. ``RESET=1`` drops and rebuilds it.

Environment: ``ODOO_PATH``, ``DB_HOST``/``DB_PORT``/``DB_USER``/``DB_PASSWORD``,
``DEMO_DB`` (default ``extrabat_demo``), ``HTTP_PORT`` (default 8069).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env

ROOT = odoo_env.REPO_ROOT
DATA_DIR = ROOT / ".var" / "odoo-data"

# Run in `odoo shell` once Odoo's French demo company exists (created by
# l10n_fr_account's demo data with the French chart of accounts in euros): it
# becomes our artisan company, the default company of every user, so that our
# addons' demo data lands there. Odoo's own demo company stays as a second one.
PREPARE_COMPANY = """
company = env.ref("base.demo_company_fr")
company.write({
    "name": "Martin Chauffage & Sanitaire",
    "street": "12 rue des Artisans",
    "zip": "69003",
    "city": "Lyon",
    "phone": "+33 4 78 00 00 00",
    "email": "contact@martin-chauffage.example.com",
    "website": "https://martin-chauffage.example.com",
})
env.ref("base.main_company").name = "Autre société (démo Odoo)"
users = env["res.users"].with_context(active_test=False).search([("share", "=", False)])
users |= env.ref("base.user_root")
for user in users:
    user.write({
        "company_ids": [(4, company.id)],
        "company_id": company.id,
        "lang": "fr_FR",
        "tz": "Europe/Paris",
    })
env.cr.commit()
"""


def run(cmd, odoo, **kwargs):
    print("$ " + " ".join(cmd[:4]) + " ...", flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=odoo.env(), check=True, **kwargs)


def build_database(odoo, dbname):
    common = (
        f"--database={dbname}",
        f"--data-dir={DATA_DIR}",
        "--http-interface=127.0.0.1",
        "--log-level=warn",
    )
    print(f"Creating the demo database {dbname!r} (a few minutes the first time)...")
    install = ("--with-demo", "--stop-after-init")
    run(
        odoo_env.odoo_command(
            odoo, *common, *install, "--init=base", "--load-language=fr_FR"
        ),
        odoo,
    )
    run(odoo_env.odoo_command(odoo, *common, *install, "--init=l10n_fr_account"), odoo)
    shell = odoo_env.odoo_command(odoo, *common, "--no-http", command="shell")
    run(shell, odoo, input=PREPARE_COMPANY, text=True)
    run(
        odoo_env.odoo_command(
            odoo, *common, *install, "--init=" + ",".join(odoo_env.OUR_ADDONS)
        ),
        odoo,
    )


def main():
    try:
        odoo = odoo_env.locate_odoo()
    except odoo_env.OdooNotFound as exc:
        print(str(exc).rstrip())
        return 2
    problem = odoo_env.check_postgres()
    if problem:
        print(problem)
        return 2
    dbname = os.environ.get("DEMO_DB", "extrabat_demo")
    port = os.environ.get("HTTP_PORT", "8069")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ.get("RESET") == "1" and odoo_env.database_exists(dbname):
        odoo_env.drop_database(dbname)
    if odoo_env.database_exists(dbname):
        print(f"Reusing the demo database {dbname!r} (RESET=1 make run rebuilds it).")
    else:
        try:
            build_database(odoo, dbname)
        except subprocess.CalledProcessError as exc:
            print(f"Building the demo database failed (exit status {exc.returncode}).")
            odoo_env.drop_database(dbname)
            return 1
    print(
        "\n"
        f"  Odoo is starting on http://localhost:{port}\n"
        "  Login: admin   Password: admin   (interface in French)\n"
        "  Stop with Ctrl+C.\n",
        flush=True,
    )
    cmd = odoo_env.odoo_command(
        odoo,
        f"--database={dbname}",
        f"--db-filter=^{dbname}$",
        f"--data-dir={DATA_DIR}",
        f"--http-port={port}",
        "--http-interface=0.0.0.0",
        "--log-level=info",
    )
    os.execvpe(cmd[0], cmd, odoo.env())


if __name__ == "__main__":
    sys.exit(main())
