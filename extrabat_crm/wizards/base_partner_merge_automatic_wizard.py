import logging

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, html2plaintext, mute_logger
from odoo.tools.sql import table_columns

from ..models.res_partner import MERGE_INTO_CONTEXT_KEY, MergeInto
from ..tools import merge_sql

_logger = logging.getLogger(__name__)

# Trash bookkeeping of the kept partner: never taken from a merged one.
_TRASH_FIELDS = (
    "trash_date",
    "trash_user_id",
    "trash_previous_status_id",
    "archived_by_trash",
    "gdpr_anonymized_date",
    "extrabat_merged_into_id",
    "extrabat_merge_date",
)
# Chosen together: one address, never the street of one record and the city
# of another.
_ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
# Field types that a choice row found in the partner form shows and writes
# as they are (x2many, binary, JSON and Properties fields are merged by the
# merge itself).
_CHOICE_TYPES = frozenset(
    {
        "char",
        "text",
        "html",
        "selection",
        "many2one",
        "integer",
        "float",
        "monetary",
        "date",
        "datetime",
    }
)
# Never chosen by the user: the partner's identity and structure, which the
# merge itself decides (Odoo's pass, the client code, the company and the
# trash), and fields derived from others.
_NOT_A_CHOICE = frozenset(
    {
        "id",
        "parent_id",
        "company_id",
        "active",
        "type",
        "ref",
        "client_code_root_company_id",
        "commercial_partner_id",
        "complete_name",
        "color",
        "company_type",
        "is_trashed",
        "properties",
    }
)
# The option of a choice row that keeps the values of every record (tags).
_ALL = "all"


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's merge wizard ("Merge" on a partner list, "Deduplicate
    Contacts"), made lossless for Extrabat's clients:

    * a preview of the records (code, status, answers, documents) and of
      every value that differs, the user choosing which one is kept (the
      others are written in the chatter);
    * foreign keys re-pointed without deleting anything on a unique
      collision (followers are united, other colliding rows stay on the
      merged record and are reported in the chatter);
    * every ``res_model``/``res_id`` reference moved, field by field;
    * client code, complementary questions and Properties merged;
    * journal items sealed by the inalterability hash keep their partner;
    * the merged records go to the trash, marked "merged into", never
      deleted.

    See readme/DEVELOP.md.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    extrabat_preview = fields.Html(
        string="Preview",
        compute="_compute_extrabat_preview",
        sanitize=False,
        help="What each record holds, before the merge.",
    )
    extrabat_merge_differences = fields.Json(
        string="Differences",
        compute="_compute_extrabat_merge_differences",
        help="The values that differ between the records, and which one "
        "each row keeps unless the user chooses another.",
    )
    extrabat_merge_choices = fields.Json(
        string="Values to Keep",
        help="The value kept for each row of the differences, chosen by the "
        "user: {row key: option key}. Checked against the differences when "
        "merging.",
    )

    # === COMPUTE ===
    @api.depends("partner_ids", "dst_partner_id")
    def _compute_extrabat_preview(self):
        for wizard in self:
            partners = wizard.partner_ids._origin
            if len(partners) < 2:
                wizard.extrabat_preview = False
                continue
            wizard.extrabat_preview = self.env["ir.qweb"]._render(
                "extrabat_crm.base_partner_merge_preview",
                wizard._extrabat_prepare_preview_values(
                    partners, wizard.dst_partner_id._origin
                ),
            )

    @api.depends("partner_ids", "dst_partner_id")
    def _compute_extrabat_merge_differences(self):
        for wizard in self:
            partners = wizard.partner_ids._origin
            dst_partner = wizard.dst_partner_id._origin
            if len(partners) < 2 or dst_partner not in partners:
                wizard.extrabat_merge_differences = False
                continue
            rows = wizard._extrabat_merge_difference_rows(partners, dst_partner)
            wizard.extrabat_merge_differences = {"rows": rows} if rows else False

    # === ONCHANGE ===
    @api.onchange("partner_ids", "dst_partner_id")
    def _onchange_extrabat_merge_choices(self):
        """Forget the choices of rows or records that the new selection no
        longer has (a record removed from the list)."""
        choices = self.extrabat_merge_choices
        if not isinstance(choices, dict) or not choices:
            return
        offered = {
            row["key"]: {option["key"] for option in row["options"]}
            for row in (self.extrabat_merge_differences or {}).get("rows", [])
        }
        kept = {
            key: value
            for key, value in choices.items()
            if value in offered.get(key, ())
        }
        if kept != choices:
            self.extrabat_merge_choices = kept or False

    # === BUSINESS: values to keep ===
    @api.model
    def _extrabat_merge_choice_groups(self):
        """The rows of values a user chooses between when merging, in the
        order shown: the curated fields of a client, then the other simple
        fields of the partner form. Extend it with ``super()``; rows naming a
        server-only field (see ``res.partner._get_server_only_fields``), a
        field of :data:`_NOT_A_CHOICE` or a field the user may not write are
        dropped by :meth:`_extrabat_merge_allowed_groups`.

        :return: list of ``(key, label, field names)``
        """
        Partner = self.env["res.partner"]
        partner_fields = Partner._fields

        def single(fname):
            return (
                fname,
                partner_fields[fname]._description_string(self.env),
                (fname,),
            )

        person_or_company = self.env._("Person or Company")
        groups = [("is_company", person_or_company, ("is_company",))]
        groups += [single(f) for f in ("name", "function", "email", "phone")]
        groups.append(("address", self.env._("Address"), _ADDRESS_FIELDS))
        groups += [
            single(f)
            for f in (
                "vat",
                "company_registry",
                "website",
                "lang",
                "user_id",
                "client_status_id",
                "category_id",
                "comment",
            )
            if f in partner_fields
        ]
        curated = {fname for _key, _label, fnames in groups for fname in fnames}
        form_fields = Partner.get_view(view_type="form")["models"].get(
            "res.partner", ()
        )
        others = []
        for fname in form_fields:
            field = partner_fields.get(fname)
            if (
                field is None
                or fname in curated
                or not field.store
                or field.type not in _CHOICE_TYPES
                or field.company_dependent
                or field.related
                or (field.compute and field.readonly)
            ):
                continue
            others.append(single(fname))
        return groups + sorted(others, key=lambda group: group[1])

    @api.model
    def _extrabat_merge_allowed_groups(self):
        """:meth:`_extrabat_merge_choice_groups` without the fields a user
        never chooses (server-only, structure) or may not write.

        :return: ``{key: (label, field names)}``, in order
        """
        Partner = self.env["res.partner"]
        refused = Partner._get_server_only_fields() | _NOT_A_CHOICE
        allowed = {}
        for key, label, fnames in self._extrabat_merge_choice_groups():
            fields_ = [Partner._fields.get(fname) for fname in fnames]
            if all(
                field is not None
                and field.name not in refused
                and Partner._has_field_access(field, "write")
                for field in fields_
            ):
                allowed[key] = (label, tuple(fnames))
        return allowed

    @api.model
    def _extrabat_merge_value(self, partner, fnames):
        """A comparable form of the values of ``fnames`` on ``partner``:
        ids for relations, ``False`` for every empty value."""
        values = []
        for fname in fnames:
            value = partner[fname]
            field = partner._fields[fname]
            if field.type == "many2one":
                value = value.id
            elif field.type in ("many2many", "one2many"):
                value = frozenset(value.ids)
            elif field.type == "html":
                value = html2plaintext(value or "").strip()
            values.append(value or False)
        return tuple(values)

    @api.model
    def _extrabat_merge_value_text(self, partner, key, fnames):
        """What the user reads for the values of ``fnames`` on ``partner``
        (empty string: no value)."""
        if key == "is_company":
            return self.env._("Company") if partner.is_company else self.env._("Person")
        if key == "address":
            if not any(partner[fname] for fname in fnames):
                return ""
            lines = partner._display_address(without_company=True).splitlines()
            return ", ".join(line.strip() for line in lines if line.strip())
        texts = []
        for fname in fnames:
            field = partner._fields[fname]
            value = partner[fname]
            if field.type == "html":
                texts.append(html2plaintext(value or "").strip())
            elif field.type in ("many2one", "many2many", "one2many"):
                texts.append(", ".join(value.mapped("display_name")))
            elif field.type == "boolean":
                texts.append(self.env._("Yes") if value else "")
            else:
                texts.append(str(field.convert_to_export(value, partner) or ""))
        return " ".join(text for text in texts if text)

    @api.model
    def _extrabat_merge_difference_rows(self, partners, dst_partner):
        """The rows of values that differ between ``partners``, each with
        its options (the value of each record, the kept record's first) and
        the option kept unless the user chooses another: the kept record's
        value when it has one (Person or Company: always), else the value
        Odoo's merge would take; every record's tags.

        :return: list of ``{"key", "label", "default", "options": [{"key",
            "partner_id", "partner", "kept", "text"}]}``; an option key is a
            partner id as a string, or ``"all"``
        """
        partners = partners.with_context(active_test=False)
        ordered = (dst_partner & partners) | (partners - dst_partner)
        names = self._extrabat_merge_partner_names(ordered)
        rows = []
        for key, (label, fnames) in self._extrabat_merge_allowed_groups().items():
            values = {p: self._extrabat_merge_value(p, fnames) for p in ordered}
            if len(set(values.values())) < 2:
                continue
            options = [
                {
                    "key": str(partner.id),
                    "partner_id": partner.id,
                    "partner": names[partner],
                    "kept": partner == dst_partner,
                    "text": self._extrabat_merge_value_text(partner, key, fnames),
                }
                for partner in ordered
                if (key == "is_company" or any(values[partner]))
                and self._extrabat_merge_option_allowed(key, partner)
            ]
            if not options:
                continue
            if key == "category_id":
                options.append(
                    {
                        "key": _ALL,
                        "partner_id": False,
                        "partner": "",
                        "kept": False,
                        "text": self.env._("All of them (every record's tags)"),
                    }
                )
                default = _ALL
            elif options[0]["kept"]:
                default = options[0]["key"]
            else:
                # Odoo's pass: the last merged record with a value
                default = options[-1]["key"]
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "default": default,
                    "options": options,
                }
            )
        return rows

    @api.model
    def _extrabat_merge_partner_names(self, partners):
        """How the values' records are named: their name, and their ID
        when two have the same (duplicates often do).

        :return: ``{partner: name}``
        """
        plain = {
            partner: partner.with_context(partner_show_db_id=False).display_name
            for partner in partners
        }
        counts = {}
        for name in plain.values():
            counts[name] = counts.get(name, 0) + 1
        return {
            partner: self.env._("%(name)s (ID %(id)s)", name=name, id=partner.id)
            if counts[name] > 1
            else name
            for partner, name in plain.items()
        }

    @api.model
    def _extrabat_merge_option_allowed(self, key, partner):
        """Whether the value of ``partner`` may be kept for the row ``key``:
        not the status of a record in the trash (the kept client would go
        to the trash). Extend it with ``super()``."""
        return not (key == "client_status_id" and partner.client_status_id.is_trash)

    @api.model
    def _extrabat_merge_plan(self, partners, dst_partner, choices=None):
        """What the merge writes on ``dst_partner`` after Odoo's pass, and
        what it logs in its chatter: the value chosen for each row of
        :meth:`_extrabat_merge_difference_rows` (its default when not
        chosen). Computed before anything moves (tags move with the
        foreign keys).

        :param choices: ``{row key: option key}`` sent by the user; every
            key must name a row the merge lets the user choose and every
            value an option of that row
        :raise UserError: on a choice that names another field or record
        :return: ``{"vals": {field: value to write}, "compare": {field: its
            value as :meth:`_extrabat_merge_value` gives it}, "log": [(label,
            kept text, kept partner name, [(text, partner name) not kept])]}``
        """
        choices = self._extrabat_merge_check_choices(partners, dst_partner, choices)
        allowed = self._extrabat_merge_allowed_groups()
        partners = partners.with_context(active_test=False)
        vals = {}
        compare = {}
        log = []
        for row in self._extrabat_merge_difference_rows(partners, dst_partner):
            key = row["key"]
            fnames = allowed[key][1]
            chosen_key = choices.get(key, row["default"])
            options = {option["key"]: option for option in row["options"]}
            if chosen_key == _ALL:
                # tags: every record's, which the merge unites already
                log.append((row["label"], row["options"][-1]["text"], "", []))
                continue
            chosen = options[chosen_key]
            partner = partners.browse(chosen["partner_id"])
            for fname in fnames:
                field = partner._fields[fname]
                value = partner[fname]
                compare[fname] = self._extrabat_merge_value(partner, (fname,))
                if field.type == "many2many":
                    vals[fname] = [Command.set(value.ids)]
                else:
                    vals[fname] = field.convert_to_write(value, partner)
            others = [
                (option["text"], option["partner"])
                for option in row["options"]
                if option["key"] not in (chosen_key, _ALL)
                and option["text"]
                and option["text"] != chosen["text"]
            ]
            log.append((row["label"], chosen["text"], chosen["partner"], others))
        return {"vals": vals, "compare": compare, "log": log}

    @api.model
    def _extrabat_merge_check_choices(self, partners, dst_partner, choices):
        """The user's choices, checked: each names a row that the merge lets
        the user choose (never a server-only field) and one of its options.

        :return: ``{row key: option key}`` of the rows that differ
        :raise UserError: naming the refused choice
        """
        if not choices:
            return {}
        if not isinstance(choices, dict):
            raise UserError(self.env._("The values to keep are not valid."))
        allowed = self._extrabat_merge_allowed_groups()
        offered = {
            row["key"]: {option["key"] for option in row["options"]}
            for row in self._extrabat_merge_difference_rows(partners, dst_partner)
        }
        checked = {}
        for key, value in choices.items():
            if key not in allowed:
                raise UserError(
                    self.env._(
                        "“%(key)s” is not a value that a merge lets you choose.",
                        key=key,
                    )
                )
            if key not in offered:
                continue  # the records no longer differ there
            if not isinstance(value, str) or value not in offered[key]:
                raise UserError(
                    self.env._(
                        "The value chosen for “%(label)s” is not the value of "
                        "one of the records merged.",
                        label=allowed[key][0],
                    )
                )
            checked[key] = value
        return checked

    @api.model
    def _extrabat_merge_apply_plan(self, dst_partner, plan):
        """Write the chosen values on the kept partner (as the user, without
        the running merge's context: never a server-only field) and log the
        values not kept in its chatter."""
        # only what Odoo's pass left different from the choice
        vals = {
            fname: value
            for fname, value in plan["vals"].items()
            if self._extrabat_merge_value(dst_partner, (fname,))
            != plan["compare"][fname]
        }
        if vals:
            dst_partner.with_context(
                **{MERGE_INTO_CONTEXT_KEY: None, "mail_notrack": True}
            ).write(vals)
        if not plan["log"]:
            return
        items = []
        for label, kept_text, kept_partner, others in plan["log"]:
            kept = (
                self.env._(
                    "kept: “%(value)s” (from %(partner)s)",
                    value=kept_text,
                    partner=kept_partner,
                )
                if kept_partner
                else self.env._("kept: %(value)s", value=kept_text)
            )
            if not kept_text:
                kept = self.env._("left empty")
            not_kept = Markup("; ").join(
                self.env._(
                    "not kept: “%(value)s” (from %(partner)s)",
                    value=text,
                    partner=partner,
                )
                for text, partner in others
            )
            items.append(
                Markup("<b>%s</b>: %s%s")
                % (label, kept, Markup("; %s") % not_kept if others else "")
            )
        dst_partner._extrabat_merge_log_list(
            self.env._(
                "Values that differed between the merged records (the records "
                "in the trash keep theirs):"
            ),
            items,
        )

    # === BUSINESS: preview ===
    @api.model
    def _extrabat_prepare_preview_values(self, partners, dst_partner):
        """What the preview (template ``extrabat_crm.base_partner_merge_preview``)
        shows: one column per partner, the kept one first, with its client
        code, status, answers to complementary questions and the counts of
        :meth:`res.partner._extrabat_merge_preview_counts`; and why the merge
        would be refused, if it would.

        :return: ``{"warning": message or None, "count_labels": [label],
            "columns": [{"name", "kept", "code", "status", "answers":
            [(question, answer)], "counts": [count]}]}``
        """
        partners = partners.with_context(active_test=False)
        ordered = dst_partner & partners
        ordered |= partners - ordered
        columns = []
        count_labels = []
        for partner in ordered:
            answers = partner._extrabat_question_answer_texts()
            questions = {
                q.code: q.name
                for q in self.env["extrabat.question"]
                .with_context(active_test=False)
                .search([("code", "in", list(answers))])
            }
            counts = partner._extrabat_merge_preview_counts()
            if not columns:
                count_labels = [label for label, _count in counts]
            columns.append(
                {
                    "name": partner.display_name,
                    "kept": partner == dst_partner,
                    "code": partner.commercial_partner_id.ref or "",
                    "status": partner.client_status_id.name or "",
                    "answers": [
                        (questions.get(code, code), text)
                        for code, text in answers.items()
                        if text
                    ],
                    "counts": [count for _label, count in counts],
                }
            )
        return {
            "warning": self._extrabat_merge_problem(partners, dst_partner),
            "count_labels": count_labels,
            "columns": columns,
        }

    # === BUSINESS: checks ===
    @api.model
    def _extrabat_merge_problem(self, partners, dst_partner):
        """Why ``partners`` cannot be merged into ``dst_partner`` (translated
        message), or ``None``.

        Refused: keeping a record that is in the trash (restore it first, or
        keep the other one), and records of different companies (a client of
        one company cannot receive another company's documents). A client of
        a company is not merged into a client shared between companies
        either: its attachments, messages and notes would follow it and
        become readable by the users of every company.
        """
        if not dst_partner:
            return None
        if dst_partner.commercial_partner_id.is_trashed:
            return self.env._(
                "“%(partner)s” is in the trash: restore it before keeping it, "
                "or keep the other record (a record in the trash can be "
                "merged into an active one).",
                partner=dst_partner.display_name,
            )
        company = dst_partner.company_id
        if company:
            other = (partners - dst_partner).filtered(lambda p: p.company_id != company)
            if other:
                return self.env._(
                    "“%(kept)s” belongs to the company %(company)s and "
                    "“%(other)s” to %(other_company)s: only clients of the "
                    "same company can be merged (or keep a client shared "
                    "between companies).",
                    kept=dst_partner.display_name,
                    company=company.name,
                    other=other[0].display_name,
                    other_company=other[0].company_id.name
                    or self.env._("no company (shared)"),
                )
            return None
        own = (partners - dst_partner).filtered("company_id")
        if own:
            return self.env._(
                "A client of %(company)s cannot be merged into a client shared "
                "between companies: its documents would become visible to the "
                "other companies. (“%(other)s” into “%(kept)s”: keep the client "
                "of %(company)s instead, or give both the same company.)",
                company=own[0].company_id.name,
                other=own[0].display_name,
                kept=dst_partner.display_name,
            )
        return None

    # === BUSINESS: merge steps (overrides of Odoo's wizard) ===
    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Odoo's merge, whose final deletion of the merged partners becomes
        the trash (:meth:`res.partner._extrabat_put_merged_in_trash`)."""
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner, extra_checks)
        if not (dst_partner and dst_partner in partners):
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        problem = self._extrabat_merge_problem(partners, dst_partner)
        if problem and self.env.context.get("extrabat_merge_skip_refused"):
            _logger.info("Merge of partners %s skipped: %s", partners.ids, problem)
            return None
        if problem:
            raise UserError(problem)
        choices = (
            self.extrabat_merge_choices
            if len(self) == 1 and self.partner_ids._origin == partners
            else None
        )
        plan = self._extrabat_merge_plan(partners, dst_partner, choices)
        merge = MergeInto((partners - dst_partner).ids, dst_partner.id, plan)
        # The running merge (a value no RPC call can send) lets Odoo's pass
        # write the trash bookkeeping of the kept partner, which
        # _update_values() gives back its own values right after.
        dst_partner = dst_partner.with_context(**{MERGE_INTO_CONTEXT_KEY: merge})
        return super(
            BasePartnerMergeAutomaticWizard,
            self.with_context(**{MERGE_INTO_CONTEXT_KEY: merge}),
        )._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    def action_merge(self):
        """Merge, then go to the next group of Contacts › Find Duplicates;
        after the last one (and after a merge started from a list), close
        the dialog with a notification: the list behind it reloads."""
        self.ensure_one()
        kept = self.dst_partner_id
        merged = self.partner_ids - kept
        action = super().action_merge()
        if self.state != "finished" or not merged:
            return action
        return self._extrabat_action_merged(kept, merged)

    def _extrabat_action_merged(self, kept, merged):
        """The end of a merge: a notification, then the dialog closes."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(merged)s merged into %(kept)s (the merged records are "
                    "in the trash).",
                    merged=", ".join(merged.mapped("display_name")),
                    kept=kept.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_skip(self):
        """Skip this group; after the last one, close the dialog."""
        action = super().action_skip()
        if self.state == "finished":
            return {"type": "ir.actions.act_window_close"}
        return action

    def _action_next_screen(self):
        # The choices were those of the group just merged or skipped.
        self.extrabat_merge_choices = False
        return super()._action_next_screen()

    def action_start_automatic_process(self):
        # Groups that cannot be merged (see _extrabat_merge_problem) are
        # skipped, not a reason to stop the automatic merge of the others.
        return super(
            BasePartnerMergeAutomaticWizard,
            self.with_context(extrabat_merge_skip_refused=True),
        ).action_start_automatic_process()

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # Complementary questions first: the answers the kept partner lacks
        # move to it, answered-differently ones are written in its chatter.
        dst_partner._extrabat_merge_question_answers(src_partners)
        return super()._update_foreign_keys(src_partners, dst_partner)

    @api.model
    def _update_foreign_keys_generic(self, model, src_records, dst_record):
        """For partners, re-point every foreign key without ever deleting a
        row (Odoo deletes the merged partner's rows of a table as soon as one
        of them collides with a unique constraint):

        * followers of a document both partners follow become one follower
          with the subtypes of both;
        * many2many links both partners have are kept once;
        * a row that still collides stays on the merged partner (which is
          kept in the trash) and is reported in the kept partner's chatter;
        * rows :meth:`_extrabat_merge_rows_staying` names stay (sealed
          journal entries), as does the merged partners' own row.
        """
        if model != "res.partner":
            return super()._update_foreign_keys_generic(model, src_records, dst_record)
        self.env.flush_all()
        self.env.invalidate_all()
        cr = self.env.cr
        src_ids = src_records.ids
        report = []
        for table, column in self._get_fk_on("res_partner"):
            if "base_partner_merge_" in table:
                continue
            staying = self._extrabat_merge_rows_staying(
                table, column, src_records, dst_record
            )
            where = SQL("%s IN %s", SQL.identifier(column), tuple(src_ids))
            if staying is not None:
                where = SQL("%s AND NOT (%s)", where, staying)
            if not merge_sql.has_rows(cr, table, where):
                continue
            columns = [c for c in table_columns(cr, table) if c != column]
            if table == "mail_followers" and column == "partner_id":
                merge_sql.unite_followers(
                    cr, src_ids, dst_record.id, ("res_model", "res_id"), "partner_id"
                )
            if len(columns) <= 1:
                merge_sql.move_links(
                    cr, table, column, columns[0], src_ids, dst_record.id
                )
                continue
            if merge_sql.update_rows(cr, table, column, where, dst_record.id):
                continue
            kept = merge_sql.update_row_by_row(cr, table, column, where, dst_record.id)
            if kept:
                report.append((table, column, kept))
        if report:
            self._extrabat_report_kept_rows(dst_record, src_records, report)
        self.env.invalidate_all()

    @api.model
    def _extrabat_merge_rows_staying(self, table, column, src_partners, dst_partner):
        """Rows of ``table`` that a merge leaves on the merged partner, as an
        SQL condition (or ``None``): the merged partners' own rows; the
        duplicates of the kept partner's bank accounts, which Odoo's
        ``_merge_bank_accounts`` archived after moving what referenced them;
        and the journal entries sealed by the inalterability hash
        (``partner_id`` is part of the hash: re-pointing it would make Odoo's
        integrity check report them as altered). Extend it with ``super()``."""
        if table == "res_partner":
            return SQL("id IN %s", tuple(src_partners.ids))
        if table == "res_partner_bank":
            return SQL(
                "active IS NOT TRUE AND sanitized_acc_number IN ("
                " SELECT sanitized_acc_number FROM res_partner_bank"
                " WHERE partner_id = %s)",
                dst_partner.id,
            )
        if table == "account_move":
            return SQL("inalterable_hash IS NOT NULL")
        if table == "account_move_line":
            return SQL(
                "move_id IN (SELECT id FROM account_move"
                " WHERE inalterable_hash IS NOT NULL)"
            )
        return None

    @api.model
    def _extrabat_report_kept_rows(self, dst_partner, src_partners, report):
        """Write in the kept partner's chatter the rows left on the merged
        ones, by kind of record (the model's name, translated).

        :param report: list of ``(table, column, [row ids])``
        """
        names = {
            Model._table: Model._name
            for Model in self.env.registry.values()
            if not Model._abstract and Model._auto
        }
        IrModel = self.env["ir.model"].sudo()
        dst_partner._extrabat_merge_log_list(
            self.env._(
                "These records collided with records of this client and stayed "
                "on the merged client %(merged)s (in the trash):",
                merged=", ".join(src_partners.mapped("display_name")),
            ),
            [
                self.env._(
                    "%(model)s (%(table)s.%(column)s): %(count)s record(s)",
                    model=IrModel._get(names[table]).name if table in names else table,
                    table=table,
                    column=column,
                    count=len(kept),
                )
                for table, column, kept in report
            ],
        )
        _logger.info(
            "Merge into partner %s: rows left on %s: %s",
            dst_partner.id,
            src_partners.ids,
            report,
        )

    @api.model
    def _update_reference_fields_generic(
        self, referenced_model, src_records, dst_record, additional_update_records=None
    ):
        """For partners, move every ``res_model``/``res_id`` style reference
        (every stored ``Many2oneReference`` field of every model: attachments,
        messages, followers, activities, events...) before Odoo's pass, which
        only knows a few models and deletes on a unique collision. Followers
        of both records become one (subtypes united); attachments of binary
        fields (``res_field``: the merged record's own photo) stay."""
        if referenced_model == "res.partner":
            merge_sql.unite_followers(
                self.env.cr,
                src_records.ids,
                dst_record.id,
                ("res_model", "partner_id"),
                "res_id",
            )
            self._extrabat_move_references(referenced_model, src_records, dst_record)
        return super()._update_reference_fields_generic(
            referenced_model, src_records, dst_record, additional_update_records
        )

    @api.model
    def _extrabat_move_references(self, referenced_model, src_records, dst_record):
        self.env.flush_all()
        for model_name, field_names in self._extrabat_reference_fields().items():
            Model = self.env[model_name].sudo().with_context(active_test=False)
            for fname in field_names:
                model_field = Model._fields[fname].model_field
                domain = [
                    (model_field, "=", referenced_model),
                    (fname, "in", src_records.ids),
                ]
                if model_name == "ir.attachment":
                    # explicit: every document, not only the default search's
                    domain.append(("res_field", "=", False))
                records = Model.search(domain)
                if not records:
                    continue
                try:
                    with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                        records.write({fname: dst_record.id})
                        records.env.flush_all()
                except psycopg2.IntegrityError:
                    left = self.env[model_name]
                    for record in records:
                        try:
                            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                                record.write({fname: dst_record.id})
                                record.env.flush_all()
                        except psycopg2.IntegrityError:
                            left |= record
                    if left:
                        self._extrabat_report_kept_rows(
                            dst_record,
                            src_records,
                            [(Model._table, fname, left.ids)],
                        )

    @api.model
    def _extrabat_reference_fields(self):
        """Stored ``Many2oneReference`` fields of non-transient models.

        :return: ``{model name: [field names]}``
        """
        result = {}
        for model_name, Model in self.env.registry.items():
            if Model._abstract or Model._transient or not Model._auto:
                continue
            for fname, field in Model._fields.items():
                if (
                    field.type == "many2one_reference"
                    and field.store
                    and not field.compute
                ):
                    result.setdefault(model_name, []).append(fname)
        return result

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """The kept partner keeps its client code, or takes a merged one's
        (released first: codes are unique); the other codes are written in
        its chatter and stay on the merged records in the trash (codes are
        never recycled: posted entries exported under them keep their
        meaning). It keeps its own trash bookkeeping and company (a shared
        client stays shared), the earliest "client since", receives the
        Properties values it lacks, and the values the user chose (see
        :meth:`_extrabat_merge_plan`)."""
        codes = {p: p.ref for p in src_partners if p.ref}
        moved_code = False
        if not dst_partner.ref and codes:
            moved_code = next(code for p, code in reversed(codes.items()))
        # Released during Odoo's pass, which would copy one onto the kept
        # partner (a code held twice): given back afterwards.
        if codes:
            src_partners.filtered("ref").sudo()._internal_write({"ref": False})
        kept_values = {
            fname: dst_partner[fname] for fname in (*_TRASH_FIELDS, "company_id")
        }
        since = [p.client_since for p in src_partners | dst_partner if p.client_since]
        dst_partner._extrabat_merge_properties(src_partners)
        res = super()._update_values(src_partners, dst_partner)
        vals = {
            fname: value.id if isinstance(value, models.BaseModel) else value
            for fname, value in kept_values.items()
            if dst_partner[fname] != value
        }
        if since and dst_partner.client_since != min(since):
            vals["client_since"] = min(since)
        if moved_code:
            vals["ref"] = moved_code
        # The bookkeeping is server-only (see res.partner.write()).
        internal = {
            k: vals.pop(k) for k in (*_TRASH_FIELDS, "client_since") if k in vals
        }
        if internal:
            dst_partner.sudo()._internal_write(internal)
        if vals:
            dst_partner.sudo().write(vals)
        merge = self.env.context.get(MERGE_INTO_CONTEXT_KEY)
        if isinstance(merge, MergeInto) and merge.plan:
            self._extrabat_merge_apply_plan(dst_partner, merge.plan)
        for partner, code in codes.items():
            if code != moved_code:
                partner.sudo()._internal_write({"ref": code})
        # The contacts moved by SQL show the kept client's code and status
        # (archived ones too).
        if dst_partner._is_commercial_partner():
            dst_partner.sudo().with_context(
                active_test=False
            )._commercial_sync_to_descendants()
        # Contacts that the merged client's trash had archived now belong to
        # the kept client: its own restore must not re-activate them.
        self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("parent_id", "=", dst_partner.id), ("archived_by_trash", "=", True)]
        )._internal_write({"archived_by_trash": False})
        if codes:
            self._extrabat_log_merged_codes(dst_partner, codes, moved_code)
        # The chatter says what the merge changed (the messages above): no
        # field-by-field tracking of Odoo's pass, whose computed "Inlined
        # Complete Address" would show as a technical line.
        dst_partner._track_discard()
        return res

    @api.model
    def _extrabat_log_merged_codes(self, dst_partner, codes, moved_code):
        """Write the client codes of the merged partners in the kept
        partner's chatter.

        :param codes: ``{merged partner: its code}``
        :param moved_code: the code the kept partner took, if any
        """
        items = []
        for partner, code in codes.items():
            if code == moved_code:
                text = self.env._(
                    "Client code %(code)s of %(partner)s: now this client's "
                    "code (it had none).",
                    code=code,
                    partner=partner.display_name,
                )
            else:
                text = self.env._(
                    "Client code %(code)s of %(partner)s: kept by that record "
                    "in the trash, never reused; its journal items are now "
                    "this client's (code %(kept)s).",
                    code=code,
                    partner=partner.display_name,
                    kept=dst_partner.ref,
                )
            items.append(text)
        dst_partner._extrabat_merge_log_list(
            self.env._("Client codes of the merged clients:"), items
        )
