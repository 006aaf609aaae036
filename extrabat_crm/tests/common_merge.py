"""Proof that a merge of partners loses nothing, for any addon's tests.

:class:`PartnerMergeNoLossMixin` builds a realistic client (orders,
invoices, payments, attachments, messages, activities, followers, answers,
Properties, contacts, bank accounts, tags) and snapshots every row that
references a set of partners, found from the database catalogue rather than
from a list: every foreign key to ``res_partner`` (``pg_constraint``), every
``res_model``/``model`` + ``res_id`` pair of columns (``information_schema``),
every stored reference field and the partners' Properties. After the merge,
:meth:`_assert_merge_lost_nothing` checks that each of those rows references
the kept partner, or was united with an equal row of the kept partner (same
values in a unique index: followers of one document, a many2many link both
had, an answer to the same question, a bank account with the same number).

Other addons extend the fixture by overriding
:meth:`_build_merge_fixture` (call ``super()``, then add their documents).
"""

import base64

from odoo import Command
from odoo.tools import SQL

from extrabat_core.questions import ChoiceText


class PartnerMergeNoLossMixin:
    """Use with a ``TransactionCase`` such as ``ExtrabatCrmCommon``."""

    # --- the catalogue ---

    def _merge_catalogue(self):
        """Where a partner can be referenced.

        :return: list of ``(kind, table, column, model column)``; kind is
            ``"fk"`` (column references ``res_partner.id``), ``"ref"``
            (``model column`` holds ``res.partner`` and column the id) or
            ``"reference"`` (column holds ``"res.partner,<id>"``)
        """
        cr = self.env.cr
        self.env.flush_all()
        entries = [
            ("fk", table, column, None)
            for table, column in self.env.execute_query(
                SQL(
                    """
                    SELECT cl.relname, att.attname
                      FROM pg_constraint con
                      JOIN pg_class cl ON cl.oid = con.conrelid
                      JOIN pg_class ref ON ref.oid = con.confrelid
                      JOIN pg_attribute att
                        ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
                     WHERE con.contype = 'f'
                       AND ref.relname = 'res_partner'
                       AND array_length(con.conkey, 1) = 1
                       AND cl.relnamespace = current_schema::regnamespace
                     ORDER BY 1, 2
                    """
                )
            )
        ]
        cr.execute(
            """
            SELECT ids.table_name, models.column_name
              FROM information_schema.columns ids
              JOIN information_schema.columns models
                ON models.table_name = ids.table_name
               AND models.table_schema = ids.table_schema
               AND models.column_name IN ('res_model', 'model')
               AND models.data_type = 'character varying'
              JOIN information_schema.tables t
                ON t.table_name = ids.table_name
               AND t.table_schema = ids.table_schema
               AND t.table_type = 'BASE TABLE'
             WHERE ids.column_name = 'res_id'
               AND ids.data_type = 'integer'
               AND ids.table_schema = current_schema
             ORDER BY 1
            """
        )
        entries += [("ref", table, "res_id", model) for table, model in cr.fetchall()]
        for field in (
            self.env["ir.model.fields"]
            .sudo()
            .search([("ttype", "=", "reference"), ("store", "=", True)])
        ):
            Model = self.env.get(field.model)
            if Model is None or Model._abstract or not Model._auto:
                continue
            entries.append(("reference", Model._table, field.name, None))
        skipped = self._merge_catalogue_skipped_tables()
        return [entry for entry in entries if entry[1] not in skipped]

    def _merge_catalogue_skipped_tables(self):
        """Tables the proof does not look at: the merge wizard's own (Odoo
        skips them too) and the relation tables of stored computed
        many2many fields (derived data, recomputed from what is checked)."""
        skipped = {
            "base_partner_merge_automatic_wizard_res_partner_rel",
            "base_partner_merge_automatic_wizard",
            "base_partner_merge_line",
        }
        for Model in self.env.registry.values():
            for field in Model._fields.values():
                if field.type == "many2many" and field.store and field.compute:
                    skipped.add(field.relation)
        return skipped

    def _merge_has_id(self, table):
        rows = self.env.execute_query(
            SQL(
                "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                " current_schema AND table_name = %s AND column_name = 'id'",
                table,
            )
        )
        return bool(rows)

    def _merge_unique_keys(self, table, column):
        """Column lists of the unique indexes (constraints included) of
        ``table`` that contain ``column``, except the primary key."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT array_agg(att.attname ORDER BY att.attname)
                  FROM pg_index ix
                  JOIN pg_class cl ON cl.oid = ix.indrelid
                  JOIN pg_attribute att
                    ON att.attrelid = cl.oid AND att.attnum = ANY(ix.indkey)
                 WHERE ix.indisunique AND NOT ix.indisprimary
                   AND cl.relname = %s
                   AND cl.relnamespace = current_schema::regnamespace
                 GROUP BY ix.indexrelid
                """,
                table,
            )
        )
        return [cols for (cols,) in rows if column in cols]

    # --- snapshot and proof ---

    def _merge_snapshot(self, partners):
        """Every row referencing ``partners`` (their own rows excluded), as
        ``{(kind, table, column, model column): [row as dict]}``; and their
        Properties under ``("properties",)``."""
        self.env.flush_all()
        ids = tuple(partners.ids)
        snapshot = {}
        for entry in self._merge_catalogue():
            kind, table, column, model_column = entry
            if kind == "fk":
                where = SQL("%s IN %s", SQL.identifier(column), ids)
                if table == "res_partner":
                    where = SQL("%s AND id NOT IN %s", where, ids)
            elif kind == "ref":
                where = SQL(
                    "%s = 'res.partner' AND res_id IN %s",
                    SQL.identifier(model_column),
                    ids,
                )
                if table == "ir_attachment":
                    # the stored values of the partners' own binary fields
                    # (photo): field values, not documents
                    where = SQL("%s AND res_field IS NULL", where)
            else:
                where = SQL(
                    "%s IN %s",
                    SQL.identifier(column),
                    tuple(f"res.partner,{pid}" for pid in ids),
                )
            rows = self.env.execute_query(
                SQL(
                    "SELECT to_jsonb(t) FROM %s t WHERE %s",
                    SQL.identifier(table),
                    where,
                )
            )
            if rows:
                snapshot[entry] = [row for (row,) in rows]
        snapshot[("properties",)] = {
            pid: props or {}
            for pid, props in self.env.execute_query(
                SQL("SELECT id, properties FROM res_partner WHERE id IN %s", ids)
            )
        }
        return snapshot

    def _merge_snapshot_count(self, snapshot):
        return sum(
            len(rows) for entry, rows in snapshot.items() if entry != ("properties",)
        )

    def _assert_merge_lost_nothing(self, snapshot, kept, staying=()):
        """Every row of ``snapshot`` now references ``kept``, or was united
        with an equal row of ``kept`` (same values in a unique index).

        :param staying: ``{(table, id)}`` of rows that must still reference
            the partner they referenced (sealed journal entries)
        """
        self.env.flush_all()
        problems = []
        for entry, rows in snapshot.items():
            if entry == ("properties",):
                continue
            kind, table, column, model_column = entry
            has_id = self._merge_has_id(table)
            keys = self._merge_unique_keys(table, column)
            expected = f"res.partner,{kept.id}" if kind == "reference" else kept.id
            for row in rows:
                if has_id and (table, row["id"]) in staying:
                    now = self.env.execute_query(
                        SQL(
                            "SELECT %s FROM %s WHERE id = %s",
                            SQL.identifier(column),
                            SQL.identifier(table),
                            row["id"],
                        )
                    )
                    if not now or now[0][0] != row[column]:
                        problems.append(f"{table}#{row['id']} did not stay")
                    continue
                if has_id:
                    now = self.env.execute_query(
                        SQL(
                            "SELECT to_jsonb(t) FROM %s t WHERE id = %s",
                            SQL.identifier(table),
                            row["id"],
                        )
                    )
                    if now:
                        current = now[0][0]
                        moved = current[column] == expected and (
                            kind != "ref" or current[model_column] == "res.partner"
                        )
                        # or left beside an equal row of the kept partner
                        # (a duplicate bank account, archived by Odoo)
                        if not moved and not self._merge_united(
                            table, column, expected, current, keys, has_id
                        ):
                            problems.append(
                                f"{table}#{row['id']}.{column} = {current[column]},"
                                f" not {expected}"
                            )
                        continue
                if not self._merge_united(table, column, expected, row, keys, has_id):
                    problems.append(f"{table} row lost: {row}")
        self.assertFalse(problems, "Rows not moved to the kept partner")
        props = (
            self.env.execute_query(
                SQL("SELECT properties FROM res_partner WHERE id = %s", kept.id)
            )[0][0]
            or {}
        )
        for values in snapshot[("properties",)].values():
            for key, value in values.items():
                if value not in (None, False, "", []):
                    self.assertNotIn(
                        props.get(key), (None, False, "", []), f"property {key} lost"
                    )

    def _merge_united(self, table, column, expected, row, keys, has_id):
        """Whether a row gone from ``table`` has an equal row on the kept
        partner: same values of one of the unique keys (or, without id,
        of every column)."""
        candidates = keys if has_id else [sorted(row)]
        for key in candidates:
            conditions = [
                SQL("%s = %s", SQL.identifier(column), expected)
                if name == column
                else SQL(
                    "%s::text IS NOT DISTINCT FROM %s",
                    SQL.identifier(name),
                    None if row[name] is None else str(row[name]),
                )
                for name in key
            ]
            found = self.env.execute_query(
                SQL(
                    "SELECT 1 FROM %s WHERE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL(" AND ").join(conditions),
                )
            )
            if found:
                return True
        return False

    # --- the fixture ---

    @classmethod
    def _setup_merge_questions(cls):
        Question = cls.env["extrabat.question"]
        cls.merge_q_heating = Question.create(
            {
                "name": "Type de chauffage (fusion)",
                "answer_type": "selection",
                "option_ids": [
                    Command.create({"name": "Pompe à chaleur"}),
                    Command.create({"name": "Chaudière gaz"}),
                ],
            }
        )
        cls.merge_q_access = Question.create(
            {
                "name": "Accès chantier (fusion)",
                "answer_type": "selection_text",
                "option_ids": [Command.create({"name": "Clé"})],
            }
        )
        cls.merge_q_surface = Question.create(
            {"name": "Surface (fusion)", "answer_type": "number"}
        )
        cls.merge_tag = cls.env["res.partner.category"].create({"name": "Piscine"})
        definition = (
            cls.env["properties.base.definition"]
            .sudo()
            ._get_definition_for_property_field("res.partner", "properties")
        )
        definition.properties_definition = [
            {"name": "chantier", "string": "Chantier", "type": "char"},
            {"name": "origine", "string": "Origine", "type": "char"},
        ]

    def _build_merge_fixture(self, partner, tag, answers=None, properties=None):
        """Give ``partner`` a realistic history. Override to add documents
        of other addons (``super()`` first).

        :param tag: short text making names and numbers unique
        :return: dict of the main records created
        """
        env = self.env
        contact = env["res.partner"].create(
            {"name": f"Contact {tag}", "parent_id": partner.id, "type": "contact"}
        )
        banks = env["res.partner.bank"].create(
            [
                {"acc_number": f"FR76 3000 4000 {tag}", "partner_id": partner.id},
                # the same account on both records
                {"acc_number": "FR76 1111 2222 3333", "partner_id": partner.id},
            ]
        )
        partner.category_id = [Command.link(self.merge_tag.id)]
        order = self._create_order(partner)
        quote = self._create_quote(partner)
        invoice = self._create_invoice(partner, post=True)
        payment = (
            env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )
        draft_invoice = self._create_invoice(partner)
        attachments = env["ir.attachment"].create(
            [
                {
                    "name": f"{name} {tag}.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 " + name.encode()),
                    "res_model": "res.partner",
                    "res_id": partner.id,
                }
                for name in ("Plan", "Photo chantier")
            ]
        )
        message = partner.message_post(
            body=f"Visite du chantier {tag}",
            message_type="comment",
            attachments=[(f"Relevé {tag}.txt", b"12 m2")],
        )
        activity = partner.activity_schedule(
            "mail.mail_activity_data_call", summary=f"Rappeler {tag}"
        )
        partner.message_subscribe(partner_ids=self.merge_follower.ids)
        # both records follow the same document: one follower after the merge
        self.merge_document.message_subscribe(partner_ids=partner.ids)
        partner._extrabat_set_question_answers(answers or {})
        if properties:
            partner.properties = properties
        return {
            "contact": contact,
            "banks": banks,
            "order": order,
            "quote": quote,
            "invoice": invoice,
            "payment": payment,
            "draft_invoice": draft_invoice,
            "attachments": attachments,
            "message": message,
            "activity": activity,
        }

    @classmethod
    def _setup_merge_fixture_common(cls):
        cls._setup_merge_questions()
        cls.merge_follower = cls.env["res.partner"].create({"name": "Chef de chantier"})
        cls.merge_document = cls.env["res.partner"].create(
            {"name": "Fournisseur suivi"}
        )

    def _answers_kept(self):
        pump, _gas = self.merge_q_heating.option_ids
        key = self.merge_q_access.option_ids
        return {
            self.merge_q_heating: pump,
            self.merge_q_access: ChoiceText(key, "Chez le voisin"),
        }

    def _answers_other(self):
        _pump, gas = self.merge_q_heating.option_ids
        return {self.merge_q_heating: gas, self.merge_q_surface: 140}

    def _merge_with_wizard(self, kept, others):
        """Merge as a user does: the "Merge" action of the partner list,
        ``kept`` chosen as the record to keep."""
        wizard = (
            kept.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(kept | others).ids)
            .create({})
        )
        wizard.dst_partner_id = kept
        wizard.action_merge()
        return wizard
