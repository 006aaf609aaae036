"""Measurement part of bench_partner_merge.py, run inside ``odoo shell`` (fed
on stdin, ``env`` being the shell's superuser environment), in a database
with extrabat_crm (ours) or with the same dependencies without it (the peer:
Odoo's own wizard).

Builds two clients with ``BENCH_DOCUMENTS`` (default 1,000) related documents
each — a quarter each of quotations, posted invoices, attachments and
messages —, both following the same 50 documents (the merged one 25 more)
and sharing a tag, then
merges them with the merge wizard and prints one line ``BENCH_RESULT {json}``:
time and queries of the merge, and the rows referencing the two clients
before and the rows referencing the kept one after (every foreign key to
``res_partner`` and every ``res_model``/``res_id`` reference). Commits: this
runs on a throw-away database.
"""

import base64
import json
import os
import platform
import statistics
import time

from odoo import Command, fields, release
from odoo.tools import SQL

env = globals()["env"]
cr = env.cr
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "1000"))
QUARTER = DOCUMENTS // 4
FOLLOWED = 50
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
OURS = "extrabat.question" in env


def references(partner_ids):
    """Rows referencing ``partner_ids``: ``{table.column: count}``."""
    env.flush_all()
    ids = tuple(partner_ids)
    counts = {}
    for table, column in env.execute_query(
        SQL(
            """
            SELECT cl.relname, att.attname FROM pg_constraint con
              JOIN pg_class cl ON cl.oid = con.conrelid
              JOIN pg_class ref ON ref.oid = con.confrelid
              JOIN pg_attribute att
                ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
             WHERE con.contype = 'f' AND ref.relname = 'res_partner'
               AND array_length(con.conkey, 1) = 1
               AND cl.relname NOT LIKE 'base_partner_merge%%'
            """
        )
    ):
        where = SQL("%s IN %s", SQL.identifier(column), ids)
        if table == "res_partner":
            where = SQL("%s AND id NOT IN %s", where, ids)
        count = env.execute_query(
            SQL("SELECT count(*) FROM %s WHERE %s", SQL.identifier(table), where)
        )[0][0]
        if count:
            counts[f"{table}.{column}"] = count
    for table, model_column in (
        ("ir_attachment", "res_model"),
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
    ):
        count = env.execute_query(
            SQL(
                "SELECT count(*) FROM %s WHERE %s = 'res.partner' AND res_id IN %s",
                SQL.identifier(table),
                SQL.identifier(model_column),
                ids,
            )
        )[0][0]
        if count:
            counts[f"{table}.res_id"] = count
    return counts


def build(name, tag, documents_followed, category, alone=None):
    Partner = env["res.partner"].with_context(**QUIET)
    partner = Partner.create({"name": name, "category_id": [Command.link(category.id)]})
    env["sale.order"].with_context(**QUIET).create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "price_unit": 180.0})
                ],
            }
            for _index in range(QUARTER)
        ]
    )
    invoices = (
        env["account.move"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Entretien", "quantity": 1, "price_unit": 180.0}
                        )
                    ],
                }
                for _index in range(QUARTER)
            ]
        )
    )
    invoices.action_post()
    env["ir.attachment"].create(
        [
            {
                "name": f"Photo {tag} {index}.txt",
                "datas": base64.b64encode(f"chantier {tag} {index}".encode()),
                "res_model": "res.partner",
                "res_id": partner.id,
            }
            for index in range(QUARTER)
        ]
    )
    env["mail.message"].create(
        [
            {
                "model": "res.partner",
                "res_id": partner.id,
                "body": f"Appel {tag} {index}",
                "message_type": "comment",
                "subtype_id": env.ref("mail.mt_note").id,
            }
            for index in range(QUARTER)
        ]
    )
    for document in documents_followed | (alone or documents_followed):
        document.message_subscribe(partner_ids=partner.ids)
    return partner


product = env["product.product"].create(
    {"name": "Entretien chaudière", "type": "service", "list_price": 180.0}
)
category = env["res.partner.category"].create({"name": "Piscine"})
followed = env["res.partner"].create(
    [{"name": f"Fournisseur {index}"} for index in range(FOLLOWED)]
)
followed_alone = env["res.partner"].create(
    [{"name": f"Sous-traitant {index}"} for index in range(FOLLOWED // 2)]
)


def one_run(run):
    """Build two clients, merge them; return the measures."""
    started = time.perf_counter()
    kept = build(f"Dupont Chauffage {run}", f"K{run}", followed, category)
    other = build(
        f"Dupont Chauffage {run} (doublon)",
        f"O{run}",
        followed,
        category,
        alone=followed_alone,
    )
    if OURS:
        kept._extrabat_set_question_answers({questions[0]: 120})
        other._extrabat_set_question_answers({questions[0]: 140, questions[1]: "Clé"})
    fixture_seconds = time.perf_counter() - started
    cr.commit()
    before = references((kept | other).ids)
    wizard = (
        env["base.partner.merge.automatic.wizard"]
        .with_context(active_model="res.partner", active_ids=(kept | other).ids)
        .create({})
    )
    wizard.dst_partner_id = kept
    env.invalidate_all()
    queries, started = cr.sql_log_count, time.perf_counter()
    wizard.action_merge()
    env.flush_all()
    seconds = time.perf_counter() - started
    queries = cr.sql_log_count - queries
    cr.commit()
    return {
        "fixture_seconds": fixture_seconds,
        "seconds": seconds,
        "queries": queries,
        "before": before,
        "after": references(kept.ids),
        "merged_left": references(other.ids) if other.exists() else {},
        "merged_exists": bool(other.exists()),
    }


if OURS:
    questions = env["extrabat.question"].create(
        [
            {"name": "Surface", "answer_type": "number"},
            {"name": "Accès", "answer_type": "char"},
        ]
    )
runs = [one_run(run) for run in range(RUNS)]
result = dict(runs[-1])
result["seconds"] = statistics.median(r["seconds"] for r in runs)
result["seconds_all"] = [r["seconds"] for r in runs]
result["queries"] = statistics.median(r["queries"] for r in runs)
result["fixture_seconds"] = statistics.mean(r["fixture_seconds"] for r in runs)
version = cr.connection.server_version
print(
    "BENCH_RESULT "
    + json.dumps(
        {
            "side": "ours" if OURS else "peer",
            "odoo": release.version,
            "python": platform.python_version(),
            "postgres": f"{version // 10000}.{version % 100}",
            "cpus": os.cpu_count(),
            "documents": QUARTER * 4,
            "runs": RUNS,
            **result,
        }
    ),
    flush=True,
)
