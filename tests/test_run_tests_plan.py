"""Which throw-away databases `make test` builds: our addons alone (nothing
changes without OCA's queue_job), and a second one with queue_job and
extrabat_queue when queue_job is installed."""

import odoo_env
import run_tests

# The addons every database installs (the always-installed ones).
OURS = ",".join(odoo_env.OUR_ADDONS)
OUR_TAGS = ",".join(f"/{addon}" for addon in odoo_env.OUR_ADDONS)


def test_the_always_installed_addons_are_ours_but_the_optional_bridge():
    assert {"extrabat_crm", "extrabat_letters", "extrabat_dashboard_mail"} <= set(
        odoo_env.OUR_ADDONS
    )
    assert "extrabat_queue" not in odoo_env.OUR_ADDONS


def test_without_queue_job_one_database_without_it(monkeypatch):
    monkeypatch.delenv("TEST_EXTRA_MODULES", raising=False)
    assert run_tests.plan_odoo_runs(()) == [
        (
            "our addons",
            f"{OURS},l10n_fr_account",
            OUR_TAGS,
        )
    ]


def test_with_queue_job_a_second_database_tests_the_bridge(monkeypatch):
    monkeypatch.delenv("TEST_EXTRA_MODULES", raising=False)
    first, second = run_tests.plan_odoo_runs(("extrabat_queue",))
    assert "queue_job" not in first[1]
    assert second == (
        "with queue_job",
        f"{OURS},queue_job,extrabat_queue",
        "/extrabat_queue",
    )


def test_test_tags_go_to_the_database_of_their_addon():
    plan = run_tests.plan_odoo_runs(
        ("extrabat_queue",), "/extrabat_letters:TestLetterBatch,/extrabat_queue"
    )
    assert [(label, tags) for label, _addons, tags in plan] == [
        ("our addons", "/extrabat_letters:TestLetterBatch"),
        ("with queue_job", "/extrabat_queue"),
    ]
    assert [
        tags
        for _l, _a, tags in run_tests.plan_odoo_runs(
            ("extrabat_queue",), "/extrabat_queue:TestLetterJobs.test_x"
        )
    ] == ["/extrabat_queue:TestLetterJobs.test_x"]


def test_tag_addon():
    assert run_tests._tag_addon("/extrabat_queue:TestA.test_b") == "extrabat_queue"
    assert run_tests._tag_addon("-/extrabat_crm") == "extrabat_crm"
    assert run_tests._tag_addon("post_install") is None
