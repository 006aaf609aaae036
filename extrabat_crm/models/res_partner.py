import datetime
import logging
from collections import defaultdict

import psycopg2
import psycopg2.extras
from dateutil.relativedelta import relativedelta
from lxml import etree
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from extrabat_core import questions as core
from extrabat_core.client_codes import (
    MAX_CODE_LENGTH,
    MODE_SEQUENCE,
    first_free,
    iter_sequence_codes,
    normalize_code,
)

_logger = logging.getLogger(__name__)

#: Context key that lets server-side code delete partners. Its value must be
#: :data:`PARTNER_UNLINK_ALLOWED`, a Python object that no JSON-RPC/XML-RPC
#: request can carry: a user can never delete a partner, even with a crafted
#: context. Prefer :meth:`ResPartner._unlink_bypassing_trash`.
PARTNER_UNLINK_CONTEXT_KEY = "extrabat_partner_unlink"


class _ServerOnlyValue:
    """A context value that only server-side code can set: no JSON-RPC or
    XML-RPC call can send a Python object. Compared with ``is``."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


PARTNER_UNLINK_ALLOWED = _ServerOnlyValue("PARTNER_UNLINK_ALLOWED")

#: Context key of a running merge (see the merge wizard): its value, a
#: :class:`MergeInto` (which no RPC call can send), turns the deletion of the
#: merged partners that ends Odoo's merge into the trash.
MERGE_INTO_CONTEXT_KEY = "_extrabat_merge_into"


class MergeInto:
    """The partners a merge puts in the trash (``src_ids``) and the one
    they are merged into (``dst_id``)."""

    __slots__ = ("dst_id", "src_ids")

    def __init__(self, src_ids, dst_id):
        self.src_ids = frozenset(src_ids)
        self.dst_id = dst_id


# Context key of the addon's own writes (trash bookkeeping, codes just
# claimed...): they skip the transitions and checks of write(). Its value
# must be _INTERNAL_WRITE, which no RPC call can send.
_INTERNAL_WRITE_KEY = "_extrabat_internal_write"
_INTERNAL_WRITE = _ServerOnlyValue("INTERNAL_WRITE")
# Context key listing the (partner id, code) pairs just claimed on the rows
# (a frozenset, which no RPC call can send): already checked, not again.
_CLAIMED_CODES_KEY = "_extrabat_claimed_client_codes"
# Candidates tried before giving up on a client code (a broken configuration).
_MAX_CODE_TRIES = 1000
# Commercial partner of a row, in a domain: a company or a partner without
# parent (the definition of res.partner._compute_commercial_partner).
_COMMERCIAL_DOMAIN = Domain("is_company", "=", True) | Domain("parent_id", "=", False)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS ===

    # The client code (code client / code comptable) of the commercial
    # partner, shown on its contacts; the FEC export writes it as CompAuxNum.
    ref = fields.Char(copy=False, tracking=True)
    client_status_id = fields.Many2one(
        "extrabat.client.status",
        default=lambda self: self.env["extrabat.client.status"]._get_default_status(),
        index=True,
        copy=False,
        tracking=True,
        ondelete="restrict",
        group_expand="_read_group_expand_full",
    )
    client_since = fields.Datetime(
        copy=False,
        help="When this partner became a client: its first confirmed order or "
        "customer invoice, or the first time it was given the client status.",
    )
    is_trashed = fields.Boolean(
        string="In the Trash",
        compute="_compute_is_trashed",
        store=True,
        index=True,
    )
    trash_date = fields.Datetime(string="Trashed on", copy=False, readonly=True)
    trash_user_id = fields.Many2one(
        "res.users", string="Trashed by", copy=False, readonly=True
    )
    trash_previous_status_id = fields.Many2one(
        "extrabat.client.status",
        string="Status Before the Trash",
        copy=False,
        readonly=True,
        ondelete="set null",
    )
    # Set on the partner and the contacts that the trash archived, so that a
    # restore re-activates exactly them (not those archived before).
    archived_by_trash = fields.Boolean(copy=False, readonly=True)
    gdpr_anonymized_date = fields.Datetime(
        string="Anonymised on", copy=False, readonly=True
    )

    # === CONSTRAINTS ===

    # The code is unique per company among commercial partners (contacts
    # carry their company's). Shared partners (no company) are one group.
    _unique_client_code = models.UniqueIndex(
        "(COALESCE(company_id, 0), ref) WHERE ref IS NOT NULL AND ref <> ''"
        " AND (is_company OR parent_id IS NULL)",
        "This client code is already used by another client of the company.",
    )

    # === COMPUTE ===

    @api.depends("client_status_id.is_trash")
    def _compute_is_trashed(self):
        for partner in self:
            partner.is_trashed = partner.client_status_id.is_trash

    @api.constrains("ref", "company_id", "is_company", "parent_id")
    def _check_client_code_unique(self):
        claimed = self.env.context.get(_CLAIMED_CODES_KEY)
        if not isinstance(claimed, frozenset):
            claimed = frozenset()
        for partner in self:
            if not partner.ref or not partner._is_commercial_partner():
                continue
            if (partner.id, partner.ref) in claimed:
                continue  # checked and claimed a moment ago
            if len(partner.ref) > MAX_CODE_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The client code “%(code)s” is too long (%(max)s "
                        "characters at most).",
                        code=partner.ref,
                        max=MAX_CODE_LENGTH,
                    )
                )
            holder = partner._get_client_code_holder(partner.ref)
            if holder:
                raise ValidationError(partner._client_code_taken_message(holder))

    # === CRUD ===

    @api.model
    def _commercial_fields(self):
        # Managed by the commercial partner, copied to its contacts.
        return super()._commercial_fields() + [
            "ref",
            "client_status_id",
            "client_since",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "ref" in vals:
                vals["ref"] = normalize_code(vals["ref"]) or False
                if vals["ref"] and self._vals_make_commercial(vals):
                    self._check_client_code_free(
                        vals["ref"],
                        self.env["res.company"].browse(vals.get("company_id")),
                    )
        partners = super().create(vals_list)
        partners._set_client_since_from_status()
        # Created right in the trash (an import from Extrabat, RPC): as if
        # trashed from the default status.
        created_trashed = partners.filtered(
            lambda p: p.is_trashed and p._is_commercial_partner()
        )
        if created_trashed:
            default_status = self.env["extrabat.client.status"]._get_default_status()
            created_trashed._archive_trashed(
                dict.fromkeys(created_trashed.ids, default_status)
            )
        return partners

    def write(self, vals):
        if isinstance(vals.get("parent_id"), models.BaseModel):
            # base accepts a record here, account's write() does not.
            vals = dict(vals, parent_id=vals["parent_id"].id)
        if "ref" in vals:
            vals = dict(vals, ref=normalize_code(vals["ref"]) or False)
        if self.env.context.get(_INTERNAL_WRITE_KEY) is _INTERNAL_WRITE:
            return super().write(vals)
        if vals.get("active") and "client_status_id" not in vals:
            # Un-archiving a trashed client is restoring it.
            trashed = self.filtered(
                lambda p: p.is_trashed and p._is_commercial_partner()
            )
            trashed._restore()
        to_trash, to_restore = self._split_trash_transitions(vals)
        if vals.get("ref"):
            for partner in self:
                if partner._will_be_commercial(vals):
                    company = (
                        self.env["res.company"].browse(vals["company_id"])
                        if "company_id" in vals
                        else partner.company_id
                    )
                    partner._check_client_code_free(vals["ref"], company)
        self._drop_inherited_commercial_values(vals)
        previous_status = {partner.id: partner.client_status_id for partner in to_trash}
        if to_restore:
            to_restore._reactivate_trashed()
        res = super().write(vals)
        if to_trash:
            to_trash._archive_trashed(previous_status)
        if to_restore:
            to_restore._internal_write(
                {
                    "trash_date": False,
                    "trash_user_id": False,
                    "trash_previous_status_id": False,
                }
            )
        if "client_status_id" in vals:
            self._set_client_since_from_status()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_extrabat_trash(self):
        """Nothing is ever deleted: partners go to the trash (Corbeille).

        Server-side flows that really must delete use
        :meth:`_unlink_bypassing_trash`; Odoo's merge wizard trashes instead
        (see :meth:`unlink` and the wizard).
        """
        if self.env.context.get(PARTNER_UNLINK_CONTEXT_KEY) is PARTNER_UNLINK_ALLOWED:
            return
        raise UserError(
            self.env._(
                "Contacts are never deleted. Put the client in the trash "
                "instead (button “Put in the Trash”, or the status "
                "Corbeille): it disappears from searches and can be restored "
                "from Contacts › Trash. A contact of a company can be "
                "archived.\n\nContacts you tried to delete: %(names)s",
                names=", ".join(self[:10].mapped("display_name")),
            )
        )

    def _internal_write(self, vals):
        """Write ``vals`` without the status transitions and code checks of
        :meth:`write` (the addon's own bookkeeping)."""
        return self.with_context(**{_INTERNAL_WRITE_KEY: _INTERNAL_WRITE}).write(vals)

    def _unlink_bypassing_trash(self):
        """Really delete ``self``: the only way, for internal flows only
        (never reachable by RPC, being private)."""
        return self.with_context(
            **{PARTNER_UNLINK_CONTEXT_KEY: PARTNER_UNLINK_ALLOWED}
        ).unlink()

    # === ACTIONS ===

    def action_trash(self):
        """Put the clients in the trash (Corbeille): their status becomes the
        trash status, they and their contacts are archived. Contacts of a
        company cannot be trashed on their own (archive them)."""
        self.check_access("write")
        self._check_can_trash()
        self.filtered(lambda p: not p.is_trashed)._trash()
        return True

    def action_restore(self):
        """Take the clients out of the trash, back to the exact state they
        had: their previous status and the contacts that were active."""
        self.check_access("write")
        self.filtered("is_trashed")._restore()
        return True

    def action_open_trash(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.res_partner_action_trash"
        )

    # === BUSINESS: status and trash ===

    def _is_commercial_partner(self):
        self.ensure_one()
        return self.commercial_partner_id == self

    def _check_can_trash(self):
        contacts = self.filtered(lambda p: not p._is_commercial_partner())
        if contacts:
            raise UserError(
                self.env._(
                    "Only a client (a company or an individual) can be put in "
                    "the trash. “%(contact)s” is a contact of “%(company)s”: "
                    "trash the company, or archive the contact.",
                    contact=contacts[0].display_name,
                    company=contacts[0].commercial_partner_id.display_name,
                )
            )
        companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        if companies:
            raise UserError(
                self.env._(
                    "“%(partner)s” is the address of your company “%(company)s”: "
                    "it cannot be put in the trash.",
                    partner=companies[0].partner_id.display_name,
                    company=companies[0].name,
                )
            )
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.commercial_partner_id", "in", self.ids)])
        )
        if users:
            raise UserError(
                self.env._(
                    "“%(partner)s” is linked to the user “%(user)s”: archive the "
                    "user first, then put the contact in the trash.",
                    partner=users[0].partner_id.display_name,
                    user=users[0].name,
                )
            )

    def _trash(self):
        trash_status = self.env["extrabat.client.status"]._get_trash_status()
        self.write({"client_status_id": trash_status.id})

    def _restore(self):
        default_status = self.env["extrabat.client.status"]._get_default_status()
        by_status = defaultdict(lambda: self.browse())
        for partner in self:
            previous = partner.trash_previous_status_id
            usable = previous.active and not previous.is_trash
            by_status[previous if usable else default_status] |= partner
        for status, partners in by_status.items():
            partners.write({"client_status_id": status.id})

    def _split_trash_transitions(self, vals):
        """The commercial partners of ``self`` that ``vals`` puts in or takes
        out of the trash.

        :return: (partners entering the trash, partners leaving it)
        """
        empty = self.browse()
        if "client_status_id" not in vals:
            return empty, empty
        status = self.env["extrabat.client.status"].browse(vals["client_status_id"])
        commercial = self.filtered(lambda p: p._is_commercial_partner())
        if status.is_trash:
            to_trash = commercial.filtered(lambda p: not p.is_trashed)
            # Contacts take the trash status from their trashed company only
            # (synchronisation); on their own they cannot.
            (self - commercial).filtered(
                lambda p: (
                    not p.commercial_partner_id.is_trashed
                    and p.commercial_partner_id not in to_trash
                )
            )._check_can_trash()
            to_trash._check_can_trash()
            return to_trash, empty
        return empty, commercial.filtered("is_trashed")

    def _trash_scope(self):
        """The partners a trash operation archives: ``self`` and its contacts
        and addresses (not subsidiaries, which are clients of their own)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", self.ids)])
        )

    def _archive_trashed(self, previous_status):
        now = fields.Datetime.now()
        for partner in self:
            partner._internal_write(
                {
                    "trash_date": now,
                    "trash_user_id": self.env.uid,
                    "trash_previous_status_id": previous_status[partner.id].id,
                }
            )
        to_archive = self._trash_scope().filtered("active")
        to_archive._internal_write({"active": False, "archived_by_trash": True})

    def _reactivate_trashed(self):
        to_activate = self._trash_scope().filtered("archived_by_trash")
        to_activate._internal_write({"active": True, "archived_by_trash": False})

    def _set_client_since_from_status(self):
        newly_clients = self.filtered(
            lambda p: (
                p.client_status_id.is_client
                and not p.client_since
                and p._is_commercial_partner()
            )
        )
        if newly_clients:
            newly_clients.write({"client_since": fields.Datetime.now()})

    @api.model
    def _vals_make_commercial(self, vals):
        """Whether a partner created with ``vals`` is its own commercial
        partner (a company, or a partner without parent)."""
        if "company_type" in vals:
            return vals["company_type"] == "company" or not vals.get("parent_id")
        return bool(vals.get("is_company")) or not vals.get("parent_id")

    def _will_be_commercial(self, vals):
        """Whether ``self`` is its own commercial partner once ``vals`` is
        written."""
        self.ensure_one()
        parent = vals.get("parent_id", self.parent_id.id)
        if "company_type" in vals:
            is_company = vals["company_type"] == "company"
        else:
            is_company = vals.get("is_company", self.is_company)
        return bool(is_company) or not parent

    def _drop_inherited_commercial_values(self, vals):
        """A contact that ``vals`` detaches from its company (or makes a
        company) does not keep the company's client code, status and
        history: it starts as a new prospect. Done before the write, so that
        the code is never held twice."""
        if (
            "parent_id" not in vals
            and "is_company" not in vals
            and ("company_type" not in vals)
        ):
            return
        for partner in self:
            if partner._is_commercial_partner() or not partner._will_be_commercial(
                vals
            ):
                continue
            former = partner.commercial_partner_id
            reset = {}
            if "ref" not in vals and partner.ref and partner.ref == former.ref:
                reset["ref"] = False
            if "client_status_id" not in vals and (
                partner.client_status_id == former.client_status_id
            ):
                reset["client_status_id"] = (
                    self.env["extrabat.client.status"]._get_default_status().id
                )
                reset["client_since"] = False
            if reset:
                partner._internal_write(reset)

    # === BUSINESS: client codes ===

    def _get_client_code_holder(self, code, company=None):
        """The commercial partner other than ``self`` that holds ``code``,
        trashed or archived included.

        Scope: a partner of a company competes with that company's partners
        and the shared ones; a shared partner (no company) with everyone.

        :param company: res.company the code is for (default: the company of
            ``self``, none meaning every company)
        :return: res.partner (empty when the code is free)
        """
        company = company if company is not None else self.company_id
        # Plain SQL: this runs for every code assigned (the ORM's search
        # would cost more than the rest of the assignment), and it must see
        # archived and trashed partners whatever the user's rights.
        self.env["res.partner"].flush_model(
            ["ref", "company_id", "is_company", "parent_id"]
        )
        query = SQL(
            "SELECT id FROM res_partner"
            " WHERE ref = %s AND (is_company OR parent_id IS NULL)",
            code,
        )
        if self.ids:
            query = SQL("%s AND id NOT IN %s", query, tuple(self.ids))
        if company:
            query = SQL(
                "%s AND (company_id = %s OR company_id IS NULL)", query, company.id
            )
        rows = self.env.execute_query(SQL("%s ORDER BY id LIMIT 1", query))
        return self.env["res.partner"].sudo().browse(rows[0][0] if rows else ())

    def _check_client_code_free(self, code, company):
        """Refuse ``code`` for ``self`` (or a new partner of ``company``) if
        another client holds it, naming that client, before the database
        refuses it with a less helpful message.

        :raise ValidationError: in French, naming the holder
        """
        holder = self._get_client_code_holder(code, company)
        if holder:
            raise ValidationError(self._client_code_taken_message(holder, code))

    def _client_code_taken_message(self, holder, code=None):
        values = {"code": code or self.ref, "holder": holder.display_name}
        if holder.is_trashed:
            return self.env._(
                "The client code “%(code)s” is already used by “%(holder)s”, "
                "which is in the trash (Contacts › Trash). Restore it to change "
                "its code, or choose another code.",
                **values,
            )
        if not holder.active:
            return self.env._(
                "The client code “%(code)s” is already used by “%(holder)s” "
                "(archived). Choose another code.",
                **values,
            )
        return self.env._(
            "The client code “%(code)s” is already used by “%(holder)s”. "
            "Choose another code.",
            **values,
        )

    def _lock_client_rows(self):
        """Lock the partners' rows until the end of the transaction, then
        forget what the cache knew of them, so that the next read is fresh.

        A blocking ``FOR NO KEY UPDATE`` (not ``lock_for_update()``, which
        skips locked rows): a concurrent transaction assigning a code to the
        same partner waits here; when the first one commits, the second one
        fails with a serialization error (REPEATABLE READ) and Odoo retries
        it, and then it sees the code. Rows are locked in id order, so two
        transactions never deadlock on them.
        """
        fnames = ["ref", "client_status_id", "client_since", "company_id"]
        self.flush_recordset(fnames)
        # A serialization failure here is the expected outcome of a race, not
        # a bad query: Odoo retries the transaction (no ERROR in the log).
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id IN %s ORDER BY id"
                " FOR NO KEY UPDATE",
                tuple(self.ids),
            ),
            log_exceptions=False,
        )
        self.invalidate_recordset(fnames)

    def _claim_client_code(self, code):
        """Write ``code`` on the row if no other commercial partner of the
        company holds it, committed or not; the unique index decides.

        The savepoint keeps the transaction usable when another transaction
        took the same code a moment earlier (the insert waits for it, then
        fails): the caller then tries the next candidate. The ORM cache is
        not updated: the caller writes the code through the ORM afterwards.

        :return: whether the code is now this partner's
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "UPDATE res_partner SET ref = %s WHERE id = %s",
                        code,
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.UniqueViolation:
            return False
        return True

    def _prepare_client_code(self, company):
        """A free client code for ``self`` in ``company``'s format (call on
        a locked commercial partner without code).

        Name-based codes are claimed on the row at once (see
        :meth:`_claim_client_code`): two clients with the same first letters
        may get theirs at the same moment. Sequential numbers come from
        ``nextval()``, never twice the same: a free number stays free until
        the write (only a code typed by hand at that very moment could take
        it, and the unique index would refuse it).

        :raise UserError: when no candidate is free (broken configuration)
        """
        self.ensure_one()
        fmt = company._get_client_code_format()
        if fmt.mode == MODE_SEQUENCE:
            candidates = iter_sequence_codes(fmt, company._draw_client_code_number)

            def taken(code):
                return bool(self._get_client_code_holder(code))

        else:
            candidates = fmt.iter_name_codes(self.name)

            def taken(code):
                return bool(self._get_client_code_holder(code)) or not (
                    self._claim_client_code(code)
                )

        try:
            return first_free(candidates, taken, max_tries=_MAX_CODE_TRIES)
        except LookupError as error:
            raise UserError(
                self.env._(
                    "No free client code could be found for “%(partner)s”: "
                    "check the client code settings of %(company)s.",
                    partner=self.display_name,
                    company=company.name,
                )
            ) from error

    def _assign_client_code(self, company=None):
        """Give a client code to the commercial partners of ``self`` that have
        none, exactly once even under concurrency; never overwrite a code.

        Overridable; the merge and the batch action call it too.

        :param company: res.company whose format and sequence apply (default:
            each partner's company, else the current company)
        :return: res.partner, the partners that received a code
        """
        partners = self.commercial_partner_id.sudo().filtered(lambda p: not p.ref)
        if not partners:
            return self.browse()
        partners._lock_client_rows()
        assigned = self.browse()
        for partner in partners.filtered(lambda p: not p.ref):
            code = partner._prepare_client_code(
                company or partner.company_id or self.env.company
            )
            partner._write_claimed({"ref": code})
            assigned |= partner
        return assigned

    def _write_claimed(self, vals):
        """Write ``vals`` holding a code just claimed by
        :meth:`_prepare_client_code` (no second check), or a status that is
        not the trash (no transition)."""
        self.ensure_one()
        claimed = frozenset({(self.id, vals["ref"])} if vals.get("ref") else ())
        return self.with_context(**{_CLAIMED_CODES_KEY: claimed})._internal_write(vals)

    def _prepare_become_client_values(self, when=None):
        """Values that make ``self`` a client (first commercial document)."""
        self.ensure_one()
        vals = {}
        if not self.client_since:
            vals["client_since"] = when or fields.Datetime.now()
        status = self.client_status_id
        if not status or status.is_prospect:
            client_status = self.env["extrabat.client.status"]._get_client_status()
            if client_status:
                vals["client_status_id"] = client_status.id
        return vals

    def _register_customer_document(self, company):
        """A confirmed order or a customer invoice/credit note exists for
        these partners in ``company``: give their commercial partner a client
        code (when the company's setting is on) and the client status.

        Cheap when nothing is to do (no lock): the common case of a client
        that already has both.
        """
        company = company.sudo()
        with_code = company.client_code_auto
        partners = self.commercial_partner_id.sudo()
        todo = partners.filtered(
            lambda p: (
                (with_code and not p.ref)
                or not p.client_since
                or p.client_status_id.is_prospect
            )
        )
        if not todo:
            return
        todo._lock_client_rows()
        for partner in todo:
            vals = partner._prepare_become_client_values()
            if with_code and not partner.ref:
                # Checked and already on the row: the ORM write keeps cache,
                # contacts and tracking right.
                vals["ref"] = partner._prepare_client_code(company)
            if vals:
                partner._write_claimed(vals)

    @api.model
    def _get_customer_partner_ids(self, company):
        """Ids of the commercial partners with a confirmed order or a customer
        invoice/credit note (any state but draft/cancel) in ``company``."""
        orders = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("company_id", "=", company.id), ("state", "=", "sale")],
                ["partner_id"],
            )
        )
        moves = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "!=", "cancel"),
                ],
                ["commercial_partner_id"],
            )
        )
        partners = self.browse(
            [partner.id for (partner,) in orders] + [p.id for (p,) in moves]
        )
        return partners.commercial_partner_id.ids

    @api.model
    def _assign_client_codes_to_existing_customers(self, company, batch_size=200):
        """Give a code to every existing customer of ``company`` without one,
        ``batch_size`` partners at a time (cache emptied between batches).

        :return: dict with ``assigned`` and ``skipped`` (already had a code)
            counts and ``total`` customers seen
        """
        customer_ids = self._get_customer_partner_ids(company)
        Partner = self.sudo().with_context(active_test=False)
        assigned = skipped = 0
        for start in range(0, len(customer_ids), batch_size):
            batch = Partner.browse(customer_ids[start : start + batch_size])
            skipped += len(batch.filtered("ref"))
            assigned += len(batch._assign_client_code(company))
            self.env.flush_all()
            self.env.invalidate_all()
        return {"assigned": assigned, "skipped": skipped, "total": len(customer_ids)}

    # === BUSINESS: GDPR ===

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
    def _get_gdpr_candidates(self, months):
        """Trashed prospects (never clients) trashed ``months`` ago or more,
        not anonymised yet, without any commercial document."""
        limit = fields.Datetime.now() - relativedelta(months=months)
        domain = (
            Domain("is_trashed", "=", True)
            & Domain("trash_date", "<=", limit)
            & Domain("client_since", "=", False)
            & Domain("gdpr_anonymized_date", "=", False)
            & _COMMERCIAL_DOMAIN
        )
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
        ):
            if fname in self._fields:
                vals[fname] = False
        return vals

    def _anonymize(self):
        """Erase the personal data of these trashed partners and their
        contacts: fields, bank accounts, messages and attachments. The records
        themselves stay (nothing is deleted but personal data)."""
        for partner in self._trash_scope():
            partner._internal_write(partner._prepare_anonymized_values())
        scope = self._trash_scope()
        # Bank accounts are archived, never deleted, by Odoo: erase them.
        for bank in scope.with_context(active_test=False).bank_ids:
            bank.write(
                {
                    "acc_number": f"ANONYMISED-{bank.id}",
                    "acc_holder_name": False,
                    "active": False,
                }
            )
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", scope.ids)]
        ).unlink()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]
        ).unlink()

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
        cron._commit_progress(remaining=len(partners))
        done = 0
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner._anonymize()
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

    # ======================================================================
    # COMPLEMENTARY QUESTIONS (questions complémentaires)
    # Answers are rows of extrabat.question.answer; see readme/DEVELOP.md.
    # ======================================================================

    # Up to this many clients, an answer filter gives the clients' ids
    # (see _extrabat_choosing_domain).
    _extrabat_choice_ids_limit = 5000

    # === FIELDS ===
    extrabat_answer_ids = fields.One2many(
        "extrabat.question.answer",
        "partner_id",
        string="Answers to complementary questions",
        copy=True,
    )
    extrabat_answers_data = fields.Json(
        string="Complementary questions",
        compute="_compute_extrabat_answers_data",
        inverse="_inverse_extrabat_answers_data",
        help="The active questions of the client's company with the client's "
        "answers, as edited by the form's widget.",
    )
    extrabat_home_answers = fields.Json(
        string="Key answers",
        compute="_compute_extrabat_home_answers",
        help="Answers to the questions shown on the client's home page.",
    )
    extrabat_option_ids = fields.Many2many(
        "extrabat.question.option",
        "extrabat_partner_option_rel",
        "partner_id",
        "option_id",
        string="Chosen options",
        compute="_compute_extrabat_option_ids",
        store=True,
        help="Every option chosen in the client's answers, kept beside the "
        "client so that filtering clients by an option reads one index.",
    )
    extrabat_answer_option_id = fields.Many2one(
        "extrabat.question.option",
        string="Answer (choice)",
        compute="_compute_extrabat_answer_search",
        search="_search_extrabat_answer_option_id",
        context={"extrabat_option_full_name": True},
    )
    extrabat_answer_search = fields.Char(
        string="Answer (text)",
        compute="_compute_extrabat_answer_search",
        search="_search_extrabat_answer_search",
    )

    # === COMPUTE ===
    @api.depends("extrabat_answer_ids")
    @api.depends_context("lang", "allowed_company_ids")
    def _compute_extrabat_answers_data(self):
        payloads = self._extrabat_answer_payloads()
        for partner in self:
            partner.extrabat_answers_data = payloads[partner.id]

    @api.depends("extrabat_answer_ids")
    @api.depends_context("lang", "allowed_company_ids")
    def _compute_extrabat_home_answers(self):
        payloads = self._extrabat_answer_payloads(home_only=True)
        for partner in self:
            payload = payloads[partner.id]
            partner.extrabat_home_answers = [
                {"label": question["name"], "value": question["display"]}
                for question in payload["questions"]
                if question["display"]
            ]

    @api.depends("extrabat_answer_ids.option_ids")
    def _compute_extrabat_option_ids(self):
        for partner in self:
            partner.extrabat_option_ids = partner.extrabat_answer_ids.option_ids

    def _compute_extrabat_answer_search(self):
        self.extrabat_answer_option_id = False
        self.extrabat_answer_search = False

    def _inverse_extrabat_answers_data(self):
        for partner in self:
            data = partner.extrabat_answers_data or {}
            answers = data.get("answers") or {}
            # The form's widget names the questions it changed, so that two
            # people answering different questions of one client at the same
            # time do not undo each other's answers.
            keys = data.get("dirty")
            if keys is None:
                keys = answers.keys()
            values = {int(key): answers.get(str(key)) for key in keys}
            if values:
                partner._extrabat_set_question_answers(values)

    # === SEARCH ===
    def _search_extrabat_answer_option_id(self, operator, value):
        Option = self.env["extrabat.question.option"].with_context(active_test=False)
        no_choice = False
        if operator == "in":
            option_ids = [v for v in value if v]
            no_choice = len(option_ids) != len(value)
        elif operator == "any":
            option_ids = Option.search(value).ids
        elif operator.endswith("like"):
            option_ids = Option.search([("display_name", operator, value)]).ids
        else:
            return NotImplemented
        domain = Domain.FALSE
        if option_ids:
            domain = self._extrabat_choosing_domain(option_ids)
        if no_choice:
            domain |= Domain("extrabat_option_ids", "=", False)
        return domain

    @api.model
    def _extrabat_choosing_domain(self, option_ids):
        """Domain of the partners who chose one of ``option_ids``.

        A few clients (a rare answer) are given by their ids: with a
        sub-query PostgreSQL tends to walk the whole client list in its
        display order, probing each client, to find the first 80 (up to a
        second on 100,000 clients). Many clients are given by a sub-query, which the
        database then joins by hashing. See readme/DEVELOP.md.
        """
        self.flush_model(["extrabat_option_ids"])
        limit = self._extrabat_choice_ids_limit
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT partner_id FROM extrabat_partner_option_rel"
                " WHERE option_id = ANY(%s) LIMIT %s",
                list(option_ids),
                limit + 1,
            )
        )
        if len(rows) <= limit:
            return Domain("id", "in", [row[0] for row in rows])
        return Domain("extrabat_option_ids", "in", list(option_ids))

    def _search_extrabat_answer_search(self, operator, value):
        if not (operator.endswith("like") or operator == "in"):
            return NotImplemented
        return Domain(
            "extrabat_answer_option_id", "any", [("name", operator, value)]
        ) | Domain(
            "extrabat_answer_ids",
            "any",
            Domain("value_char", operator, value)
            | Domain("value_text", operator, value),
        )

    # === VIEWS ===
    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        key = super()._get_view_cache_key(view_id, view_type, **options)
        if view_type != "search":
            return key
        # The search view lists the questions of the active companies.
        return (*key, tuple(sorted(self.env.companies.ids)))

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "search":
            self._extrabat_add_question_search_items(arch)
        return arch, view

    @api.model
    def _extrabat_add_question_search_items(self, arch):
        """Add to a partner search view one search field per text-like or
        choice question ("Type de chauffage: pompe") and yes/no filters per
        boolean question, after our generic answer fields."""
        anchor = arch.find(".//field[@name='extrabat_answer_search']")
        if anchor is None:
            return
        questions = (
            self.env["extrabat.question"]
            .sudo()
            .search([("company_id", "in", [False, *self.env.companies.ids])])
        )
        text_types = core.CHOICE_TYPES | {"char", "text"}
        position = anchor
        for question in questions.filtered(lambda q: q.answer_type in text_types):
            node = etree.Element(
                "field",
                name="extrabat_answer_search",
                string=question.name,
                filter_domain=repr(
                    self._extrabat_question_text_domain(question, "self")
                ).replace("'self'", "self"),
            )
            position.addnext(node)
            position = node
        booleans = questions.filtered(lambda q: q.answer_type == "boolean")
        if not booleans:
            return
        filters_anchor = arch.find(".//filter[@name='extrabat_questions_answered']")
        if filters_anchor is None:
            return
        position = filters_anchor
        for question in booleans:
            for answer, label in ((True, self.env._("Yes")), (False, self.env._("No"))):
                node = etree.Element(
                    "filter",
                    name=f"extrabat_question_{question.id}_{'yes' if answer else 'no'}",
                    string=self.env._(
                        "%(question)s: %(answer)s", question=question.name, answer=label
                    ),
                    domain=repr(
                        [
                            (
                                "extrabat_answer_ids",
                                "any",
                                [
                                    ("question_id", "=", question.id),
                                    ("value_boolean", "=", answer),
                                ],
                            )
                        ]
                    ),
                )
                position.addnext(node)
                position = node
            separator = etree.Element("separator")
            position.addnext(separator)
            position = separator

    @api.model
    def _extrabat_question_text_domain(self, question, value):
        """Domain (list) on partners whose answer to ``question`` contains
        ``value``: in the option's name or in the text, whichever the answer
        type uses (so that the database reads one index, not three)."""
        by_option = [
            (
                "extrabat_answer_option_id",
                "any",
                [("question_id", "=", question.id), ("name", "ilike", value)],
            )
        ]
        text_column = {
            "char": "value_char",
            "text": "value_text",
            "selection_text": "value_text",
        }.get(question.answer_type)
        by_text = [
            (
                "extrabat_answer_ids",
                "any",
                [("question_id", "=", question.id), (text_column, "ilike", value)],
            )
        ]
        if question.answer_type in ("selection", "multi"):
            return by_option
        if question.answer_type == "selection_text":
            return ["|", *by_option, *by_text]
        return by_text

    # === BUSINESS: reading answers ===
    def _extrabat_questions_by_company(self, domain=()):
        """The active questions that apply to the partners of ``self``.

        :return: ``{company: questions}`` for each company of ``self``
            (the empty company for partners shared between companies)
        """
        questions = self.env["extrabat.question"].search_fetch(
            list(domain),
            [
                "name",
                "code",
                "answer_type",
                "unit",
                "description",
                "show_on_home",
                "company_id",
                "sequence",
            ],
        )
        result = {}
        for company in {partner.company_id for partner in self}:
            result[company] = questions.filtered(
                lambda q, c=company: not c or not q.company_id or q.company_id == c
            )
        return result

    def _extrabat_answer_rows(self, question_ids=None):
        """The answer rows of ``self`` (all questions, archived ones included,
        or only ``question_ids``), fetched in a bounded number of queries.

        :return: ``{(partner id, question id): answer record}``
        """
        # _origin: the saved partners behind a form's onchange records
        partner_ids = [pid for pid in self._origin.ids if pid]
        if not partner_ids:
            return {}
        domain = [("partner_id", "in", partner_ids)]
        if question_ids is not None:
            domain.append(("question_id", "in", list(question_ids)))
        answers = self.env["extrabat.question.answer"].search_fetch(
            domain,
            [
                "partner_id",
                "question_id",
                "answer_type",
                "value_char",
                "value_text",
                "value_boolean",
                "value_date",
                "value_number",
                "option_ids",
            ],
        )
        return {(a.partner_id.id, a.question_id.id): a for a in answers}

    def _extrabat_answer_payloads(self, home_only=False):
        """What the partner form shows: the questions (with their options)
        and the answers of each partner of ``self``.

        :return: ``{partner id: {"questions": [{"id", "code", "name", "type",
            "unit", "help", "home", "options": [{"id", "name", "active"}],
            "display"}], "answers": {"<question id>": JSON value}}}``;
            JSON values are canonical values with dates as ISO strings,
            ``multi`` as lists and ``selection_text`` as
            ``{"option_id", "text"}``
        """
        domain = [("show_on_home", "=", True)] if home_only else []
        by_company = self._extrabat_questions_by_company(domain)
        all_questions = self.env["extrabat.question"].union(*by_company.values())
        options = (
            self.env["extrabat.question.option"]
            .with_context(active_test=False)
            .search_fetch(
                [("question_id", "in", all_questions.ids)],
                ["name", "active", "question_id"],
            )
        )
        options_by_question = {}
        for option in options:
            options_by_question.setdefault(option.question_id.id, []).append(option)
        rows = self._extrabat_answer_rows(all_questions.ids)
        fmt = self.env["extrabat.question"]._answer_format()
        payloads = {}
        for partner in self:
            answers = {}
            questions_data = []
            for question in by_company[partner.company_id]:
                row = rows.get((partner._origin.id, question.id))
                value = row._get_value() if row else None
                chosen = set(
                    self._extrabat_value_option_ids(question.answer_type, value)
                )
                question_options = [
                    o
                    for o in options_by_question.get(question.id, [])
                    if o.active or o.id in chosen
                ]
                if value is not None:
                    answers[str(question.id)] = self._extrabat_value_to_json(value)
                questions_data.append(
                    {
                        "id": question.id,
                        "code": question.code,
                        "name": question.name,
                        "type": question.answer_type,
                        "unit": question.unit or "",
                        "help": question.description or "",
                        "home": question.show_on_home,
                        "options": [
                            {"id": o.id, "name": o.name, "active": o.active}
                            for o in question_options
                        ],
                        "display": core.format_answer(
                            question.answer_type,
                            value,
                            fmt,
                            {o.id: o.name for o in question_options},
                            question.unit or "",
                        ),
                    }
                )
            payloads[partner.id] = {"questions": questions_data, "answers": answers}
        return payloads

    @api.model
    def _extrabat_value_option_ids(self, answer_type, value):
        if value is None or answer_type not in core.CHOICE_TYPES:
            return ()
        if answer_type == "multi":
            return value
        if answer_type == "selection_text":
            return (value.option_id,) if value.option_id else ()
        return (value,)

    @api.model
    def _extrabat_value_to_json(self, value):
        if isinstance(value, core.ChoiceText):
            return {"option_id": value.option_id or False, "text": value.text}
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    def _extrabat_question_answers(self):
        """Typed answers of this partner, for every question it answered
        (archived questions included).

        :return: ``{question id: value}`` where value is a ``str`` (short and
            long text), ``float`` (number), ``datetime.date``, ``bool``
            (yes/no), an ``extrabat.question.option`` record (dropdown), a
            recordset of options (multiple checkboxes) or a
            :class:`extrabat_core.questions.ChoiceText` ``(option record,
            text)`` (dropdown + free text)
        """
        self.ensure_one()
        Option = self.env["extrabat.question.option"].with_context(active_test=False)
        result = {}
        for (_partner_id, question_id), row in self._extrabat_answer_rows().items():
            value = row._get_value()
            if value is None:
                continue
            if row.answer_type in ("selection", "multi"):
                value = Option.browse(
                    self._extrabat_value_option_ids(row.answer_type, value)
                )
            elif row.answer_type == "selection_text":
                value = core.ChoiceText(
                    Option.browse(value.option_id or []), value.text
                )
            result[question_id] = value
        return result

    def _extrabat_question_answer_texts(self):
        """Display texts of this partner's answers, in the current language
        (letters' ``[data.question_<code>]`` markers).

        Multiple choices are joined with ", ", "dropdown + free text" reads
        "Option — text", yes/no answers "Yes"/"No" (translated), dates and
        numbers follow the language's formats. Unanswered questions give "".

        :return: ``{code: text}`` for the active questions of the partner's
            company and every question the partner answered
        """
        self.ensure_one()
        questions = self._extrabat_questions_by_company()[self.company_id]
        rows = self._extrabat_answer_rows()
        questions |= self.env["extrabat.question"].union(
            *(row.question_id for row in rows.values())
        )
        option_names = questions._option_names()
        fmt = self.env["extrabat.question"]._answer_format()
        texts = {}
        for question in questions.sorted():
            row = rows.get((self.id, question.id))
            texts[question.code] = core.format_answer(
                question.answer_type,
                row._get_value() if row else None,
                fmt,
                option_names[question.id],
                question.unit or "",
            )
        return texts

    # === BUSINESS: writing answers ===
    def _extrabat_set_question_answers(self, values):
        """Answer questions for every partner of ``self``.

        :param values: ``{question (id or record): value}``; a value is what
            :meth:`_extrabat_question_answers` returns, or option ids instead
            of records, or what a person types (``"12,5"``, ``"01/05/2024"``);
            ``None`` removes the answer (as do ``""``, ``[]`` and, except for
            yes/no questions, ``False``)
        :raise ValidationError: on a value that does not fit its question
            (nothing is written then)
        """
        Question = self.env["extrabat.question"].with_context(active_test=False)
        raw_values = {}
        for key, value in values.items():
            question_id = key.id if isinstance(key, models.BaseModel) else int(key)
            raw_values[question_id] = self._extrabat_plain_value(value)
        questions = Question.browse(raw_values).exists()
        if unknown := set(raw_values) - set(questions.ids):
            raise ValidationError(
                self.env._(
                    "These complementary questions do not exist (any more): %(ids)s.",
                    ids=", ".join(map(str, sorted(unknown))),
                )
            )
        Answer = self.env["extrabat.question.answer"]
        rows = self._extrabat_answer_rows(questions.ids)
        active_options = questions.option_ids.filtered("active")
        decimal_point = self.env["extrabat.question"]._answer_format().decimal_point
        to_create, to_unlink = [], Answer
        for partner in self:
            for question in questions:
                row = rows.get((partner.id, question.id), Answer)
                current = row._get_value() if row else None
                # Archived options stay valid where they were already chosen.
                allowed = set((active_options & question.option_ids).ids)
                allowed.update(
                    self._extrabat_value_option_ids(question.answer_type, current)
                )
                try:
                    value = core.normalize_answer(
                        question.answer_type,
                        raw_values[question.id],
                        allowed,
                        decimal_point,
                    )
                except core.AnswerError as error:
                    raise ValidationError(
                        self._extrabat_answer_error_message(question, error)
                    ) from error
                if value is None:
                    to_unlink |= row
                elif not row:
                    to_create.append(
                        {
                            "partner_id": partner.id,
                            "question_id": question.id,
                            **Answer._prepare_value_vals(question.answer_type, value),
                        }
                    )
                elif value != current:
                    row.write(Answer._prepare_value_vals(question.answer_type, value))
        to_unlink.unlink()
        Answer.create(to_create)

    @api.model
    def _extrabat_plain_value(self, value):
        """Records and :class:`ChoiceText` of records as plain ids."""
        if isinstance(value, models.BaseModel):
            return list(value.ids) if len(value) != 1 else value.id
        if isinstance(value, core.ChoiceText) and isinstance(
            value.option_id, models.BaseModel
        ):
            return core.ChoiceText(value.option_id.id or None, value.text)
        return value

    def _extrabat_answer_error_message(self, question, error):
        """Message (translated) for a refused answer."""
        params = {"question": question.name, "value": str(error.value)}
        messages = {
            "not_text": lambda: self.env._("“%(question)s” expects a text.", **params),
            "not_number": lambda: self.env._(
                "“%(question)s” expects a number (for example 12 or 12,5), "
                "not “%(value)s”.",
                **params,
            ),
            "not_date": lambda: self.env._(
                "“%(question)s” expects a date (for example 31/12/2024), "
                "not “%(value)s”.",
                **params,
            ),
            "not_boolean": lambda: self.env._(
                "“%(question)s” expects yes or no.", **params
            ),
            "not_option": lambda: self.env._(
                "“%(question)s” expects one of its options, not “%(value)s”.",
                **params,
            ),
            "unknown_option": lambda: self.env._(
                "This option is not (or no longer) offered by “%(question)s”.",
                **params,
            ),
            "several_options": lambda: self.env._(
                "“%(question)s” accepts a single option.", **params
            ),
        }
        default = lambda: self.env._(
            "“%(question)s”: this answer is not valid.", **params
        )
        return messages.get(error.kind, default)()

    def _extrabat_merge_question_answers(self, src_partners):
        """Move the answers of ``src_partners`` to this partner (the one kept
        by a merge). Where both answered a question, this partner's answer
        wins and the other one is written in this partner's chatter, then
        deleted (so that no answer is left for Odoo's SQL merge to drop or to
        collide with).

        :return: list of ``{"question": record, "partner": source partner,
            "kept": text, "discarded": text}``, one per conflict
        """
        self.ensure_one()
        src_partners -= self
        Answer = self.env["extrabat.question.answer"]
        kept = {a.question_id: a for a in Answer.search([("partner_id", "=", self.id)])}
        conflicts = []
        not_moved = Answer
        sources = Answer.search([("partner_id", "in", src_partners.ids)])
        for answer in sources.sorted(lambda a: src_partners.ids.index(a.partner_id.id)):
            current = kept.get(answer.question_id)
            if not current:
                answer.partner_id = self
                kept[answer.question_id] = answer
                continue
            not_moved |= answer
            if current._get_value() != answer._get_value():
                conflicts.append(
                    {
                        "question": answer.question_id,
                        "partner": answer.partner_id,
                        "kept": current.value_display,
                        "discarded": answer.value_display,
                    }
                )
        if conflicts:
            self.message_post(body=self._extrabat_merge_conflicts_body(conflicts))
        # Same or overruled answers: written above, then dropped, as Odoo's
        # merge would (its SQL must find no answer left to collide with).
        not_moved.unlink()
        return conflicts

    def _extrabat_merge_conflicts_body(self, conflicts):
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(question)s: “%(discarded)s” (from %(partner)s) replaced by "
                "“%(kept)s”",
                question=conflict["question"].name,
                discarded=conflict["discarded"],
                partner=conflict["partner"].display_name,
                kept=conflict["kept"],
            )
            for conflict in conflicts
        )
        title = escape(
            self.env._(
                "Complementary questions answered differently by the merged "
                "clients; the answers of this client were kept:"
            )
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (title, lines)

    # ======================================================================
    # MERGE (fusion de fiches)
    # Odoo's merge wizard, extended: see wizards/ and readme/DEVELOP.md.
    # ======================================================================

    # === FIELDS ===
    extrabat_merged_into_id = fields.Many2one(
        "res.partner",
        string="Merged Into",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The client this record was merged into: everything it held "
        "moved there, and this record stays in the trash.",
    )
    extrabat_merge_date = fields.Datetime(string="Merged on", copy=False, readonly=True)

    # === CRUD ===
    def unlink(self):
        # Odoo's merge wizard ends by deleting the merged partners: while our
        # merge runs, that deletion is the trash instead (see the wizard).
        merge = self.env.context.get(MERGE_INTO_CONTEXT_KEY)
        if isinstance(merge, MergeInto) and self.ids and set(self.ids) <= merge.src_ids:
            self._extrabat_put_merged_in_trash(self.browse(merge.dst_id))
            return True
        return super().unlink()

    # === BUSINESS: merge ===
    def _extrabat_merge_preview_counts(self):
        """What the merge wizard's preview counts for this partner (and its
        contacts): extend it with ``super()`` to count more documents.

        :return: list of ``(label, count)``, in display order
        """
        self.ensure_one()
        scope = self.with_context(active_test=False).search(
            [("id", "child_of", self.id)]
        )
        env = self.env
        counts = []
        if "sale.order" in env:
            counts.append(
                (
                    env._("Orders and quotations"),
                    env["sale.order"].search_count([("partner_id", "in", scope.ids)]),
                )
            )
        counts.append(
            (
                env._("Invoices and credit notes"),
                env["account.move"].search_count(
                    [
                        ("partner_id", "in", scope.ids),
                        ("move_type", "!=", "entry"),
                    ]
                ),
            )
        )
        counts.append(
            (
                env._("Attachments"),
                env["ir.attachment"].search_count(
                    [("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]
                ),
            )
        )
        counts.append(
            (
                env._("Messages"),
                env["mail.message"].search_count(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "in", scope.ids),
                        ("message_type", "!=", "user_notification"),
                    ]
                ),
            )
        )
        counts.append((env._("Contacts"), len(scope - self)))
        return counts

    def _extrabat_merge_properties(self, src_partners):
        """Give this partner (kept by a merge) the native Properties values
        of ``src_partners`` it has no value for; where both hold different
        values, this partner's wins and the other one is written in its
        chatter. (Odoo's merge skips Properties, a computed field.)

        :return: list of ``(property label, source partner, discarded)``
        """
        self.ensure_one()
        self.flush_recordset(["properties"])
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, properties FROM res_partner WHERE id IN %s",
                    tuple((self | src_partners).ids),
                )
            )
        )
        kept = dict(rows.get(self.id) or {})
        definition = (
            self.env["properties.base.definition"]
            .sudo()
            ._get_definition_for_property_field("res.partner", "properties")
            .properties_definition
            or []
        )
        labels = {
            prop["name"]: prop.get("string") or prop["name"] for prop in definition
        }
        conflicts = []
        changed = False
        for src in src_partners - self:
            for key, value in (rows.get(src.id) or {}).items():
                if value in (None, False, "", []):
                    continue
                if kept.get(key) in (None, False, "", []):
                    kept[key] = value
                    changed = True
                elif kept[key] != value:
                    conflicts.append((labels.get(key, key), src, value))
        if changed:
            self.env.execute_query(
                SQL(
                    "UPDATE res_partner SET properties = %s WHERE id = %s",
                    psycopg2.extras.Json(kept),
                    self.id,
                )
            )
            self.invalidate_recordset(["properties"])
        if conflicts:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(property)s: “%(discarded)s” (from %(partner)s)",
                    property=label,
                    discarded=value,
                    partner=src.display_name,
                )
                for label, src, value in conflicts
            )
            title = self.env._(
                "Properties filled differently by the merged clients; the "
                "values of this client were kept, these were not:"
            )
            self._message_log(body=Markup("<p>%s</p><ul>%s</ul>") % (title, items))
        return conflicts

    def _extrabat_put_merged_in_trash(self, kept):
        """The end of a merge: ``self`` (merged into ``kept``, everything
        moved already) is marked as merged and put in the trash, never
        deleted. A contact of a company is detached from it first (only a
        client goes to the trash)."""
        now = fields.Datetime.now()
        for partner in self.sudo():
            if not partner._is_commercial_partner():
                partner.write({"parent_id": False})
            partner._internal_write(
                {"extrabat_merged_into_id": kept.id, "extrabat_merge_date": now}
            )
            if not partner.is_trashed:
                partner._trash()
            partner._message_log(
                body=Markup("<p>%s %s</p>")
                % (self.env._("Merged into"), kept._get_html_link())
            )
