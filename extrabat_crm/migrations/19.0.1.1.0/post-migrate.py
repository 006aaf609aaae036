"""19.0.1.1.0: client codes compare as people read them.

The codes stored before are normalised (upper case, no spaces or invisible
characters, full-width characters folded): see
``res.partner._normalize_existing_client_codes``. Codes that would collide
with another client's once normalised, or that have characters a code may not
have, are left unchanged, noted in the chatter of each client concerned and
listed in the log (warning). The root company column of the partners
(``client_code_root_company_id``: branches share their root company's codes)
is filled by the module update itself; clients of a company and of its
branches holding the same code keep it and are listed in the log by the
update (the unique index waits until they are given different codes).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].with_context(active_test=False).search(
        []
    )._create_client_code_sequences()
    env["res.partner"]._normalize_existing_client_codes()
