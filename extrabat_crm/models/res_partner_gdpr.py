"""GDPR: anonymisation of prospects left in the trash that never had any
commercial document (cron, log, hooks for other addons)."""

import logging

import psycopg2
import psycopg2.extras
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# Commercial partner of a row, in a domain: a company or a partner without
# parent (the definition of res.partner._compute_commercial_partner).
_COMMERCIAL_DOMAIN = Domain("is_company", "=", True) | Domain("parent_id", "=", False)


class ResPartner(models.Model):
    """GDPR anonymisation of partners."""

    # One file per concern, as Odoo splits big models.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # === FIELDS ===

    gdpr_anonymized_date = fields.Datetime(
        string="Anonymised on", copy=False, readonly=True
    )

    # === BUSINESS ===

    @api.model
    def _get_commercial_document_fields(self):
        """(model, partner field) pairs of the documents that keep a trashed
        prospect from being anonymised. Extend it for new documents."""
        return [
            ("sale.order", "partner_id"),
            ("sale.order", "partner_invoice_id"),
            ("sale.order", "partner_shipping_id"),
            ("account.move", "partner_id"),
            ("account.move", "commercial_partner_id"),
            ("account.move.line", "partner_id"),
        ]

    def _filter_without_commercial_documents(self):
        """The commercial partners of ``self`` whose partner and contacts
        appear on no commercial document (whatever its state)."""
        scope = self._trash_scope()
        with_documents = set()
        for model, fname in self._get_commercial_document_fields():
            if model not in self.env:
                continue
            groups = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                ._read_group([(fname, "in", scope.ids)], [fname])
            )
            with_documents.update(
                partner.commercial_partner_id.id for (partner,) in groups
            )
        return self.filtered(lambda p: p.id not in with_documents)

    @api.model
    def _get_gdpr_settings(self):
        """:return: (enabled, months) from the system parameters"""
        params = self.env["ir.config_parameter"].sudo()
        enabled = params.get_param("extrabat_crm.gdpr_anonymize") in ("True", "1")
        try:
            months = int(params.get_param("extrabat_crm.gdpr_months") or 36)
        except ValueError:
            months = 36
        return enabled, max(months, 1)

    @api.model
    def _get_gdpr_candidates(self, months, partner_ids=None):
        """Trashed prospects (never clients) trashed ``months`` ago or more,
        not anonymised yet, without any commercial document (whatever its
        state, on the partner or a contact: see
        :meth:`_get_commercial_document_fields`).

        :param partner_ids: only among these partners (to recheck a few);
            ``None`` for all

        Only server facts decide: the trash date, "client since", the status
        before the trash and the anonymisation date are written by the
        server alone (see :meth:`_get_server_only_fields`), the documents
        are searched for."""
        limit = fields.Datetime.now() - relativedelta(months=months)
        domain = (
            Domain("is_trashed", "=", True)
            & Domain("trash_date", "<=", limit)
            & Domain("client_since", "=", False)
            & Domain("gdpr_anonymized_date", "=", False)
            & _COMMERCIAL_DOMAIN
        )
        if partner_ids is not None:
            domain &= Domain("id", "in", partner_ids)
        partners = (
            self.sudo().with_context(active_test=False).search(domain, order="id")
        )
        partners = partners.filtered(lambda p: not p.trash_previous_status_id.is_client)
        return partners._filter_without_commercial_documents()

    def _prepare_anonymized_values(self):
        """Values that erase the personal data of a partner (and contact)."""
        self.ensure_one()
        vals = {
            "name": self.env._(
                "Anonymised prospect %(id)s", id=self.commercial_partner_id.id
            ),
            "ref": False,
            "gdpr_anonymized_date": fields.Datetime.now(),
        }
        for fname in (
            "email",
            "phone",
            "mobile",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "vat",
            "company_registry",
            "website",
            "comment",
            "function",
            "image_1920",
            "company_name",
            "partner_latitude",
            "partner_longitude",
            "barcode",
            "properties",
            "sale_warn_msg",
            "peppol_endpoint",
            "global_location_number",
        ):
            if fname in self._fields:
                vals[fname] = False
        return vals

    def _extrabat_anonymize(self, cron_run=False):
        """Erase the personal data of these trashed partners and their
        contacts (see :meth:`_extrabat_anonymize_scope`) and leave a lasting record
        of each anonymisation (``extrabat.gdpr.log``: the partner's id, the
        date, the user, the scheduled run and what was erased). The records
        themselves stay (nothing is deleted but personal data); see
        readme/CONFIGURE.md.

        :param cron_run: identifier of the scheduled run, recorded
        :return: extrabat.gdpr.log, one per partner of ``self``
        """
        logs = self.env["extrabat.gdpr.log"]
        for partner in self:
            counts = partner._extrabat_anonymize_scope(partner._trash_scope())
            logs |= logs._record(partner, counts, cron_run)
        return logs

    def _extrabat_anonymize_scope(self, scope):
        """Erase the personal data of ``scope`` (a client and its contacts):
        fields (:meth:`_prepare_anonymized_values`), answers to
        complementary questions, bank accounts, chatter messages, activities,
        attachments, followers, and the sender address of the messages they
        wrote on other records. Extend it with ``super()`` to erase more.

        :return: ``{extrabat.gdpr.log count field: count}``
        """
        for partner in scope:
            partner._internal_write(partner._prepare_anonymized_values())
        self.env["extrabat.question.answer"].sudo().search(
            [("partner_id", "in", scope.ids)]
        ).unlink()
        # Bank accounts are archived, never deleted, by Odoo: erase them.
        for bank in scope.with_context(active_test=False).bank_ids:
            bank.write(
                {
                    "acc_number": f"ANONYMISED-{bank.id}",
                    "acc_holder_name": False,
                    "active": False,
                }
            )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "in", scope.ids)])
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)])
        )
        counts = {
            "partner_count": len(scope),
            "message_count": len(messages),
            "attachment_count": len(attachments),
        }
        messages.unlink()
        attachments.unlink()
        self.env["mail.activity"].sudo().with_context(active_test=False).search(
            [("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            Domain("partner_id", "in", scope.ids)
            | (
                Domain("res_model", "=", "res.partner")
                & Domain("res_id", "in", scope.ids)
            )
        ).unlink()
        # Messages they wrote on others' records are those records' history:
        # kept, without their address (their author is now anonymised).
        self.env["mail.message"].sudo().search(
            [("author_id", "in", scope.ids), ("email_from", "!=", False)]
        ).write({"email_from": False})
        return counts

    @api.model
    def _cron_gdpr_anonymize(self):
        """Scheduled action: anonymise the trashed prospects without
        documents after the delay of the settings (off by default). Commits
        after each partner; a partner that fails is logged and skipped."""
        enabled, months = self._get_gdpr_settings()
        if not enabled:
            return
        partners = self._get_gdpr_candidates(months)
        cron = self.env["ir.cron"]
        cron_run = self._gdpr_cron_run_ref()
        cron._commit_progress(remaining=len(partners))
        done = 0
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner._extrabat_anonymize(cron_run=cron_run)
            except (UserError, ValidationError, psycopg2.Error) as error:
                _logger.warning(
                    "GDPR: trashed prospect #%s could not be anonymised: %s",
                    partner.id,
                    error,
                )
            else:
                done += 1
                _logger.info(
                    "GDPR: trashed prospect #%s anonymised (in the trash since %s)",
                    partner.id,
                    partner.trash_date,
                )
            if not cron._commit_progress(1):
                break
        _logger.info(
            "GDPR: %s trashed prospect(s) anonymised out of %s due (after %s months)",
            done,
            len(partners),
            months,
        )

    @api.model
    def _gdpr_cron_run_ref(self):
        """Identifier of the running scheduled action, for the GDPR records
        (the scheduler's progress record of this run), or ``False``."""
        context = self.env.context
        progress_id = context.get("ir_cron_progress_id")
        if not progress_id:
            return False
        return f"ir.cron #{context.get('cron_id')}, run #{progress_id}"
