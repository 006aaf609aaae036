"""Client codes (codes clients / codes comptables) of commercial partners:
formats, uniqueness per root company, assignment (documents, batch, cron),
normalisation."""

import logging
from collections import defaultdict

import psycopg2
import psycopg2.extras

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
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

_logger = logging.getLogger(__name__)

# Context key listing the (partner id, code) pairs just claimed on the rows
# (a frozenset, which no RPC call can send): already checked, not again.
_CLAIMED_CODES_KEY = "_extrabat_claimed_client_codes"

# Candidates tried before giving up on a client code (a broken configuration).
_MAX_CODE_TRIES = 1000


class ResPartner(models.Model):
    """Client codes of partners."""

    # One file per concern, as Odoo splits big models.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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

    # === BUSINESS ===

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
