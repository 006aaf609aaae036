#!/usr/bin/env python3
"""Regenerate each addon's ``i18n/<addon>.pot`` and merge new terms into
``i18n/fr.po`` (``make i18n``).

Uses a scratch database (``I18N_DB``, default ``extrabat_i18n_<hash of the
checkout>``): created with French loaded if absent, then our addons are
installed or updated with the current ``fr.po`` files, and Odoo's own
exporter writes the template. Existing French translations are kept; new
terms arrive with an empty ``msgstr`` for you to fill; terms no longer in the
code are dropped.

Usage: ``python3 tools/i18n.py [addon ...]``; ``RESET=1`` rebuilds the database.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_env

ROOT = odoo_env.REPO_ROOT


def main(argv):
    import polib

    odoo = odoo_env.locate_odoo()
    # The optional addons too when their OCA addon is installed (queue_job).
    installed = (*odoo_env.OUR_ADDONS, *odoo_env.optional_addons(odoo))
    addons = argv or list(installed)
    # One scratch database per checkout (worktrees do not share it).
    suffix = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
    dbname = os.environ.get("I18N_DB", f"extrabat_i18n_{suffix}")
    if os.environ.get("RESET") == "1":
        odoo_env.drop_database(dbname)
    addons_csv = ",".join(installed)
    with tempfile.TemporaryDirectory() as data_dir:
        common = (f"--database={dbname}", f"--data-dir={data_dir}", "--log-level=warn")
        # --init also on an existing database: it installs the addons it
        # does not have yet (a new or optional addon), and skips the others.
        steps = [(f"--init={addons_csv}", "--load-language=fr_FR")]
        # Load the current fr.po files over what the database has.
        steps.append((f"--update={addons_csv}", "--i18n-overwrite"))
        for step in steps:
            subprocess.run(
                odoo_env.odoo_command(
                    odoo, *common, *step, "--stop-after-init", "--no-http"
                ),
                cwd=ROOT,
                env=odoo.env(),
                check=True,
            )
        config = odoo_env.write_config(
            Path(data_dir) / "odoo.conf", odoo, db_name=dbname, data_dir=data_dir
        )
        for addon in addons:
            i18n_dir = ROOT / addon / "i18n"
            i18n_dir.mkdir(exist_ok=True)
            pot_path = i18n_dir / f"{addon}.pot"
            subprocess.run(
                odoo_env.odoo_command(
                    odoo,
                    "export",
                    "-c",
                    config,
                    addon,
                    "-l",
                    "pot",
                    "-o",
                    str(pot_path),
                    command="i18n",
                    with_db=False,
                ),
                cwd=ROOT,
                env=odoo.env(),
                check=True,
            )
            merge_french(polib, pot_path, i18n_dir / "fr.po", addon)


def merge_french(polib, pot_path, po_path, addon):
    """Write ``fr.po`` = the template's terms with the translations we had."""
    pot = polib.pofile(str(pot_path), wrapwidth=78)
    old = {}
    if po_path.exists():
        for entry in polib.pofile(str(po_path)):
            if not entry.obsolete and entry.msgstr:
                old[(entry.msgctxt, entry.msgid)] = entry.msgstr
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": "fr",
            "Plural-Forms": "nplurals=2; plural=(n > 1);",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "",
        }
    )
    po.header = pot.header
    missing = 0
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=old.get((entry.msgctxt, entry.msgid), ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        missing += not new.msgstr
        po.append(new)
    po.save(str(po_path))
    print(
        f"{addon}: {len(po)} terms, {missing} without French translation -> {po_path}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
