#!/usr/bin/env python3
"""Benchmark of the complementary questions (extrabat_crm), against Odoo's
native Properties measured in the same run.

1. Opening a client's form: SQL queries and time of the form's ``web_read``
   (every field of the partner form, as the web client reads them) with 10
   and 40 answered questions, and with 40 native properties instead.
2. Filtering 100,000 clients by an answer: the list view's
   ``web_search_read`` (80 rows + count, as the web client asks) and a full
   ``search_count``, for a common answer (25 % of clients), a rare one (1 %),
   a number range, and the search bar's text search on one question; the
   same filters on native properties holding the same values.

Usage (from the repository root)::

    python3 benchmarks/bench_questions.py

Environment: ``BENCH_PARTNERS`` (default 100000), ``BENCH_RUNS`` (timed runs
per figure, default 7, the median is printed), ``BENCH_DB`` (reuse this
database, with extrabat_crm installed, instead of a throw-away one; nothing
is committed in it), ``KEEP_DB=1``, and the connection variables of
tools/odoo_env.py. Timings on a shared machine are indicative.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import odoo_env

# Run by `odoo shell` (``env`` is the superuser's environment); everything is
# rolled back at the end.
SHELL_CODE = r'''
import os
import statistics
import time

from lxml import etree

from odoo.fields import Command
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

N_PARTNERS = int(os.environ.get("BENCH_PARTNERS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
cr = env.cr
admin = env(user=env.ref("base.user_admin").id, context={"lang": "en_US"})
Partner = admin["res.partner"]
Question = env["extrabat.question"]
TYPES = ["selection", "char", "number", "boolean", "multi", "date", "text",
         "selection_text"]


def queries_and_ms(function):
    """(SQL queries, median milliseconds) of ``function`` on cold records
    but warm registry caches (as a second opening in the browser)."""
    for _warm_up in range(2):
        env.invalidate_all()
        function()
    counts, times = [], []
    for _run in range(RUNS):
        env.invalidate_all()
        start_count, start = cr.sql_log_count, time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
        counts.append(cr.sql_log_count - start_count)
    assert len(set(counts)) == 1, f"unstable query count: {counts}"
    return counts[0], statistics.median(times)


def form_spec():
    """The fields the web client reads to open the partner form."""
    views = Partner.get_views([(False, "form")])
    fields = views["models"]["res.partner"]["fields"]
    spec = {}
    for name, description in fields.items():
        if description["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif description["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


# === 1. OPENING A CLIENT'S FORM ===
print("\n== Opening a client's form (web_read of the form's fields) ==")
questions = Question.create([
    {
        "name": f"Question {index}",
        "answer_type": TYPES[index % len(TYPES)],
        "option_ids": [
            Command.create({"name": f"Option {index}.{o}"}) for o in range(5)
        ],
        "show_on_home": index % 10 == 0,
    }
    for index in range(40)
])
client = Partner.create({"name": "Client du benchmark"})
values = {}
for question in questions:
    options = question.option_ids
    values[question] = {
        "selection": options[0],
        "char": "Texte court",
        "number": 120.5,
        "boolean": True,
        "multi": options[:2],
        "date": "2024-05-01",
        "text": "Texte long\nsur deux lignes",
        "selection_text": {"option_id": options[1].id, "text": "précision"},
    }[question.answer_type]
client._extrabat_set_question_answers(values)
spec = form_spec()
results = {}
for active in (0, 10, 40):
    questions.write({"active": False})
    questions[:active].write({"active": True})
    results[active] = queries_and_ms(lambda: client.web_read(spec))
    print(f"  {active:>2} questions: {results[active][0]:>3} queries, "
          f"{results[active][1]:6.1f} ms")
questions.write({"active": False})

definition = []
prop_values = {}
for index in range(40):
    kind = ["selection", "char", "float", "boolean", "tags", "date", "text",
            "selection"][index % 8]
    name = f"p{index:02d}"
    prop = {"name": name, "string": f"Propriété {index}", "type": kind}
    if kind == "selection":
        prop["selection"] = [[f"o{o}", f"Option {o}"] for o in range(5)]
        prop_values[name] = "o0"
    elif kind == "tags":
        prop["tags"] = [[f"t{o}", f"Tag {o}", o] for o in range(5)]
        prop_values[name] = ["t0", "t1"]
    else:
        prop_values[name] = {"char": "Texte court", "float": 120.5, "boolean": True,
                             "date": "2024-05-01", "text": "Texte long"}[kind]
    definition.append(prop)
client.properties_base_definition_id.sudo().properties_definition = definition
client.properties = prop_values
peer = queries_and_ms(lambda: client.web_read(spec))
client.properties_base_definition_id.sudo().properties_definition = []
extra_ours = results[40][0] - results[0][0]
extra_peer = peer[0] - results[0][0]
print(f"  40 native properties (peer): {peer[0]:>3} queries, {peer[1]:6.1f} ms")
print(f"  extra queries for 10 / 40 questions: {results[10][0] - results[0][0]} / "
      f"{extra_ours}; for 40 properties: {extra_peer}")
print(f"  time ratio 40 questions / 40 properties: {results[40][1] / peer[1]:.2f}")

# === 2. FILTERING 100,000 CLIENTS ===
print(f"\n== Filtering {N_PARTNERS:,} clients by an answer ==")
heating = Question.create({
    "name": "Type de chauffage",
    "answer_type": "selection",
    "option_ids": [Command.create({"name": name}) for name in (
        "Poêle à bois", "Pompe à chaleur", "Chaudière gaz", "Chaudière fioul",
        "Radiateurs électriques")],
})
rare, common = heating.option_ids[0], heating.option_ids[1]
surface = Question.create({"name": "Surface", "answer_type": "number", "unit": "m²"})
client.properties_base_definition_id.sudo().properties_definition = [
    {"name": "heating", "string": "Type de chauffage", "type": "selection",
     "selection": [[str(o.id), o.name] for o in heating.option_ids]},
    {"name": "surface", "string": "Surface", "type": "float"},
]
env.flush_all()
start = time.perf_counter()
# Option of client g: the rare one for 1 % of clients, else one of the 4
# others (about 25 % each); surface from 20 to 319 m².
cr.execute(SQL(
    """
    WITH new AS (
        INSERT INTO res_partner (name, complete_name, active, type, autopost_bills,
                                 create_uid, write_uid, create_date, write_date,
                                 properties)
        SELECT 'Client ' || g, 'Client ' || g, TRUE, 'contact', 'ask', 1, 1,
               now(), now(),
               jsonb_build_object(
                   'heating', (CASE WHEN g %% 100 = 0 THEN %(rare)s
                                    ELSE (%(options)s)[1 + g %% 4] END)::text,
                   'surface', 20 + g %% 300)
          FROM generate_series(1, %(n)s) AS g
        RETURNING id, (properties->>'heating')::int AS option_id,
                  (properties->>'surface')::float AS surface
    ), answer AS (
        INSERT INTO extrabat_question_answer
               (partner_id, question_id, answer_type, company_id, value_boolean,
                value_number, create_uid, write_uid, create_date, write_date)
        SELECT id, %(heating)s, 'selection', %(company)s, FALSE, 0, 1, 1, now(), now()
          FROM new
        RETURNING id, partner_id
    ), chosen AS (
        INSERT INTO extrabat_question_answer_option_rel (answer_id, option_id)
        SELECT answer.id, new.option_id
          FROM answer JOIN new ON new.id = answer.partner_id
    ), chosen_by_partner AS (
        INSERT INTO extrabat_partner_option_rel (partner_id, option_id)
        SELECT id, option_id FROM new
    )
    INSERT INTO extrabat_question_answer
           (partner_id, question_id, answer_type, company_id, value_boolean,
            value_number, create_uid, write_uid, create_date, write_date)
    SELECT id, %(surface)s, 'number', %(company)s, FALSE, surface, 1, 1, now(), now()
      FROM new
    """,
    rare=rare.id,
    options=SQL("ARRAY[%s]::int[]", SQL(", ").join(heating.option_ids[1:].ids)),
    n=N_PARTNERS,
    heating=heating.id,
    surface=surface.id,
    company=heating.company_id.id,
))
cr.execute("ANALYZE res_partner")
cr.execute("ANALYZE extrabat_question_answer")
cr.execute("ANALYZE extrabat_question_answer_option_rel")
cr.execute("ANALYZE extrabat_partner_option_rel")
env.invalidate_all()
print(f"  ({N_PARTNERS:,} clients and {2 * N_PARTNERS:,} answers inserted in "
      f"{time.perf_counter() - start:.1f} s)")

list_spec = {"display_name": {}, "email": {}, "phone": {}, "city": {}}


def list_view(domain):
    return Partner.web_search_read(domain, list_spec, limit=80, count_limit=10001)


def timed(function):
    function()
    times = []
    for _run in range(RUNS):
        env.invalidate_all()
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


search_arch = etree.fromstring(Partner.get_view(view_type="search")["arch"])
node = next(
    node for node in search_arch.xpath("//field[@string='Type de chauffage']")
    if f"('question_id', '=', {heating.id})" in node.get("filter_domain")
)
text_domain = safe_eval(
    node.get("filter_domain"), {"self": "pompe", "raw_value": "pompe"}
)

cases = [
    ("common option (25 %), search bar",
     [("extrabat_answer_option_id", "in", [common.id])],
     [("properties.heating", "=", str(common.id))]),
    ("rare option (1 %), search bar",
     [("extrabat_answer_option_id", "in", [rare.id])],
     [("properties.heating", "=", str(rare.id))]),
    ("number > 300 m² (7 %), custom filter",
     [("extrabat_answer_ids", "any", [("question_id", "=", surface.id),
                                      ("value_number", ">", 300)])],
     [("properties.surface", ">", 300)]),
    ("'pompe' in Type de chauffage, search bar", text_domain, None),
]
print(f"  {'filter':<42} {'list view':>10} {'count':>9} {'clients':>8}"
      f" | {'properties':>10} {'count':>9} {'ratio':>6}")
for label, domain, peer_domain in cases:
    list_ms, _rows = timed(lambda d=domain: list_view(d))
    count_ms, count = timed(lambda d=domain: Partner.search_count(d))
    line = f"  {label:<42} {list_ms:8.1f}ms {count_ms:7.1f}ms {count:>8}"
    if peer_domain:
        peer_list_ms, _rows = timed(lambda d=peer_domain: list_view(d))
        peer_count_ms, peer_count = timed(lambda d=peer_domain: Partner.search_count(d))
        assert peer_count == count, (peer_count, count)
        line += (f" | {peer_list_ms:8.1f}ms {peer_count_ms:7.1f}ms"
                 f" {list_ms / peer_list_ms:6.2f}")
    print(line)
    if os.environ.get("BENCH_EXPLAIN"):
        for query in (Partner._search(domain, limit=80, order=Partner._order),
                      Partner._search(domain)):
            sql = query.select("res_partner.id") if query._order else query.select()
            cr.execute(SQL("EXPLAIN ANALYZE %s", sql))
            print("\n".join(row[0] for row in cr.fetchall()))
baseline_ms, _rows = timed(lambda: list_view([]))
print(f"  {'(no filter, for reference)':<42} {baseline_ms:8.1f}ms")
cr.rollback()
'''


def main():
    try:
        odoo = odoo_env.locate_odoo()
    except odoo_env.OdooNotFound as exc:
        print(str(exc).rstrip())
        return 2
    if problem := odoo_env.check_postgres():
        print(problem)
        return 2
    reuse = os.environ.get("BENCH_DB")
    dbname = reuse or f"extrabat_bench_questions_{os.getpid()}"
    with tempfile.TemporaryDirectory() as data_dir:
        common = (f"--database={dbname}", f"--data-dir={data_dir}", "--log-level=warn")
        try:
            if not (reuse and odoo_env.database_exists(dbname)):
                print(f"Creating the database {dbname} (a few minutes)...", flush=True)
                subprocess.run(
                    odoo_env.odoo_command(
                        odoo,
                        *common,
                        "--init=extrabat_crm",
                        "--stop-after-init",
                        "--no-http",
                    ),
                    env=odoo.env(),
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            proc = subprocess.run(
                odoo_env.odoo_command(odoo, *common, "--no-http", command="shell"),
                env=odoo.env(),
                input=SHELL_CODE,
                text=True,
                check=False,
            )
            return proc.returncode
        finally:
            if not reuse and os.environ.get("KEEP_DB") != "1":
                odoo_env.drop_database(dbname)


if __name__ == "__main__":
    sys.exit(main())
