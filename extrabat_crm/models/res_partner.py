import logging
from collections import defaultdict

import psycopg2
import psycopg2.extras
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, sql

from extrabat_core.client_codes import (
    CODE_PUNCTUATION,
    MAX_CODE_LENGTH,
    MODE_SEQUENCE,
    InvalidCodeError,
    first_free,
    iter_sequence_codes,
    next_free_name_code,
    normalize_code,
)
from extrabat_core.server_only import ServerOnlyValue

_logger = logging.getLogger(__name__)

#: Context key that lets server-side code delete partners. Its value must be
#: :data:`PARTNER_UNLINK_ALLOWED`, a Python object that no JSON-RPC/XML-RPC
#: request can carry: a user can never delete a partner, even with a crafted
#: context. Prefer :meth:`ResPartner._unlink_bypassing_trash`.
PARTNER_UNLINK_CONTEXT_KEY = "extrabat_partner_unlink"
PARTNER_UNLINK_ALLOWED = ServerOnlyValue("PARTNER_UNLINK_ALLOWED")

#: Context key of a running merge (see the merge wizard): its value, a
#: :class:`MergeInto` (which no RPC call can send), turns the deletion of the
#: merged partners that ends Odoo's merge into the trash.
MERGE_INTO_CONTEXT_KEY = "_extrabat_merge_into"


class MergeInto:
    """The partners a merge puts in the trash (``src_ids``), the one they
    are merged into (``dst_id``) and the values the user chose to keep
    (``plan``: see the merge wizard's ``_extrabat_merge_plan``)."""

    __slots__ = ("dst_id", "plan", "src_ids")

    def __init__(self, src_ids, dst_id, plan=None):
        self.src_ids = frozenset(src_ids)
        self.dst_id = dst_id
        self.plan = plan


