"""Test helpers shared by the Extrabat addons' tests."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def untranslated_french_terms(env, module):
    """Terms of ``module`` that its ``i18n/fr.po`` does not translate.

    The terms are those Odoo itself exports for the module (models, fields,
    views, data, Python and JavaScript code): the same list as
    ``odoo i18n export``.

    :return: sorted list of the source terms missing a French translation
    """
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {row[4] for row in reader if row[0] == module}
    po_path = Path(get_module_path(module)) / "i18n" / "fr.po"
    translated = set()
    if po_path.exists():
        translated = {
            entry.msgid
            for entry in polib.pofile(str(po_path))
            if entry.msgstr.strip()
            and not entry.obsolete
            and "fuzzy" not in entry.flags
        }
    return sorted(sources - translated)
