"""19.0.1.2.0: letters are emailed from and signed by the user who sends them.

The letters' email templates are ``noupdate``: the sender and signature
expressions of the templates of an existing database are replaced (see
``extrabat.letter._update_mail_templates_to_sender``); anything else a user
changed in them is kept.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    changed = env["extrabat.letter"]._update_mail_templates_to_sender()
    _logger.info("Letters: %s email template(s) now signed by the sender", changed)
