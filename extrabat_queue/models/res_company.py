import logging

from odoo import models

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    def _job_client_codes_assigned(self):
        """Job, run once every job giving codes to this company's customers
        is done: the assignment asked in the settings is over."""
        self.ensure_one()
        self.sudo().client_code_assign_pending = False
        _logger.info("Client codes: assignment of company #%s finished", self.id)
        return "Assignment finished"
