"""19.0.1.1.0: a letter only ever touches its own files.

Files are now tied to the letter that made them
(``ir.attachment.extrabat_letter_id``, set by the server only). The files of
letters made before are linked here, best effort and never to a file that
could be someone else's: see ``extrabat.letter._link_legacy_files``. A file
that is not linked stays in the client's document folder; its letter no
longer serves, replaces nor deletes it (a signed letter whose PDF was not
linked reports its PDF as altered: regenerate is refused, the client's
folder still holds the file).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    linked = env["extrabat.letter"]._link_legacy_files()
    _logger.info("Letters: %s existing file(s) linked to their letter", linked)
