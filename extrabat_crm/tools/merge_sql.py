"""Cursor-level steps of the client merge (see
``wizards/base_partner_merge_automatic_wizard.py``): raw SQL on the
database cursor, run inside the merge's transaction. The ORM caches are the
caller's business (flush before, invalidate after)."""

import psycopg2

from odoo.tools import SQL, mute_logger
from odoo.tools.sql import table_columns


def has_rows(cr, table, where):
    """Whether ``table`` has a row matching ``where``.

    :param cr: database cursor
    :param str table: table name
    :param SQL where: condition on the rows
    :rtype: bool
    """
    cr.execute(SQL("SELECT 1 FROM %s WHERE %s LIMIT 1", SQL.identifier(table), where))
    return bool(cr.rowcount)


def update_rows(cr, table, column, where, dst_id):
    """Set ``column`` to ``dst_id`` on every row matching ``where``, in one
    UPDATE inside a savepoint.

    :param cr: database cursor
    :param str table: table name
    :param str column: the foreign key column to re-point
    :param SQL where: the rows to move
    :param int dst_id: the new value of ``column``
    :return: ``False`` when a constraint refused it (nothing changed then)
    :rtype: bool
    """
    try:
        with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    dst_id,
                    where,
                )
            )
    except psycopg2.IntegrityError:
        return False
    return True


def update_row_by_row(cr, table, column, where, dst_id):
    """Set ``column`` to ``dst_id`` on the rows matching ``where`` one by
    one, each in its own savepoint; the rows a constraint refuses stay.

    :param cr: database cursor
    :param str table: table name
    :param str column: the foreign key column to re-point
    :param SQL where: the rows to move
    :param int dst_id: the new value of ``column``
    :return: ids (or ``ctid`` for tables without ``id``) of the rows left
    :rtype: list
    """
    key = "id" if "id" in table_columns(cr, table) else "ctid"
    cr.execute(
        SQL(
            "SELECT %s FROM %s WHERE %s",
            SQL.identifier(key),
            SQL.identifier(table),
            where,
        )
    )
    kept = []
    for (row_key,) in cr.fetchall():
        try:
            with mute_logger("odoo.sql_db"), cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE %s = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        dst_id,
                        SQL.identifier(key),
                        row_key,
                    )
                )
        except psycopg2.IntegrityError:
            kept.append(row_key)
    return kept


def move_links(cr, table, column, other, src_ids, dst_id):
    """Many2many links (a two-column relation table): move to ``dst_id``
    the links of ``src_ids`` that ``dst_id`` lacks; the others are the same
    link twice and are dropped (``dst_id`` has it).

    :param cr: database cursor
    :param str table: relation table
    :param str column: the column holding the merged ids
    :param str other: the other column of the relation
    :param list src_ids: ids of the merged records
    :param int dst_id: id of the kept record
    """
    for src_id in src_ids:
        cr.execute(
            SQL(
                "UPDATE %(table)s AS moved SET %(column)s = %(dst)s"
                " WHERE moved.%(column)s = %(src)s AND NOT EXISTS ("
                "  SELECT 1 FROM %(table)s AS kept"
                "  WHERE kept.%(column)s = %(dst)s"
                "  AND kept.%(other)s = moved.%(other)s)",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                other=SQL.identifier(other),
                dst=dst_id,
                src=src_id,
            )
        )
    cr.execute(
        SQL(
            "DELETE FROM %(table)s AS dup WHERE dup.%(column)s IN %(src)s"
            " AND EXISTS (SELECT 1 FROM %(table)s AS kept"
            "  WHERE kept.%(column)s = %(dst)s AND kept.%(other)s = dup.%(other)s)",
            table=SQL.identifier(table),
            column=SQL.identifier(column),
            other=SQL.identifier(other),
            dst=dst_id,
            src=tuple(src_ids),
        )
    )


def unite_followers(cr, src_ids, dst_id, same, by):
    """Where a merged partner and the kept one would become the same
    follower (same document and partner), give the kept follower the
    subtypes of both and drop the merged one.

    :param cr: database cursor
    :param list src_ids: ids of the merged partners
    :param int dst_id: id of the kept partner
    :param tuple same: ``("res_model", "res_id")`` (the partners follow the
        same document) or ``("res_model", "partner_id")`` (the same partner
        follows both partners' records)
    :param str by: the column that the merge changes (``partner_id`` or
        ``res_id``)
    """
    for src_id in src_ids:
        join = SQL(" AND ").join(
            SQL("kept.%s = moved.%s", SQL.identifier(c), SQL.identifier(c))
            for c in same
        )
        pairs = SQL(
            "SELECT moved.id AS moved_id, kept.id AS kept_id"
            " FROM mail_followers moved JOIN mail_followers kept ON %s"
            " AND kept.%s = %s WHERE moved.%s = %s%s",
            join,
            SQL.identifier(by),
            dst_id,
            SQL.identifier(by),
            src_id,
            SQL(" AND moved.res_model = 'res.partner'") if by == "res_id" else SQL(""),
        )
        cr.execute(
            SQL(
                "WITH pairs AS (%s)"
                " INSERT INTO mail_followers_mail_message_subtype_rel"
                " (mail_followers_id, mail_message_subtype_id)"
                " SELECT pairs.kept_id, rel.mail_message_subtype_id FROM pairs"
                " JOIN mail_followers_mail_message_subtype_rel rel"
                " ON rel.mail_followers_id = pairs.moved_id"
                " ON CONFLICT DO NOTHING",
                pairs,
            )
        )
        cr.execute(
            SQL(
                "DELETE FROM mail_followers WHERE id IN"
                " (SELECT moved_id FROM (%s) AS pairs)",
                pairs,
            )
        )