# Context key of the addon's own writes (trash bookkeeping, codes just
# claimed...): they skip the transitions and checks of write(). Its value
# must be _INTERNAL_WRITE, which no RPC call can send.
_INTERNAL_WRITE_KEY = "_extrabat_internal_write"
_INTERNAL_WRITE = ServerOnlyValue("INTERNAL_WRITE")
# Trash, merge and GDPR bookkeeping: facts that only the server states (the
# GDPR anonymisation trusts them). Refused in create/write from clients
# (forms, imports, RPC); the addon writes them with _internal_write().
_SERVER_ONLY_FIELDS = frozenset(
    {
        "client_since",
        "is_trashed",
        "trash_date",
        "trash_user_id",
        "trash_previous_status_id",
        "archived_by_trash",
        "gdpr_anonymized_date",
        "extrabat_merged_into_id",
        "extrabat_merge_date",
    }
)
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
    # The code space of the client code: branches share their root
    # company's (one sequence, one FEC including the branches).
    client_code_root_company_id = fields.Many2one(
        "res.company",
        string="Client Code Company",
        compute="_compute_client_code_root_company_id",
        store=True,
        index=True,
        help="Root company of the partner's company: its client codes are "
        "unique across the root company and all its branches.",
    )
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

    # The code is unique per root company (the company and its branches)
    # among commercial partners (contacts carry their company's). Shared
    # partners (no company) are one group. Codes are normalised before they
    # are stored (normalize_code), by every write of the addon, ORM or SQL:
    # the index on the stored value compares them as people read them.
    _unique_client_code = models.UniqueIndex(
        "(COALESCE(client_code_root_company_id, 0), ref)"
        " WHERE ref IS NOT NULL AND ref <> ''"
        " AND (is_company OR parent_id IS NULL)",
        "This client code is already used by another client of the company.",
    )

    @api.model
    def _add_sql_constraints(self):
        """Create the unique index on client codes only when no two clients
        of a company share a code (a database from before the installation):
        otherwise list the duplicates in the log, leave them untouched and
        create the other table objects; the index follows at the module
        update after they are fixed (see readme/CONFIGURE.md)."""
        index_name = sql.make_identifier(f"{self._table}_unique_client_code")
        _definition, comment = sql.index_definition(self.env.cr, index_name)
        if comment == self._table_objects[index_name].get_definition(self.pool):
            return super()._add_sql_constraints()
        # Missing, or an older definition (per company before branches shared
        # their root's codes) that Odoo would drop before creating the new.
        duplicates = self._get_duplicate_client_codes()
        if not duplicates:
            return super()._add_sql_constraints()
        _logger.warning(
            "Client codes: %s code(s) held by several clients of one company "
            "(or of a company and its branches), the unique index on client "
            "codes is not created or updated (the clients keep their codes). "
            "Give them different codes, then update the module "
            "extrabat_crm. %s",
            len(duplicates),
            "; ".join(
                f"code {code!r} in company #{company_id or 'shared'}"
                + (" and its branches" if company_id else "")
                + ": partners "
                + ", ".join(f"#{pid}" for pid in partner_ids)
                for company_id, code, partner_ids in duplicates
            ),
        )
        for name, table_object in self._table_objects.items():
            if name != index_name:
                table_object.apply_to_database(self)
        return None

    @api.model
    def _get_duplicate_client_codes(self):
        """Codes held by several commercial partners of one root company
        (the clients the unique index would refuse). Reads the companies'
        ``parent_path``: it runs before the root company column is filled.

        :return: list of (root company id or 0, code, [partner ids])
        """
        rows = self.env.execute_query(
            SQL(
                """
                SELECT root_id, ref, array_agg(id ORDER BY id)
                  FROM (
                        SELECT p.id, p.ref, COALESCE(
                                   NULLIF(split_part(c.parent_path, '/', 1), '')::int,
                                   c.id, 0) AS root_id
                          FROM res_partner p
                          LEFT JOIN res_company c ON c.id = p.company_id
                         WHERE p.ref IS NOT NULL AND p.ref <> ''
                           AND (p.is_company OR p.parent_id IS NULL)
                       ) coded
                 GROUP BY root_id, ref
                HAVING count(*) > 1
                 ORDER BY 1, 2
                """
            )
        )
        return [tuple(row) for row in rows]

    # === COMPUTE ===

    @api.depends("client_status_id.is_trash")
    def _compute_is_trashed(self):
        for partner in self:
            partner.is_trashed = partner.client_status_id.is_trash

    @api.depends("company_id.root_id")
    def _compute_client_code_root_company_id(self):
        for partner in self:
            partner.client_code_root_company_id = partner.company_id.root_id

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
        self._check_server_only_create(vals_list)
        for vals in vals_list:
            if "ref" in vals:
                vals["ref"] = self._normalize_ref(
                    vals["ref"], client_code=self._vals_make_commercial(vals)
                )
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
            client_code = any(partner._will_be_commercial(vals) for partner in self)
            vals = dict(
                vals, ref=self._normalize_ref(vals["ref"], client_code=client_code)
            )
        own_refs = self._get_contacts_own_refs() if "ref" in vals else {}
        if self.env.context.get(_INTERNAL_WRITE_KEY) is _INTERNAL_WRITE:
            res = super().write(vals)
            self._restore_contacts_own_refs(own_refs)
            return res
        self._check_server_only_write(vals)
        if vals.get("active") and "client_status_id" not in vals:
            self._check_can_unarchive()
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
        self._restore_contacts_own_refs(own_refs)
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
        had: their previous status and the contacts that were active.

        :return: a notification naming what was restored, then the view
            reloaded (``True`` when none was in the trash)
        """
        self.check_access("write")
        trashed = self.filtered("is_trashed")
        trashed._restore()
        return trashed._restored_notification() if trashed else True

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

    def _check_can_unarchive(self):
        """A contact of a trashed client comes back with its client (restore
        the client), never alone: it would be active under a client that is
        in the trash.

        :raise UserError: naming the contact and the client to restore
        """
        contacts = self.filtered(
            lambda p: (
                not p._is_commercial_partner()
                and p.commercial_partner_id.is_trashed
                and p.commercial_partner_id not in self
            )
        )
        if contacts:
            raise UserError(
                self.env._(
                    "“%(contact)s” cannot be unarchived: “%(company)s” is in the "
                    "trash. Restore the company instead (Contacts › Trash): its "
                    "contacts come back with it.",
                    contact=contacts[0].display_name,
                    company=contacts[0].commercial_partner_id.display_name,
                )
            )

    @api.model
    def _get_server_only_fields(self):
        """Fields that clients (forms, imports, RPC) never set: the trash,
        merge and GDPR bookkeeping, which the GDPR anonymisation trusts.
        The addon writes them with :meth:`_internal_write`. Extend it with
        ``super()``.

        :return: set of field names
        """
        return set(_SERVER_ONLY_FIELDS)

    def _server_only_refused(self, fnames):
        """:raise AccessError: naming the fields ``fnames``"""
        labels = sorted(
            self._fields[fname]._description_string(self.env) for fname in fnames
        )
        raise AccessError(
            self.env._(
                "These fields are kept by Extrabat itself (trash, merge and "
                "GDPR bookkeeping) and cannot be set by hand, by an import or "
                "through the API: %(fields)s.",
                fields=", ".join(labels),
            )
        )

    @api.model
    def default_get(self, fields):
        """Server-only fields get no default from the users' saved defaults
        (``ir.default``, which any user may set for themselves over RPC):
        create() adds defaults after :meth:`_check_server_only_create`."""
        defaults = super().default_get(fields)
        if self.env.context.get(_INTERNAL_WRITE_KEY) is not _INTERNAL_WRITE:
            for fname in self._get_server_only_fields().intersection(defaults):
                field = self._fields[fname]
                defaults[fname] = field.default(self) if field.default else False
        return defaults

    @api.model
    def _check_server_only_create(self, vals_list):
        """Refuse a server-only field given a value at creation (a client
        backdating a trash date, an import of a "client since"...).

        :raise AccessError: naming the fields
        """
        if self.env.context.get(_INTERNAL_WRITE_KEY) is _INTERNAL_WRITE:
            return
        protected = self._get_server_only_fields()
        refused = {
            fname
            for vals in vals_list
            for fname in protected.intersection(vals)
            if vals[fname]
        }
        # Defaults sent in the context (default_trash_date...) too: create()
        # applies them after this check.
        refused.update(
            fname for fname in protected if self.env.context.get(f"default_{fname}")
        )
        if refused:
            self._server_only_refused(refused)

    def _check_server_only_write(self, vals):
        """Refuse a change of a server-only field from outside the addon's
        own code. Allowed: a value that does not change anything (a record
        saved or imported as it was exported); on a contact, the value of
        its commercial partner (Odoo's synchronisation of commercial fields,
        e.g. "client since"); on the partner kept by a running merge (the
        wizard gives it back its own values right after Odoo's pass).

        :raise AccessError: naming the fields
        """
        fnames = self._get_server_only_fields().intersection(vals)
        if not fnames:
            return
        merge = self.env.context.get(MERGE_INTO_CONTEXT_KEY)
        if isinstance(merge, MergeInto) and set(self.ids) <= {merge.dst_id}:
            return
        commercial_fields = set(self._commercial_fields())
        refused = set()
        for fname in fnames:
            field = self._fields[fname]
            for partner in self:
                value = field.convert_to_record(
                    field.convert_to_cache(vals[fname], partner), partner
                )
                if value == partner[fname]:
                    continue
                commercial = partner.commercial_partner_id
                if (
                    fname in commercial_fields
                    and commercial != partner
                    and value == commercial[fname]
                ):
                    continue
                refused.add(fname)
                break
        if refused:
            self._server_only_refused(refused)

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

    def _restored_notification(self):
        """The confirmation shown after a restore: the client's name, or how
        many were restored.

        :return: an ``ir.actions.client`` that shows it, then closes (the
            view reloads, the restored clients leave the trash list)
        """
        if len(self) == 1:
            message = self.env._(
                "“%(name)s” is restored, with its contacts.", name=self.display_name
            )
        else:
            message = self.env._(
                "%(count)s clients are restored, with their contacts.", count=len(self)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Restored"),
                "message": message,
                "type": "success",
                "className": "o_extrabat_restored",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

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
            newly_clients._internal_write({"client_since": fields.Datetime.now()})

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
            elif "ref" not in vals and partner.ref:
                reset.update(partner._own_ref_as_client_code(vals))
            if "client_status_id" not in vals and (
                partner.client_status_id == former.client_status_id
            ):
                reset["client_status_id"] = (
                    self.env["extrabat.client.status"]._get_default_status().id
                )
                reset["client_since"] = False
            if reset:
                partner._internal_write(reset)

    def _own_ref_as_client_code(self, vals):
        """The values that make the own reference of a contact (a number
        from a previous software) its client code when ``vals`` makes it a
        client: the reference normalised as codes are; none when it cannot
        be a code (characters a code may not have, or another client's
        code), then it is kept in a note on the contact.

        :return: ``{"ref": ...}`` or ``{}`` when the reference stays as it is
        """
        self.ensure_one()
        company = (
            self.env["res.company"].browse(vals["company_id"])
            if vals.get("company_id")
            else self.company_id
        )
        try:
            code = self._normalize_ref(self.ref)
            if code:
                self._check_client_code_free(code, company)
        except ValidationError as error:
            self.message_post(
                body=self.env._(
                    "Its own reference “%(ref)s” did not become its client "
                    "code: %(reason)s",
                    ref=self.ref,
                    reason=error.args[0],
                ),
                subtype_xmlid="mail.mt_note",
            )
            return {"ref": False}
        return {} if code == self.ref else {"ref": code}

    # === BUSINESS: client codes ===

    @api.model
    def _normalize_ref(self, ref, client_code=True):
        """``ref`` as stored: a client code (``client_code``, the reference
        of a commercial partner) normalised so that codes compare as people
        read them (:func:`extrabat_core.client_codes.normalize_code`); the own
        reference of a contact only stripped, as Odoo stores it.

        :return: the value to store, ``False`` for none
        :raise ValidationError: a client code with characters a code may not
            have (in the user's language, naming them)
        """
        if not client_code:
            return (ref or "").strip() or False
        try:
            return normalize_code(ref) or False
        except InvalidCodeError as error:
            raise ValidationError(
                self.env._(
                    "The client code “%(code)s” contains characters a client "
                    "code may not have: %(characters)s. Use letters A to Z "
                    "without accents, digits and %(punctuation)s.",
                    code=ref,
                    characters=" ".join(f"“{char}”" for char in error.characters),
                    punctuation=" ".join(f"“{char}”" for char in CODE_PUNCTUATION),
                )
            ) from error

    def _get_contacts_own_refs(self):
        """References of their own held by the contacts of the commercial
        partners of ``self`` (typically set before the installation, e.g.
        numbers from a previous software): a reference that is not their
        client's code. A code written on the client reaches its contacts
        (commercial field), except these.

        :return: ``{reference: contacts}``
        """
        commercial = self.filtered(
            lambda p: p.id and p._is_commercial_partner() and p.child_ids
        )
        if not commercial:
            return {}
        contacts = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("id", "not in", commercial.ids),
                    ("ref", "!=", False),
                ]
            )
        )
        own_refs = defaultdict(lambda: self.browse())
        for contact in contacts:
            if contact.ref != contact.commercial_partner_id.ref:
                own_refs[contact.ref] |= contact
        return own_refs

    def _restore_contacts_own_refs(self, own_refs):
        """Give back the contacts' own references (see
        :meth:`_get_contacts_own_refs`) that the synchronisation of a new code
        overwrote."""
        for ref, contacts in own_refs.items():
            changed = contacts.filtered(lambda c, ref=ref: c.ref != ref)
            if changed:
                changed._internal_write({"ref": ref})

    def _get_client_code_holder(self, code, company=None):
        """The commercial partner other than ``self`` that holds ``code``,
        trashed or archived included.

        Scope: a partner of a company competes with the partners of that
        company's root company and its branches, and the shared ones; a
        shared partner (no company) with everyone.

        :param company: res.company the code is for (default: the company of
            ``self``, none meaning every company)
        :return: res.partner (empty when the code is free)
        """
        # Plain SQL: this runs for every code assigned (the ORM's search
        # would cost more than the rest of the assignment), and it must see
        # archived and trashed partners whatever the user's rights.
        query = self._client_code_scope_query(
            SQL("ref = %s", code), company, SQL("ORDER BY id LIMIT 1")
        )
        rows = self.env.execute_query(query)
        return self.env["res.partner"].sudo().browse(rows[0][0] if rows else ())

    def _client_code_scope_query(self, condition, company=None, tail=None):
        """``SELECT id, ref`` of the commercial partners other than ``self``
        matching ``condition`` (an SQL) whose codes compete with those of
        ``company`` (see :meth:`_get_client_code_holder` for the scope)."""
        company = company if company is not None else self.company_id
        self.env["res.partner"].flush_model(
            ["ref", "client_code_root_company_id", "is_company", "parent_id"]
        )
        query = SQL(
            "SELECT id, ref FROM res_partner"
            " WHERE %s AND (is_company OR parent_id IS NULL)",
            condition,
        )
        if self.ids:
            query = SQL("%s AND id NOT IN %s", query, tuple(self.ids))
        if company:
            query = SQL(
                "%s AND (client_code_root_company_id = %s"
                " OR client_code_root_company_id IS NULL)",
                query,
                company.sudo().root_id.id,
            )
        return SQL("%s %s", query, tail or SQL())

    def _get_taken_name_codes(self, base, company=None):
        """The codes of the name-based mode starting with ``base`` (``base``
        then digits) that compete with ``self``'s, in ONE query however many
        there are.

        :return: set of codes
        """
        length = len(base)
        condition = SQL(
            "left(ref, %s) = %s AND substr(ref, %s) ~ '^[0-9]*$'",
            length,
            base,
            length + 1,
        )
        rows = self.env.execute_query(self._client_code_scope_query(condition, company))
        return {ref for _id, ref in rows}

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
        # Every write of a code normalises it, SQL ones too: the unique index
        # compares stored values.
        code = normalize_code(code)
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
        """A free client code for ``self`` in the format of ``company``'s root
        company (call on a locked commercial partner without code).

        Name-based codes are claimed on the row at once (see
        :meth:`_claim_client_code`): two clients with the same first letters
        may get theirs at the same moment. The codes already taken are read
        in one query, however many clients share the first letters.
        Sequential numbers come from ``nextval()``, never twice the same: a
        free number stays free until the write (only a code typed by hand at
        that very moment could take it, and the unique index would refuse it).

        :raise UserError: when no code can be found (broken configuration,
            codes longer than allowed); see :meth:`_prepare_client_code_or_notify`
        """
        self.ensure_one()
        fmt = company._get_client_code_format()
        try:
            if fmt.mode == MODE_SEQUENCE:
                return self._prepare_sequence_client_code(fmt, company)
            return self._prepare_name_client_code(fmt)
        except LookupError as error:
            raise UserError(
                self.env._(
                    "No free client code could be found for “%(partner)s”: "
                    "check the client code settings of %(company)s.",
                    partner=self.display_name,
                    company=company._get_client_code_company().name,
                )
            ) from error

    def _prepare_sequence_client_code(self, fmt, company):
        """The next free sequential code (numbers whose code was typed by
        hand are skipped for good).

        :raise LookupError: after ``_MAX_CODE_TRIES`` numbers all taken
        """
        candidates = iter_sequence_codes(fmt, company._draw_client_code_number)

        def taken(code):
            return bool(self._get_client_code_holder(code))

        return first_free(candidates, taken, max_tries=_MAX_CODE_TRIES)

    def _prepare_name_client_code(self, fmt):
        """The first free name-based code, claimed on the row.

        The codes taken are read once; a code a concurrent transaction claims
        in the meantime (invisible to this one's snapshot) is added to them
        and the next one is tried.

        :raise LookupError: when the next code would be too long, or after
            ``_MAX_CODE_TRIES`` codes lost to concurrent transactions
        """
        taken = self._get_taken_name_codes(fmt.name_base(self.name))
        for _attempt in range(_MAX_CODE_TRIES):
            code = next_free_name_code(fmt, self.name, taken, MAX_CODE_LENGTH)
            if self._claim_client_code(code):
                return code
            taken.add(code)
        raise LookupError("client codes claimed concurrently")

    def _prepare_client_code_or_notify(self, company):
        """:meth:`_prepare_client_code`, or ``False`` when no code can be
        found: the document that asked for it (a confirmation, an invoice, a
        batch) goes on without a code, and the managers are told (see
        :meth:`_notify_missing_client_code`). A client code must never block
        a sale."""
        self.ensure_one()
        try:
            return self._prepare_client_code(company)
        except UserError as error:  # ValidationError included: bad settings
            self._notify_missing_client_code(company, error.args[0])
            return False

    def _get_client_code_managers(self, company):
        """Users told that a client got no code: the Extrabat managers who
        work in ``company``, else its administrators (Settings)."""
        Users = self.env["res.users"].sudo()
        for group_xmlid in (
            "extrabat_crm.extrabat_crm_group_manager",
            "base.group_system",
        ):
            group = self.env.ref(group_xmlid, raise_if_not_found=False)
            users = group and Users.search(
                [
                    ("all_group_ids", "in", group.id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                ]
            )
            if users:
                return users
        return Users

    def _notify_missing_client_code(self, company, reason):
        """A to-do activity on the client for each manager (see
        :meth:`_get_client_code_managers`), saying that it has no client
        code and why; not twice while the first one is open."""
        self.ensure_one()
        _logger.warning(
            "Client codes: no code for partner #%s in company #%s: %s",
            self.id,
            company.id,
            reason,
        )
        partner = self.sudo()
        summary = self.env._("No client code")
        note = self.env._(
            "“%(partner)s” has a confirmed order or a customer invoice in "
            "%(company)s but no client code could be given to it: "
            "%(reason)s Fix the cause, then type a code on the client or use "
            "Settings › Client codes › Assign.",
            partner=partner.display_name,
            company=company.name,
            reason=reason,
        )
        open_for = partner.activity_ids.filtered(lambda a: a.summary == summary).user_id
        for user in self._get_client_code_managers(company) - open_for:
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note,
                user_id=user.id,
            )

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
            code = partner._prepare_client_code_or_notify(
                company or partner.company_id or self.env.company
            )
            if code:
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
        with_code = company._get_client_code_company().client_code_auto
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
                # contacts and tracking right. None found: the document goes
                # on without it (the managers are told).
                code = partner._prepare_client_code_or_notify(company)
                if code:
                    vals["ref"] = code
            if vals:
                partner._write_claimed(vals)

    @api.model
    def _normalize_existing_client_codes(self):
        """Normalise the client codes stored before codes were normalised
        (migration to 19.0.1.1.0, installation on a live database).

        Never loses a code: a code that would become one another client of
        the same code space holds (or would hold) after normalisation, and a
        code with characters a code may not have, are left unchanged; each
        of those clients gets a note in its chatter saying what to fix, and
        the log a warning listing them.

        :return: dict with ``normalized`` (partner ids changed), ``conflicts``
            (list of (normalised code, [partner ids])) and ``invalid``
            (partner ids whose code has refused characters)
        """
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, ref, COALESCE(client_code_root_company_id, 0)
                  FROM res_partner
                 WHERE ref IS NOT NULL AND ref <> ''
                   AND (is_company OR parent_id IS NULL)
                 ORDER BY id
                """
            )
        )
        by_code = defaultdict(list)  # normalised code -> [(root, id, ref)]
        invalid = []
        for partner_id, ref, root_id in rows:
            try:
                code = normalize_code(ref)
            except InvalidCodeError:
                invalid.append(partner_id)
                continue
            by_code[code].append((root_id, partner_id, ref))
        normalized, conflicts = [], {}
        Partner = self.sudo().with_context(active_test=False)
        for code, holders in by_code.items():
            for root_id, partner_id, ref in holders:
                if ref == code:
                    continue
                # Same code space: same root company, or a shared partner
                # (no company), which competes with every company.
                rivals = {
                    pid
                    for root, pid, _ref in holders
                    if pid != partner_id and (root_id in (root, 0) or not root)
                }
                if rivals:
                    conflicts.setdefault(code, set()).update(rivals, {partner_id})
                    continue
                Partner.browse(partner_id)._internal_write({"ref": code})
                normalized.append(partner_id)
        conflicts = [(code, sorted(pids)) for code, pids in conflicts.items()]
        self._report_client_code_normalization(conflicts, invalid)
        return {"normalized": normalized, "conflicts": conflicts, "invalid": invalid}

    @api.model
    def _report_client_code_normalization(self, conflicts, invalid):
        """Warn in the log and note in each client's chatter the codes that
        :meth:`_normalize_existing_client_codes` left unchanged."""
        Partner = self.sudo().with_context(active_test=False)
        seen = {}
        for code, partner_ids in conflicts:
            for partner_id in partner_ids:
                seen.setdefault(partner_id, set()).add(code)
        for partner_id, codes in seen.items():
            partner = Partner.browse(partner_id)
            others = Partner.browse(
                {pid for code, pids in conflicts if code in codes for pid in pids}
                - {partner_id}
            )
            partner.message_post(
                body=self.env._(
                    "Client codes now compare as people read them (upper "
                    "case, no spaces). The client code “%(code)s” of this "
                    "client is the same code as that of %(others)s once "
                    "written so (%(normalized)s): it was left unchanged. "
                    "Give one of these clients another code.",
                    code=partner.ref,
                    others=", ".join(f"“{p.display_name}” ({p.ref})" for p in others),
                    normalized=", ".join(sorted(codes)),
                ),
                subtype_xmlid="mail.mt_note",
            )
        for partner in Partner.browse(invalid):
            partner.message_post(
                body=self.env._(
                    "The client code “%(code)s” of this client contains "
                    "characters a client code may not have (letters A to Z "
                    "without accents, digits, “-”, “_”, “.” and “/”): it was "
                    "left unchanged. Give the client a valid code.",
                    code=partner.ref,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if conflicts or invalid:
            _logger.warning(
                "Client codes: %s code(s) left unchanged by the normalisation "
                "(see the notes in the chatter of these clients). Same code "
                "once normalised: %s. Refused characters: %s",
                len(seen) + len(invalid),
                "; ".join(
                    f"{code!r}: partners " + ", ".join(f"#{pid}" for pid in partner_ids)
                    for code, partner_ids in conflicts
                )
                or "none",
                ", ".join(f"#{pid}" for pid in invalid) or "none",
            )

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
    def _assign_client_codes_to_existing_customers(
        self, company, batch_size=200, progress=None
    ):
        """Give a code to every existing customer of ``company`` without one,
        ``batch_size`` partners at a time (cache emptied between batches).
        Never assigns twice: a partner that has a code is skipped, so an
        interrupted run is simply run again.

        :param progress: called after each batch with the number of partners
            of the batch, e.g. ``ir.cron._commit_progress`` (which commits);
            a falsy return value stops the run there
        :return: dict with ``assigned`` and ``skipped`` (already had a code)
            counts, ``total`` customers seen and ``complete`` (False when
            ``progress`` stopped the run)
        """
        customer_ids = self._get_customer_partner_ids(company)
        Partner = self.sudo().with_context(active_test=False)
        assigned = skipped = 0
        for start in range(0, len(customer_ids), batch_size):
            batch = Partner.browse(customer_ids[start : start + batch_size])
            skipped += len(batch.filtered("ref"))
            assigned += len(batch._assign_client_code(company))
            self.env.flush_all()
            keep_going = progress(len(batch)) if progress else True
            self.env.invalidate_all()
            if not keep_going:
                return {
                    "assigned": assigned,
                    "skipped": skipped,
                    "total": len(customer_ids),
                    "complete": False,
                }
        return {
            "assigned": assigned,
            "skipped": skipped,
            "total": len(customer_ids),
            "complete": True,
        }

    @api.model
    def _cron_assign_client_codes(self):
        """Scheduled action: give a code to the existing customers of the
        companies where it was asked (``client_code_assign_pending``), a batch
        at a time (system parameter ``extrabat_crm.client_code_batch_size``,
        200 by default), committing after each batch: no giant transaction,
        no partner row locked for long. Stopped by its time limit, it is run
        again by the scheduler and goes on where it stopped."""
        cron = self.env["ir.cron"]
        params = self.env["ir.config_parameter"].sudo()
        try:
            batch_size = int(
                params.get_param("extrabat_crm.client_code_batch_size") or 200
            )
        except ValueError:
            batch_size = 200
        batch_size = max(batch_size, 1)
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("client_code_assign_pending", "=", True)])
        )
        for company in companies:
            cron._commit_progress(
                remaining=len(self._get_customer_partner_ids(company))
            )
            result = self._assign_client_codes_to_existing_customers(
                company, batch_size=batch_size, progress=cron._commit_progress
            )
            if not result["complete"]:
                return
            company.client_code_assign_pending = False
            cron._commit_progress(remaining=0)
            _logger.info(
                "Client codes: %s code(s) assigned to the existing customers of "
                "company #%s (%s customers, %s already had one)",
                result["assigned"],
                company.id,
                result["total"],
                result["skipped"],
            )

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

    def _anonymize(self, cron_run=False):
        """Erase the personal data of these trashed partners and their
        contacts (see :meth:`_anonymize_scope`) and leave a lasting record
        of each anonymisation (``extrabat.gdpr.log``: the partner's id, the
        date, the user, the scheduled run and what was erased). The records
        themselves stay (nothing is deleted but personal data); see
        readme/CONFIGURE.md.

        :param cron_run: identifier of the scheduled run, recorded
        :return: extrabat.gdpr.log, one per partner of ``self``
        """
        logs = self.env["extrabat.gdpr.log"]
        for partner in self:
            counts = partner._anonymize_scope(partner._trash_scope())
            logs |= logs._record(partner, counts, cron_run)
        return logs

    def _anonymize_scope(self, scope):
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
                    partner._anonymize(cron_run=cron_run)
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
